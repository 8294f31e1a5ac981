"""A review of a commitment: what happened, and whether the partnership keeps it, changes it or stops it.
The commitment itself lives in its own capability (a decision's outcome, an idea answered "we will", a test
of change adopted, a practice stopped, a fund award); a review names it by its source's key and its id."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.partnerships.models import Partnership

SOURCE_MAX = 60
TEXT_MAX = 4000
NAME_MAX = 120


class CommitmentReview(models.Model):
    class Verdict(models.TextChoices):
        KEEP = "keep", _("Keep it as it is")
        CHANGE = "change", _("Change it")
        STOP = "stop", _("Stop it")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="commitment_reviews")
    source = models.CharField(max_length=SOURCE_MAX)  # the registered source's key: "fund.award", …
    object_id = models.PositiveBigIntegerField()
    reviewed_on = models.DateField(_("when it was reviewed"))
    what_happened = models.TextField(_("what happened"), max_length=TEXT_MAX)
    verdict = models.CharField(_("what we decided"), max_length=10, choices=Verdict.choices)
    next_review_on = models.DateField(_("next review date"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The reviewer's name as it was: the record reads the same after they change it or leave.
    reviewer_name = models.CharField(max_length=NAME_MAX, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-reviewed_on", "-id"]
        indexes = [
            models.Index(fields=["partnership", "source", "object_id", "-reviewed_on"], name="commitment_review_item")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(verdict__in=["keep", "change", "stop"]), name="commitment_verdict_valid"
            ),
            models.CheckConstraint(condition=~Q(what_happened=""), name="commitment_review_has_words"),
            models.CheckConstraint(condition=~Q(source=""), name="commitment_review_has_source"),
            models.CheckConstraint(
                condition=Q(next_review_on__isnull=True) | Q(next_review_on__gt=F("reviewed_on")),
                name="commitment_next_review_after_review",
            ),
        ]

    def __str__(self) -> str:
        return f"review of {self.source}:{self.object_id} on {self.reviewed_on}"
