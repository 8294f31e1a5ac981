"""Data protection for a partnership: who the data controllers are and whom to contact, how long each kind of
data is kept (and the runs of the retention job that keep to it), and the data sharing agreement, from which the
partnership's privacy notice is written."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.partnerships.models import Organisation, Partnership

TEXT_MAX = 4000
SHORT_MAX = 200


class Arrangement(models.TextChoices):
    """How the controllers share the data (UK GDPR Article 26 for joint controllers)."""

    JOINT = "joint", _("Joint controllers: they decide together why and how the data is used")
    INDEPENDENT = "independent", _("Independent controllers: each decides for the data it holds")


class DataProtectionSettings(models.Model):
    """The partnership's data controllers and its data protection contact. One per partnership."""

    partnership = models.OneToOneField(Partnership, on_delete=models.CASCADE, related_name="data_protection")
    controllers = models.ManyToManyField(Organisation, blank=True, related_name="controller_of")
    arrangement = models.CharField(
        _("How the controllers share the data"), max_length=12, choices=Arrangement.choices, default=Arrangement.JOINT
    )
    contact_name = models.CharField(_("Data protection contact: name or team"), max_length=SHORT_MAX, blank=True)
    contact_email = models.EmailField(_("Their email address"), blank=True)
    contact_address = models.TextField(_("Their postal address"), max_length=1000, blank=True)
    dpo_name = models.CharField(_("Data protection officer, if there is one"), max_length=SHORT_MAX, blank=True)
    dpo_email = models.EmailField(_("The data protection officer's email address"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(arrangement__in=["joint", "independent"]), name="data_protection_arrangement_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Data protection of {self.partnership_id}"


class RetentionPeriod(models.Model):
    """How long the partnership keeps one kind of data (a ``RetentionKind`` registered by a capability).
    No ``amount``: kept until deleted by hand. No row: the kind's default applies."""

    class Unit(models.TextChoices):
        DAYS = "days", _("days")
        MONTHS = "months", _("months")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="retention_periods")
    kind = models.CharField(max_length=80)
    amount = models.PositiveIntegerField(null=True, blank=True)
    unit = models.CharField(max_length=6, choices=Unit.choices, default=Unit.MONTHS)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "kind"], name="retention_period_one_per_kind"),
            models.CheckConstraint(condition=Q(unit__in=["days", "months"]), name="retention_period_unit_valid"),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=1), name="retention_period_at_least_one"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.amount} {self.unit}"


class RetentionRun(models.Model):
    """One run of the retention job for one partnership: what it removed (or, in a dry run, would remove)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="retention_runs")
    dry_run = models.BooleanField()
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Who asked for it: none when it ran on its schedule or from the command line.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["partnership", "-started_at"], name="retention_run_recent")]

    def __str__(self) -> str:
        return f"Retention run {self.pk}"


class RetentionOutcome(models.Model):
    """What one run did to one kind: how many records, and the cut-off (records older than it went)."""

    run = models.ForeignKey(RetentionRun, on_delete=models.CASCADE, related_name="outcomes")
    kind = models.CharField(max_length=80)
    label = models.CharField(max_length=300)
    cutoff = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["kind"]
        constraints = [models.UniqueConstraint(fields=["run", "kind"], name="retention_outcome_one_per_kind")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.count}"


class LawfulBasis(models.TextChoices):
    """UK GDPR Article 6(1)."""

    CONSENT = "a", _("(a) Consent: the person has agreed")
    CONTRACT = "b", _("(b) Contract: needed for a contract with the person")
    LEGAL_OBLIGATION = "c", _("(c) Legal obligation: the law requires it")
    VITAL_INTERESTS = "d", _("(d) Vital interests: to protect someone's life")
    PUBLIC_TASK = "e", _("(e) Public task: a task in the public interest or an official function")
    LEGITIMATE_INTERESTS = "f", _("(f) Legitimate interests, weighed against the person's rights")


class SpecialCondition(models.TextChoices):
    """UK GDPR Article 9(2), for special category data (health, ethnicity, religion, …)."""

    EXPLICIT_CONSENT = "a", _("(a) Explicit consent")
    EMPLOYMENT = "b", _("(b) Employment, social security and social protection (with a Schedule 1 condition)")
    VITAL_INTERESTS = "c", _("(c) Vital interests, when the person cannot consent")
    NOT_FOR_PROFIT = "d", _("(d) Not-for-profit body, about its members")
    MADE_PUBLIC = "e", _("(e) Made public by the person")
    LEGAL_CLAIMS = "f", _("(f) Legal claims")
    SUBSTANTIAL_PUBLIC_INTEREST = "g", _("(g) Substantial public interest (with a Schedule 1 condition)")
    HEALTH_OR_SOCIAL_CARE = "h", _("(h) Health or social care (with a Schedule 1 condition)")
    PUBLIC_HEALTH = "i", _("(i) Public health (with a Schedule 1 condition)")
    ARCHIVING = "j", _("(j) Archiving, research and statistics (with a Schedule 1 condition)")


# The Article 9 conditions that need a condition from Schedule 1 of the Data Protection Act 2018 as well.
NEEDS_SCHEDULE_1 = frozenset({"b", "g", "h", "i", "j"})


class DataItem(models.TextChoices):
    """The kinds of personal data the platform holds, for the agreement's list of what is shared."""

    ACCOUNT = "account", _("Name, email address and sign-in records")
    ROLES = "roles", _("Roles in the partnership and organisation")
    PLAN = "plan", _("Support plans: about me, goals and actions")
    CHECKINS = "checkins", _("Check-ins and outcome ratings")
    REFERRALS = "referrals", _("Referrals to partner services")
    SHARES = "shares", _("Consent to share parts of a plan, and who read it")
    IDEAS = "ideas", _("Ideas, comments, supports and follows")
    CONVERSATIONS = "conversations", _("Statements and votes in conversations")
    FUND = "fund", _("Fund proposals, ballots and awards")
    IMPROVEMENT = "improvement", _("Tests of change and members' answers about them")
    NOTIFICATIONS = "notifications", _("Notifications and emails")
    AUDIT = "audit", _("The audit log: who did what, and when")


class SharingAgreement(models.Model):
    """One version of the partnership's data sharing agreement (ICO data sharing code of practice). A change
    adds a version; none is ever changed or deleted, so every version stays readable with its date."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="sharing_agreements")
    version = models.PositiveIntegerField()
    purposes = models.TextField(_("Why the data is shared"), max_length=TEXT_MAX)
    data_items = models.JSONField(_("What data is shared"), default=list)
    data_items_other = models.TextField(_("Anything else shared"), max_length=TEXT_MAX, blank=True)
    lawful_bases = models.JSONField(_("Lawful bases (UK GDPR Article 6)"), default=list)
    lawful_basis_explanation = models.TextField(_("How each basis applies"), max_length=TEXT_MAX, blank=True)
    special_category = models.BooleanField(_("Special category data is shared"), default=False)
    special_condition = models.CharField(
        _("Condition for special category data (UK GDPR Article 9(2))"),
        max_length=1,
        choices=SpecialCondition.choices,
        blank=True,
    )
    schedule_1_condition = models.CharField(
        _("Condition in Schedule 1 of the Data Protection Act 2018"), max_length=500, blank=True
    )
    security = models.TextField(_("How the data is kept secure"), max_length=TEXT_MAX)
    rights_contact = models.TextField(_("How people use their rights"), max_length=TEXT_MAX)
    review_date = models.DateField(_("Review date"))
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "version"], name="sharing_agreement_version_unique"),
            models.CheckConstraint(condition=Q(version__gte=1), name="sharing_agreement_version_positive"),
            models.CheckConstraint(
                condition=Q(special_category=False) | ~Q(special_condition=""),
                name="sharing_agreement_special_has_condition",
            ),
            models.CheckConstraint(condition=~Q(purposes=""), name="sharing_agreement_has_purposes"),
        ]

    def __str__(self) -> str:
        return f"Data sharing agreement, version {self.version}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("A data sharing agreement's versions are kept as they were: add a new version.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]
