"""Plumbing shared by every app: the append-only audit log and the outboxes of emails and text messages."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """Who did what to which object, and when. Written by services; never deleted, and never changed except
    by erasure, which takes out who and what an event was about and keeps what happened and when
    (:func:`coproduce.core.audit.audit_forget`).

    The partnership and target are plain ids rather than foreign keys so that the record outlives
    the objects it describes (an erased account or a deleted invitation keeps its history).
    """

    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A label kept at the time (e.g. the display name); cleared on erasure.
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=80, db_index=True)
    partnership_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    target_type = models.CharField(max_length=80, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=200, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["partnership_id", "-occurred_at"], name="audit_partnership_time")]
        verbose_name = _("audit event")

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action} {self.target_type}:{self.target_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("Audit events are append-only.")


class OutgoingEmail(models.Model):
    """One email to send, sent by a background task (``core.outbox``), never inside a request.

    Its content is kept only until it is sent or given up, then cleared with its recipients: what stays
    is what kind of email it was, what happened to it and when (a sign-in code or a password-reset link
    must not outlive its sending). A *composed* email keeps no content at all: ``composer`` makes it when
    it is sent, from ``arguments`` (ids), so an invitation link is never stored."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        RETRYING = "retrying", _("Not sent yet: trying again")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Could not be sent")
        CANCELLED = "cancelled", _("Not needed any more")

    kind = models.CharField(max_length=100)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    recipients = models.JSONField(default=list, blank=True)
    from_email = models.CharField(max_length=320, blank=True)
    subject = models.TextField(blank=True)
    body = models.TextField(blank=True)
    html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    composer = models.CharField(max_length=200, blank=True)
    arguments = models.JSONField(default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The kind of the last error and the mail server's reply code, never its text (which may quote an address).
    last_error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The background task run sending it: only that run, or the same task run again after a crash, sends it.
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "sending", "retrying", "sent", "failed", "cancelled"]),
                name="outgoing_email_status_valid",
            ),
        ]
        verbose_name = _("outgoing email")

    def __str__(self) -> str:
        return f"{self.kind} email {self.pk} ({self.status})"

    @property
    def is_waiting(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.SENDING, self.Status.RETRYING)


class OutgoingText(models.Model):
    """One text message (SMS) to send, sent by a background task (``core.sms``), never inside a request.

    Like an outgoing email, its number and words are kept only until it is sent, given up or dropped; what
    stays is its kind, its reference, what happened and when. ``number_key`` is a keyed hash of the number
    (never the number), so the day's limits per number can be counted after the number is cleared.
    ``idempotency_key`` makes a text queued twice for the same thing one row, sent once."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        RETRYING = "retrying", _("Not sent yet: trying again")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Could not be sent")
        DROPPED = "dropped", _("Not sent")

    class Reason(models.TextChoices):
        NONE = "", _("No reason")
        OPTED_OUT = "opted_out", _("The person asked for no text messages")
        PARTNERSHIP_OFF = "partnership_off", _("The partnership sends no text messages")
        NUMBER_LIMIT = "number_limit", _("Too many text messages to this number today")
        PARTNERSHIP_LIMIT = "partnership_limit", _("Too many text messages for this partnership today")
        SITE_LIMIT = "site_limit", _("Too many text messages from the site today")

    kind = models.CharField(max_length=100)
    reference = models.CharField(max_length=200, blank=True)
    idempotency_key = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    reason = models.CharField(max_length=20, choices=Reason.choices, blank=True, default="")
    to = models.CharField(max_length=20, blank=True)
    body = models.TextField(blank=True)
    number_key = models.CharField(max_length=64, db_index=True)
    partnership_id = models.BigIntegerField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The kind of the last error and the provider's status code, never its text (which may quote the number).
    last_error = models.CharField(max_length=200, blank=True)
    provider_id = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "sending", "retrying", "sent", "failed", "dropped"]),
                name="outgoing_text_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["partnership_id", "created_at"], name="outgoing_text_partnership_day")]
        verbose_name = _("outgoing text message")

    def __str__(self) -> str:
        return f"{self.kind} text {self.pk} ({self.status})"


class ScheduledRun(models.Model):
    """One run of a periodic job (``core.scheduler``): at most one row per job and period, which is what
    makes a job run once per period however many workers tick. Inserted in the transaction that enqueues
    the run's task."""

    job = models.CharField(max_length=100)
    period_start = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    # The id of the task enqueued for this run (django-tasks-db's result), to look up how it went.
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-period_start", "job"]
        constraints = [
            models.UniqueConstraint(fields=["job", "period_start"], name="scheduled_run_once_per_period"),
        ]
        verbose_name = _("scheduled run")

    def __str__(self) -> str:
        return f"{self.job} from {self.period_start:%Y-%m-%d %H:%M}"
