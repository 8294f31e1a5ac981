"""The partnership agreement as data: the terms of reference (every version kept), the groups that govern
the partnership with their seats and who held each seat when, the rules each kind of decision follows, and
the register of interests.

History is kept as rows rather than changed in place: a new terms-of-reference version is a new row, and a
seat's holders are holdings with term dates, a holding ending when its ``ended_on`` is set (ADR 21)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.partnerships.models import Membership, Organisation, Partnership

NAME_MAX = 120
NOTE_MAX = 300
PURPOSE_MAX = 2000
TERMS_MAX = 50_000
INTEREST_MAX = 300
WITH_MAX = 200


class TermsVersion(models.Model):
    """One published version of the terms of reference. Never changed: a change is a new version."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="terms_versions")
    number = models.PositiveIntegerField()
    text = models.TextField(max_length=TERMS_MAX)
    text_html = models.TextField(editable=False, blank=True)
    change_note = models.CharField(max_length=NOTE_MAX)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "number"], name="governance_terms_number_unique"),
            models.CheckConstraint(condition=Q(number__gt=0), name="governance_terms_number_positive"),
            models.CheckConstraint(condition=~Q(text=""), name="governance_terms_has_text"),
            models.CheckConstraint(condition=~Q(change_note=""), name="governance_terms_has_note"),
        ]

    def __str__(self) -> str:
        return f"Terms of reference, version {self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValueError("A published version of the terms of reference is never changed: publish a new one.")
        super().save(*args, **kwargs)


class Group(models.Model):
    """A board or steering group of the partnership."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="governance_groups")
    name = models.CharField(_("name"), max_length=NAME_MAX)
    purpose = models.TextField(_("what it does"), max_length=PURPOSE_MAX, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="governance_group_name_unique"),
            models.CheckConstraint(condition=~Q(name=""), name="governance_group_has_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Seat(models.Model):
    """A seat on a group: for a member (a parent), or for one partner organisation's staff."""

    class Kind(models.TextChoices):
        MEMBER = "member", _("Member seat")
        ORGANISATION = "organisation", _("Organisation seat")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="governance_seats")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="seats")
    title = models.CharField(_("title"), max_length=NAME_MAX)
    kind = models.CharField(_("kind of seat"), max_length=20, choices=Kind.choices)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.RESTRICT, related_name="governance_seats"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # A seat the group no longer has: kept with its history, no longer listed or filled.
    retired_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["group_id", "created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["member", "organisation"]), name="governance_seat_kind_valid"),
            models.CheckConstraint(
                condition=Q(kind="member", organisation__isnull=True)
                | Q(kind="organisation", organisation__isnull=False),
                name="governance_seat_organisation_matches_kind",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="governance_seat_has_title"),
        ]

    def __str__(self) -> str:
        return self.title


class SeatHolding(models.Model):
    """Someone holding a seat for a term. Current until ``ended_on`` is set; past holdings are the seat's
    history. When the holder leaves the partnership the holding stays, with no one named."""

    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="holdings")
    membership = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="seat_holdings"
    )
    term_starts_on = models.DateField(_("term starts"))
    term_ends_on = models.DateField(_("term ends"), null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    appointed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-term_starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["seat"], condition=Q(ended_on__isnull=True), name="governance_one_current_holder_per_seat"
            ),
            models.CheckConstraint(
                condition=Q(term_ends_on__isnull=True) | Q(term_ends_on__gte=F("term_starts_on")),
                name="governance_holding_term_in_order",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("term_starts_on")),
                name="governance_holding_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Holding of {self.seat}"


class DecisionRule(models.Model):
    """How the partnership decides one kind of decision: the method, who takes part and the quorum. The
    decisions capability reads it through ``governance.api.decision_rule_for``."""

    class Kind(models.TextChoices):
        AGREEMENT = "agreement", _("Changes to the partnership agreement")
        FUND = "fund", _("Fund rules and budgets")
        SERVICE = "service", _("Stopping or changing a service")
        EVERYDAY = "everyday", _("Everyday decisions")

    class Method(models.TextChoices):
        CONSENT = "consent", _("Consent: it goes ahead unless someone has a reasoned objection")
        YES_NO = "yes_no", _("Yes, no or abstain, with a threshold")
        SCORE = "score", _("Scores: each option is scored and the highest total wins")
        RANKED_IRV = "ranked_irv", _("Ranked choice, by instant runoff")
        RANKED_SCHULZE = "ranked_schulze", _("Ranked choice, by the Schulze method")
        STV = "stv", _("Several seats or options, by single transferable vote")

    class Participants(models.TextChoices):
        MEMBERS = "members", _("Members")
        STAFF = "staff", _("Staff")
        EVERYONE = "everyone", _("Members and staff")
        GROUP = "group", _("A group (such as the steering group)")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="decision_rules")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    method = models.CharField(max_length=20, choices=Method.choices)
    threshold_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    quorum_percent = models.PositiveSmallIntegerField(default=0)
    participants = models.CharField(max_length=20, choices=Participants.choices)
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.RESTRICT, related_name="decision_rules")
    double_majority = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partnership", "kind"], name="governance_rule_one_per_kind"),
            models.CheckConstraint(
                condition=Q(kind__in=["agreement", "fund", "service", "everyday"]), name="governance_rule_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(method__in=["consent", "yes_no", "score", "ranked_irv", "ranked_schulze", "stv"]),
                name="governance_rule_method_valid",
            ),
            models.CheckConstraint(
                condition=Q(participants__in=["members", "staff", "everyone", "group"]),
                name="governance_rule_participants_valid",
            ),
            # A threshold belongs to yes/no/abstain, and lies between half and everyone.
            models.CheckConstraint(
                condition=Q(
                    method="yes_no",
                    threshold_percent__isnull=False,
                    threshold_percent__gte=50,
                    threshold_percent__lte=100,
                )
                | (~Q(method="yes_no") & Q(threshold_percent__isnull=True)),
                name="governance_rule_threshold_valid",
            ),
            models.CheckConstraint(condition=Q(quorum_percent__lte=100), name="governance_rule_quorum_valid"),
            models.CheckConstraint(
                condition=Q(participants="group", group__isnull=False)
                | (~Q(participants="group") & Q(group__isnull=True)),
                name="governance_rule_group_when_group_decides",
            ),
            # Members and staff counted separately needs both of them taking part.
            models.CheckConstraint(
                condition=Q(double_majority=False) | Q(participants__in=["everyone", "group"]),
                name="governance_rule_double_majority_needs_both",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_method_display()}"


class Interest(models.Model):
    """An interest a person declares: a job, a payment, a relationship, a role elsewhere."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="declared_interests")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="declared_interests")
    what = models.CharField(_("the interest"), max_length=INTEREST_MAX)
    with_whom = models.CharField(_("with which organisation or person"), max_length=WITH_MAX, blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="declared_interests"
    )
    starts_on = models.DateField(_("since"))
    ends_on = models.DateField(_("ended"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(what=""), name="governance_interest_has_what"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="governance_interest_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.what

    def is_current_on(self, day: Any) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)
