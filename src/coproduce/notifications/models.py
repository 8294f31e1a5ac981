from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.partnerships.models import Partnership

TEXT_MAX = 300
URL_MAX = 300
SUBJECT_MAX = 120


class Delivery(models.TextChoices):
    SITE = "site", _("On the site only")
    EMAIL = "email", _("An email straight away")
    DIGEST = "digest", _("In my daily email")
    SMS = "sms", _("A text message straight away")


class Notice(models.Model):
    """Something a person should know or do, in one partnership.

    Repeats about the same thing (the same ``kind`` and ``subject_key``, still unread) are one row with a
    ``count`` and the latest time; when the thing is done (a check-in agreed, a referral closed) the service
    that did it calls ``api.notices_done(subject_key)`` and the notice leaves every inbox (``done_at``)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=60)
    subject_key = models.CharField(max_length=SUBJECT_MAX, blank=True)
    text = models.CharField(max_length=TEXT_MAX)
    url = models.CharField(max_length=URL_MAX, blank=True)
    count = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    latest_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    # How the person wanted to hear of it when it was posted; emailed_at once an email or digest carried it.
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.SITE)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-latest_at", "-id"]
        indexes = [
            models.Index(fields=["user", "partnership", "read_at"], name="notice_unread"),
            models.Index(fields=["partnership", "subject_key"], name="notice_subject"),
            models.Index(fields=["delivery", "emailed_at"], name="notice_to_email"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(count__gte=1), name="notice_count_positive"),
            models.CheckConstraint(
                condition=Q(delivery__in=["site", "email", "digest", "sms"]), name="notice_delivery_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class NoticePreference(models.Model):
    """How one person wants to hear of one kind of notice (without a row: the kind's default)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=60)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notice_preference_once"),
            models.CheckConstraint(
                condition=Q(delivery__in=["site", "email", "digest", "sms"]), name="notice_preference_delivery_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.delivery}"


DEFAULT_QUIET = ((time(8, 0), time(9, 30)), (time(14, 30), time(16, 0)))


class EmailSettings(models.Model):
    """A person's quiet hours (no email then: the school run, by default) and when their last digest went."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    quiet_morning_from = models.TimeField(null=True, blank=True, default=DEFAULT_QUIET[0][0])
    quiet_morning_to = models.TimeField(null=True, blank=True, default=DEFAULT_QUIET[0][1])
    quiet_afternoon_from = models.TimeField(null=True, blank=True, default=DEFAULT_QUIET[1][0])
    quiet_afternoon_to = models.TimeField(null=True, blank=True, default=DEFAULT_QUIET[1][1])
    last_digest_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Email settings of user {self.user_id}"

    def quiet_windows(self) -> list[tuple[time, time]]:
        pairs = [
            (self.quiet_morning_from, self.quiet_morning_to),
            (self.quiet_afternoon_from, self.quiet_afternoon_to),
        ]
        return [(a, b) for a, b in pairs if a is not None and b is not None and a != b]
