"""Personal access tokens, their uses, and the request counts the rate limits read.

A token's secret is shown once, when it is made; only its sha256 digest is kept (and its first characters,
so that its holder can tell it apart). A token belongs to one person in one partnership, reads or also
writes, and always ends: ``expires_at`` is at most a year after it was made."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessToken(models.Model):
    class Scope(models.TextChoices):
        READ = "read", _("read only")
        WRITE = "write", _("read and write")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(_("what it may do"), max_length=5, choices=Scope.choices, default=Scope.READ)
    prefix = models.CharField(max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "partnership"], name="api_token_holder")]
        constraints = [
            models.CheckConstraint(condition=Q(expires_at__gt=models.F("created_at")), name="api_token_expires_later"),
            models.CheckConstraint(condition=Q(scope__in=["read", "write"]), name="api_token_scope_known"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def usable(self, now: object = None) -> bool:
        moment = now or timezone.now()
        return self.revoked_at is None and self.expires_at > moment  # type: ignore[operator]

    @property
    def writes(self) -> bool:
        return self.scope == self.Scope.WRITE


class TokenUse(models.Model):
    """One request made with a token, and the status it was answered with."""

    token = models.ForeignKey(AccessToken, on_delete=models.CASCADE, related_name="uses")
    at = models.DateTimeField(default=timezone.now)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=300)
    status = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["token", "-at"], name="api_token_use_latest")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.status}"


class RequestCount(models.Model):
    """How many requests one bucket (a token's reads or writes, or a client address without a valid token)
    made in one minute. In the database so that every web process counts the same requests."""

    bucket = models.CharField(max_length=80)
    window = models.BigIntegerField()  # minutes since the epoch
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["bucket", "window"], name="api_request_count_one_per_minute")]

    def __str__(self) -> str:
        return f"{self.bucket}@{self.window}: {self.count}"
