"""The person: one account per email address, signing in by email."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. ``display_name`` is the name they chose to be shown to others.

    ``is_staff`` here means access to Django's admin site (platform operators), not partnership
    staff: partnership roles live on ``partnerships.Membership``.
    """

    email = models.EmailField(_("email address"), max_length=254, unique=True)
    display_name = models.CharField(_("display name"), max_length=80, blank=True)
    is_staff = models.BooleanField(_("can use the admin site"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # The language the person chose for pages, emails and text messages (a code from settings.LANGUAGES);
    # empty until they choose, when the browser's language is used.
    language = models.CharField(_("language"), max_length=12, blank=True, default="", db_default="")
    # A mobile number in E.164 ("+447700900123"), for signing in by a code and for text messages; empty when
    # the person gave none. Verified once a code sent to it was entered.
    phone = models.CharField(_("mobile number"), max_length=20, blank=True, default="", db_default="")
    phone_verified = models.BooleanField(_("mobile number confirmed"), default=False, db_default=False)
    # The person asked for no text messages at all (sign-in codes they ask for themselves still come).
    texts_stopped = models.BooleanField(_("no text messages"), default=False, db_default=False)

    objects: ClassVar[UserManager] = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.UniqueConstraint(fields=["phone"], condition=~models.Q(phone=""), name="user_phone_unique"),
        ]

    def __str__(self) -> str:
        return self.display_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    @property
    def name(self) -> str:
        return self.display_name or self.email.split("@", 1)[0]


class SignInFailures(models.Model):
    """Failed sign-in steps counted under one key, in the database so that every web process counts the same
    ones (``accounts/limits.py``). A key stands for one kind of step (password, authenticator code, emailed
    code) and one account or client address; it is a keyed hash, so the table holds no email or address.
    A row is deleted once it is forgotten (``forget_at``) or the account signs in."""

    key = models.CharField(max_length=64, unique=True)
    failures = models.PositiveIntegerField(default=0)
    wait_until = models.DateTimeField(null=True, blank=True)
    forget_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("failed sign-in count")
        verbose_name_plural = _("failed sign-in counts")

    def __str__(self) -> str:
        return f"{self.failures} failures"
