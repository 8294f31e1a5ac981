"""Erasure requests: a person asks, a coordinator confirms within a month (UK GDPR Art. 12(3))."""

from __future__ import annotations

import calendar
import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from coproduce.partnerships.models import Membership, Partnership


def one_month_after(day: datetime.date) -> datetime.date:
    """The same day of the next month, or that month's last day (31 January → 28 or 29 February): the
    one-month deadline of UK GDPR Article 12(3)."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


class ErasureRequest(models.Model):
    """A person asks for everything they wrote in one partnership to be erased (every capability's
    ``Departure.erase``); a coordinator confirms it. Once confirmed, the request no longer says whose it was."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    # Whose data: cleared when the erasure is confirmed (and the person stays in the partnership until then:
    # leaving or being removed waits for it, see services).
    membership = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="erasure_requests"
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    due_on = models.DateField()
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["confirmed_at", "due_on", "id"]
        indexes = [models.Index(fields=["partnership", "confirmed_at", "due_on"], name="erasure_request_queue")]
        constraints = [
            models.UniqueConstraint(
                fields=["membership"], condition=Q(confirmed_at__isnull=True), name="erasure_request_one_open"
            ),
        ]

    def __str__(self) -> str:
        return f"Erasure request {self.pk}"

    @property
    def is_overdue(self) -> bool:
        return self.confirmed_at is None and timezone.localdate() > self.due_on
