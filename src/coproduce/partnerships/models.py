"""Partnerships are the tenancy boundary: every other object belongs to exactly one."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.partnerships.roles import ROLE_FIELDS, Role, staff_q

OPEN_DATA_LICENCES = [
    ("OGL-UK-3.0", _("Open Government Licence v3.0")),
    ("CC-BY-4.0", _("Creative Commons Attribution 4.0")),
    ("CC0-1.0", _("Creative Commons Zero (public domain)")),
]


class Partnership(models.Model):
    slug = models.SlugField(_("web address name"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # How people reach the partnership (shown to everyone in it; all optional).
    contact_email = models.EmailField(_("contact email address"), blank=True)
    contact_phone = models.CharField(_("contact phone number"), max_length=30, blank=True)
    contact_address = models.TextField(_("postal address"), max_length=500, blank=True)
    website = models.URLField(_("web page"), blank=True)
    # Open data (coproduce.partnerships.open_data): off until a coordinator turns it on; then /open/<slug>/
    # and every dataset it lists answer anyone, signed in or not.
    # Database defaults too: rows written by code that predates these columns (an older release during a rolling
    # deploy, a data migration of another app) get the same values.
    open_data = models.BooleanField(_("publish open data"), default=False, db_default=False)
    open_data_licence = models.CharField(
        _("open data licence"), max_length=20, choices=OPEN_DATA_LICENCES, default="OGL-UK-3.0", db_default="OGL-UK-3.0"
    )
    open_data_since = models.DateTimeField(null=True, blank=True)
    # Text messages for this partnership (invitations, urgent notices): a coordinator may turn them off
    # (coproduce.core.sms asks through the blocker partnerships registers). Sign-in codes still go.
    texts_allowed = models.BooleanField(_("send text messages"), default=True, db_default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def has_contact(self) -> bool:
        return bool(self.contact_email or self.contact_phone or self.contact_address or self.website)


class Organisation(models.Model):
    """A partner agency in the partnership."""

    class Kind(models.TextChoices):
        PUBLIC = "public", _("Public sector")
        THIRD_SECTOR = "third_sector", _("Third sector")
        PRIVATE = "private", _("Private sector")
        COMMUNITY = "community", _("Community")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="organisations")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("what it does"), blank=True)
    website = models.URLField(_("website"), blank=True)
    # The organisation's identifier in the org-id scheme (org-id.guide), e.g. GB-SC-SC012345; blank if it has none.
    # Checked by ``partnerships.orgid``.
    org_id = models.CharField(_("organisation identifier"), max_length=60, blank=True)
    # A retired organisation keeps its history and its staff but is offered for nothing new.
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="organisation_name_unique_in_partnership"),
            models.UniqueConstraint(
                fields=["partnership", "org_id"],
                condition=~Q(org_id=""),
                name="organisation_org_id_unique_in_partnership",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["public", "third_sector", "private", "community"]), name="organisation_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None


def _any_role() -> Q:
    q = Q()
    for field in ROLE_FIELDS.values():
        q |= Q(**{field: True})
    return q


def _staff_have_organisation() -> Q:
    return ~staff_q() | Q(organisation__isnull=False)


class RoleFlags(models.Model):
    """The five roles as flags: simple to constrain in the database and to query."""

    is_member = models.BooleanField(_("member"), default=False)
    is_worker = models.BooleanField(_("worker"), default=False)
    is_coordinator = models.BooleanField(_("coordinator"), default=False)
    is_partner_lead = models.BooleanField(_("partner lead"), default=False)
    is_observer = models.BooleanField(_("observer"), default=False)

    class Meta:
        abstract = True

    @property
    def roles(self) -> list[Role]:
        return [role for role, field in ROLE_FIELDS.items() if getattr(self, field)]

    @property
    def role_labels(self) -> list[str]:
        # ROLE_FIELDS is in the roles' order; the labels are translated when read (lazy), in the page's language.
        return [str(role.label) for role, field in ROLE_FIELDS.items() if getattr(self, field)]

    @property
    def is_staff_role(self) -> bool:
        return self.is_worker or self.is_coordinator or self.is_partner_lead

    def set_roles(self, roles: set[Role] | set[str]) -> None:
        for role, field in ROLE_FIELDS.items():
            setattr(self, field, role in roles)


class Membership(RoleFlags):
    """A person in a partnership, with one or more roles. Staff belong to an organisation."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    joined_at = models.DateTimeField(default=timezone.now)
    # A member may turn off keyworkers recording her voice with her (assisted participation,
    # partnerships/assisted.py); on by default.
    assistance_allowed = models.BooleanField(default=True, db_default=True)

    class Meta:
        ordering = ["joined_at"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "user"], name="membership_one_per_person"),
            models.CheckConstraint(condition=_any_role(), name="membership_has_a_role"),
            models.CheckConstraint(condition=_staff_have_organisation(), name="membership_staff_have_organisation"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.partnership}"


class Invitation(RoleFlags):
    """An invitation by a coordinator to join with given roles. The token is never stored:
    it is an HMAC over the id and ``nonce`` (see ``partnerships.tokens``)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="invitations")
    # Empty when the invitation goes by text message instead (then ``phone`` is set).
    email = models.EmailField(_("email address"), blank=True)
    # A mobile number in E.164 when the invitation goes by text message.
    phone = models.CharField(_("mobile number"), max_length=20, blank=True, default="", db_default="")
    # The short link printed on an invitation card (/i/<short_code>/); empty until a card is printed.
    short_code = models.CharField(max_length=12, blank=True, default="", db_default="")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="invitations"
    )
    nonce = models.CharField(max_length=64)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="invitations_sent"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    # The latest email sending the link (the invitations page shows whether it went).
    email_message = models.ForeignKey(
        "core.OutgoingEmail", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=_any_role(), name="invitation_has_a_role"),
            models.CheckConstraint(condition=_staff_have_organisation(), name="invitation_staff_have_organisation"),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="invitation_not_both_accepted_and_revoked",
            ),
            models.CheckConstraint(condition=~Q(email="") | ~Q(phone=""), name="invitation_email_or_phone"),
            models.UniqueConstraint(
                fields=["partnership", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True) & ~Q(email=""),
                name="invitation_one_open_per_email",
            ),
            models.UniqueConstraint(
                fields=["partnership", "phone"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True) & ~Q(phone=""),
                name="invitation_one_open_per_phone",
            ),
            models.UniqueConstraint(
                fields=["short_code"], condition=~Q(short_code=""), name="invitation_short_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation to {self.email or self.phone}"

    @property
    def by_text(self) -> bool:
        return bool(self.phone) and not self.email

    @property
    def sent_to(self) -> str:
        """Who it went to, as people write it: the email address, or the mobile number."""
        if self.email:
            return self.email
        from coproduce.core.sms import number_shown

        return number_shown(self.phone)

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.is_expired:
            return "expired"
        return "open"


class MyDataExport(models.Model):
    """A person's "My data" download, built by a background task (``partnerships.tasks.build_my_data``) and kept
    for a short time (``expires_at``) for that person only: a person with years of votes and ideas takes longer
    to gather than a web request should hold a worker (``benchmarks/my_data.py``, ``docs/data-rights.md``).

    The files are kept in the database, so that a worker on another machine can build them and any web process
    serve them. ``parts_done`` of ``parts_total`` capabilities gathered so far is the progress shown."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting to start")
        BUILDING = "building", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Could not be prepared")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    # Leaving the partnership (the membership goes) takes the prepared files with it.
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="my_data_exports")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    parts_done = models.PositiveSmallIntegerField(default=0)
    parts_total = models.PositiveSmallIntegerField(default=0)
    summary = models.JSONField(default=list, blank=True)
    json_file = models.BinaryField(blank=True, default=b"")
    zip_file = models.BinaryField(blank=True, default=b"")
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["waiting", "building", "ready", "failed"]), name="my_data_export_status_valid"
            ),
            # One download in the making per person: asking again while it is built changes nothing.
            models.UniqueConstraint(
                fields=["membership"],
                condition=Q(status__in=["waiting", "building"]),
                name="my_data_export_one_in_progress",
            ),
        ]

    def __str__(self) -> str:
        return f"my data {self.pk} ({self.status})"

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.WAITING, self.Status.BUILDING)
