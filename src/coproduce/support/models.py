"""Personal support: the member's co-owned support plan (about me, goals, actions, team, check-ins with the
outcome wheel), consent to share its parts, who has read it, the service directory and referrals.

Who may see what is decided in one place, ``selectors.plan_parts_visible_to``; these models only hold the
records and the invariants the database can keep."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.core.text_language import text_language_field
from coproduce.partnerships.models import Membership, Organisation, Partnership

TEXT_MAX = 2000
SHORT_MAX = 200


class Part(models.TextChoices):
    """The parts of a plan a member can share, one by one."""

    ABOUT = "about", _("About me")
    GOALS = "goals", _("Goals")
    ACTIONS = "actions", _("Actions")
    TEAM = "team", _("My team")
    CHECKINS = "checkins", _("Check-ins and progress")


PART_VALUES = tuple(Part.values)


class Purpose(models.TextChoices):
    PLAN = "plan", _("Keeping a support plan with a keyworker")
    SHARING = "sharing", _("Sharing parts of a plan with partner organisations")
    REFERRAL = "referral", _("Referrals to partner services")
    REPORTING = "reporting", _("Counts and averages for the partnership's reports")


class Basis(models.TextChoices):
    CONSENT = "consent", _("Consent")
    CONTRACT = "contract", _("Contract")
    LEGAL_OBLIGATION = "legal_obligation", _("Legal obligation")
    PUBLIC_TASK = "public_task", _("Public task")
    LEGITIMATE_INTERESTS = "legitimate_interests", _("Legitimate interests")


# Each lawful basis in words a parent reads without the law at hand: why her plan may be shared.
BASIS_IN_WORDS = {
    Basis.CONSENT: _("You agreed to it"),
    Basis.CONTRACT: _("It is part of an agreement with you"),
    Basis.LEGAL_OBLIGATION: _("The law says it must be"),
    Basis.PUBLIC_TASK: _("It is part of a public service's job"),
    Basis.LEGITIMATE_INTERESTS: _("It is needed to support you, in a way you would expect"),
}


class LawfulBasis(models.Model):
    """The lawful basis the partnership relies on for each purpose (UK GDPR article 6)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="lawful_bases")
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    basis = models.CharField(max_length=30, choices=Basis.choices, default=Basis.CONSENT)
    explanation = models.CharField(max_length=TEXT_MAX, blank=True)

    class Meta:
        ordering = ["purpose"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "purpose"], name="lawful_basis_one_per_purpose"),
            models.CheckConstraint(condition=Q(purpose__in=list(Purpose.values)), name="lawful_basis_purpose_valid"),
            models.CheckConstraint(condition=Q(basis__in=list(Basis.values)), name="lawful_basis_basis_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.purpose}: {self.basis}"

    @property
    def basis_in_words(self) -> str:
        return str(BASIS_IN_WORDS.get(Basis(self.basis), self.get_basis_display()))


class OutcomeArea(models.Model):
    """One area of the partnership's outcome wheel: a 1–10 ladder in five named stages (1–2, 3–4, …)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="outcome_areas")
    key = models.SlugField(max_length=40)
    name = models.CharField(_("name"), max_length=80)
    question = models.CharField(_("question"), max_length=SHORT_MAX, blank=True)
    stages = models.JSONField(_("the five stages"), default=list)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "key"], name="outcome_area_key_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def stage_for(self, rating: int | None) -> str:
        if rating is None or not self.stages:
            return ""
        index = min(max((int(rating) - 1) // 2, 0), len(self.stages) - 1)
        return str(self.stages[index])


class SupportPlan(models.Model):
    """The member's own plan, one per member per partnership. Started by the member (active at once) or by a
    keyworker with them (proposed until the member accepts it)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Waiting for the member to accept")
        ACTIVE = "active", _("Active")

    language = text_language_field()
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="support_plans")
    # Null only after erasure or once the member has left the partnership (ADR 24): the row stays so that
    # aggregate counts stay right.
    member = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="support_plans"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    what_matters = models.TextField(_("What matters to me"), blank=True, max_length=TEXT_MAX)
    strengths = models.TextField(_("My strengths and what I bring"), blank=True, max_length=TEXT_MAX)
    wants = models.TextField(_("What I want"), blank=True, max_length=TEXT_MAX)
    barriers = models.TextField(_("What gets in the way"), blank=True, max_length=TEXT_MAX)
    # Optimistic concurrency for "About me": an edit names the version it started from.
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)
    # The member left the partnership (ADR 24): the plan is closed, seen by no one, and kept, with whose it
    # was, until the retention period for closed plans passes (or the person asks for erasure).
    left_at = models.DateTimeField(null=True, blank=True)
    former_member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "member"], name="support_plan_one_per_member"),
            models.CheckConstraint(condition=Q(status__in=["proposed", "active"]), name="support_plan_status_valid"),
            models.CheckConstraint(condition=Q(version__gte=1), name="support_plan_version_positive"),
            models.CheckConstraint(
                condition=Q(member__isnull=False) | Q(erased_at__isnull=False) | Q(left_at__isnull=False),
                name="support_plan_member_unless_erased_or_left",
            ),
        ]

    def __str__(self) -> str:
        return f"Support plan {self.pk}"


class Recorded(models.Model):
    """Who wrote a record and whether the member was there: "recorded by Jamie with Aisha"."""

    language = text_language_field()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    with_member = models.BooleanField(_("The member is here with me and agrees"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


class Goal(Recorded):
    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="goals")
    text = models.CharField(_("My goal"), max_length=SHORT_MAX)
    why = models.TextField(_("Why it matters to me"), blank=True, max_length=TEXT_MAX)
    target_date = models.DateField(_("When by"), null=True, blank=True)
    achieved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(version__gte=1), name="goal_version_positive")]

    def __str__(self) -> str:
        return self.text


class Action(Recorded):
    class Owner(models.TextChoices):
        MEMBER = "member", _("Me")
        KEYWORKER = "keyworker", _("My keyworker")
        ORGANISATION = "organisation", _("A partner organisation")

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="actions")
    goal = models.ForeignKey(Goal, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions")
    text = models.CharField(_("What will be done"), max_length=SHORT_MAX)
    owner = models.CharField(_("Who will do it"), max_length=20, choices=Owner.choices, default=Owner.MEMBER)
    owner_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="support_actions"
    )
    due = models.DateField(_("By when"), null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["done_at", "due", "id"]
        indexes = [models.Index(fields=["plan", "due"], name="action_plan_due")]
        constraints = [
            models.CheckConstraint(condition=Q(version__gte=1), name="action_version_positive"),
            models.CheckConstraint(
                condition=Q(owner__in=["member", "keyworker", "organisation"]), name="action_owner_valid"
            ),
            models.CheckConstraint(
                condition=(Q(owner="organisation") & Q(owner_organisation__isnull=False))
                | (~Q(owner="organisation") & Q(owner_organisation__isnull=True)),
                name="action_organisation_named_when_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.text


class TeamMember(models.Model):
    """A keyworker or partner contact in the member's team: there only once the member agrees."""

    class Role(models.TextChoices):
        KEYWORKER = "keyworker", _("Keyworker")
        CONTACT = "contact", _("Partner contact")

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="team")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="support_teams")
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.KEYWORKER)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    agreed_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["proposed_at", "id"]
        indexes = [models.Index(fields=["membership", "agreed_at", "ended_at"], name="team_member_current")]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "membership"], condition=Q(ended_at__isnull=True), name="team_member_once_per_plan"
            ),
            models.CheckConstraint(condition=Q(role__in=["keyworker", "contact"]), name="team_member_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.role} {self.membership_id} on plan {self.plan_id}"


class PlanChange(models.Model):
    """The plan's history: every change, who made it, when, and what it was before and after."""

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="changes")
    part = models.CharField(max_length=12, choices=Part.choices)
    object_id = models.PositiveIntegerField(null=True, blank=True)
    summary = models.CharField(max_length=SHORT_MAX)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    changed_by_label = models.CharField(max_length=SHORT_MAX, blank=True)
    with_member = models.BooleanField(default=False)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return self.summary


class Share(models.Model):
    """One consent record: the member lets an organisation see one part of the plan. Never deleted;
    withdrawal sets ``withdrawn_at`` and cuts access at once (the selectors only read live records)."""

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="shares")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="plan_shares")
    part = models.CharField(max_length=12, choices=Part.choices)
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.SHARING)
    lawful_basis = models.CharField(max_length=30, choices=Basis.choices, default=Basis.CONSENT)
    referral = models.ForeignKey("Referral", null=True, blank=True, on_delete=models.SET_NULL, related_name="shares")
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    given_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-given_at", "-id"]
        indexes = [models.Index(fields=["organisation", "withdrawn_at"], name="share_organisation_live")]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "organisation", "part"],
                condition=Q(withdrawn_at__isnull=True),
                name="share_one_live_per_part",
            ),
            models.CheckConstraint(condition=Q(part__in=list(PART_VALUES)), name="share_part_valid"),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=models.F("given_at")),
                name="share_withdrawn_after_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.part} of plan {self.plan_id} with {self.organisation_id}"

    @property
    def basis_in_words(self) -> str:
        return str(BASIS_IN_WORDS.get(Basis(self.lawful_basis), self.get_lawful_basis_display()))


class PlanRead(models.Model):
    """Every read of a plan by anyone other than its member: shown to the member."""

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="reads")
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reader_label = models.CharField(max_length=SHORT_MAX)
    organisation_label = models.CharField(max_length=SHORT_MAX, blank=True)
    parts = models.JSONField(default=list)
    page = models.CharField(max_length=40)
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-read_at", "-id"]
        indexes = [models.Index(fields=["plan", "-read_at"], name="plan_read_recent")]

    def __str__(self) -> str:
        return f"{self.reader_label} read plan {self.plan_id}"


class CheckIn(models.Model):
    """A check-in: date, notes and a rating of each outcome area. Agreed once the member says so."""

    language = text_language_field()
    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="checkins")
    date = models.DateField(_("Date"))
    notes = models.TextField(_("Notes"), blank=True, max_length=TEXT_MAX)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    with_member = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    agreed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["plan", "date"], name="checkin_plan_date")]

    def __str__(self) -> str:
        return f"Check-in {self.date}"


def _rating_range(field: str) -> Q:
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 1, f"{field}__lte": 10})


class Rating(models.Model):
    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="ratings")
    area = models.ForeignKey(OutcomeArea, on_delete=models.PROTECT, related_name="ratings")
    member_rating = models.PositiveSmallIntegerField(null=True, blank=True)
    worker_rating = models.PositiveSmallIntegerField(null=True, blank=True)
    agreed = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["area__order", "area__name"]
        constraints = [
            models.UniqueConstraint(fields=["checkin", "area"], name="rating_one_per_area"),
            models.CheckConstraint(condition=_rating_range("member_rating"), name="rating_member_1_to_10"),
            models.CheckConstraint(condition=_rating_range("worker_rating"), name="rating_worker_1_to_10"),
            models.CheckConstraint(condition=Q(agreed__gte=1, agreed__lte=10), name="rating_agreed_1_to_10"),
        ]

    def __str__(self) -> str:
        return f"{self.area_id}: {self.agreed}"


# --- The service directory ------------------------------------------------------------------------


class NeedTag(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="need_tags")
    key = models.SlugField(max_length=40)
    name = models.CharField(max_length=80)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["partnership", "key"], name="need_tag_key_unique")]

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    """Something a partner organisation offers, as in Open Referral UK."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="services")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="services")
    name = models.CharField(_("name"), max_length=SHORT_MAX)
    description = models.TextField(_("what it is"), max_length=TEXT_MAX)
    who_for = models.TextField(_("who it is for"), blank=True, max_length=TEXT_MAX)
    how_to_get = models.TextField(_("how to get it"), blank=True, max_length=TEXT_MAX)
    cost = models.CharField(_("cost"), max_length=SHORT_MAX, blank=True)
    is_free = models.BooleanField(_("free"), default=True)
    languages = models.CharField(_("languages"), max_length=SHORT_MAX, blank=True)
    contact_name = models.CharField(_("contact"), max_length=SHORT_MAX, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    url = models.URLField(_("website"), blank=True)
    needs = models.ManyToManyField(NeedTag, blank=True, related_name="services")
    active = models.BooleanField(default=True)
    external_id = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "organisation", "name"], name="service_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def language_list(self) -> list[str]:
        return [part.strip() for part in self.languages.split(",") if part.strip()]


class ServiceLocation(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField(max_length=SHORT_MAX)
    address = models.CharField(max_length=SHORT_MAX, blank=True)
    postcode = models.CharField(max_length=12, blank=True)
    opening_times = models.CharField(max_length=SHORT_MAX, blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


# --- Referrals --------------------------------------------------------------------------------------


class Referral(models.Model):
    """A request, agreed by the member, from a plan to a service. The state machine is in services.py."""

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        STARTED = "started", _("Started")
        COMPLETED = "completed", _("Completed")
        CLOSED = "closed", _("Closed")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="referrals")
    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="referrals")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="referrals")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="referrals_received")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SENT)
    note = models.TextField(_("A note for the service"), blank=True, max_length=TEXT_MAX)
    shared_parts = models.JSONField(default=list)
    member_agreed_at = models.DateTimeField()
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    decline_reason = models.CharField(max_length=TEXT_MAX, blank=True)
    # Set when the member withdraws their agreement: the receiving organisation loses sight of it at once.
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "status"], name="referral_organisation_status"),
            models.Index(fields=["plan", "-updated_at"], name="referral_plan_recent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["sent", "accepted", "declined", "started", "completed", "closed"]),
                name="referral_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""), name="referral_declined_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"Referral {self.pk} to {self.service_id}"

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES


FINAL_STATUSES = frozenset({"declined", "completed", "closed"})


class ReferralUpdate(models.Model):
    """Each step of a referral and any message back to the referrer and the member."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(max_length=10, choices=Referral.Status.choices)
    message = models.TextField(blank=True, max_length=TEXT_MAX)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    by_label = models.CharField(max_length=SHORT_MAX, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.status}"


# --- Money for barriers (flexible money from the pooled fund's pot, issue 26) -----------------------------


class BarrierRequest(models.Model):
    """A request, from an action in a member's plan, for money from the partnership's flexible pot to remove a
    barrier (a bus pass, a nursery deposit). Asked by the member or her keyworker, agreed by the member,
    approved by whoever the pot's delegated limits allow, then paid. Never changed after approval: a new
    request is made instead. The money itself is held and paid through ``fund.api``."""

    class Status(models.TextChoices):
        ASKED = "asked", _("Waiting for the member to agree")
        AGREED = "agreed", _("Waiting for approval")
        APPROVED = "approved", _("Approved, not yet paid")
        REFUSED = "refused", _("Refused")
        PAID = "paid", _("Paid")
        CANCELLED = "cancelled", _("Cancelled")

    class Level(models.TextChoices):
        KEYWORKER = "keyworker", _("Her keyworker")
        COORDINATOR = "coordinator", _("A coordinator")
        TWO_COORDINATORS = "two_coordinators", _("Two coordinators")

    language = text_language_field()
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="barrier_requests")
    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="barrier_requests")
    action = models.ForeignKey(
        Action, null=True, blank=True, on_delete=models.SET_NULL, related_name="barrier_requests"
    )
    goal = models.ForeignKey(Goal, null=True, blank=True, on_delete=models.SET_NULL, related_name="barrier_requests")
    # The fund's pot (``fund.api.PotView.id``) the request was asked in: its year, limits and cap apply.
    pot_id = models.PositiveIntegerField()
    category = models.SlugField(_("what kind of cost"), max_length=40)
    what_for = models.CharField(_("What the money is for"), max_length=SHORT_MAX)
    amount_pence = models.PositiveIntegerField(_("how much"))
    supplier = models.CharField(_("who it is paid to"), max_length=SHORT_MAX, blank=True)
    method = models.CharField(_("how it is paid"), max_length=20, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ASKED)
    # Who must approve it, fixed when the member agrees (from the pot's limits then).
    level = models.CharField(max_length=20, choices=Level.choices, blank=True)
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    agreed_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    refusal_reason = models.CharField(_("Why it is refused"), max_length=TEXT_MAX, blank=True)
    paid_on = models.DateField(null=True, blank=True)
    reference = models.CharField(_("receipt or reference"), max_length=SHORT_MAX, blank=True)
    ledger_entry_id = models.PositiveIntegerField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["partnership", "status", "agreed_at"], name="barrier_waiting"),
            models.Index(fields=["plan", "-created_at"], name="barrier_plan_recent"),
            models.Index(fields=["partnership", "pot_id", "status"], name="barrier_pot_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount_pence__gt=0), name="barrier_amount_positive"),
            models.CheckConstraint(
                condition=Q(status__in=["asked", "agreed", "approved", "refused", "paid", "cancelled"]),
                name="barrier_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(refusal_reason=""), name="barrier_refused_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "paid"]) | Q(decided_at__isnull=False, agreed_at__isnull=False),
                name="barrier_approved_was_agreed",
            ),
            models.CheckConstraint(
                condition=~Q(status="paid") | (Q(paid_on__isnull=False, ledger_entry_id__isnull=False) & ~Q(method="")),
                name="barrier_paid_is_recorded",
            ),
        ]

    def __str__(self) -> str:
        return f"Barrier request {self.pk}"

    @property
    def source_key(self) -> str:
        """The key of this request's commitment in the pot and its entry in the fund's ledger."""
        return f"support.barrier:{self.pk}"


class BarrierApproval(models.Model):
    """One person's approval of a request; above the coordinator limit two different coordinators are needed."""

    request = models.ForeignKey(BarrierRequest, on_delete=models.CASCADE, related_name="approvals")
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    approver_label = models.CharField(max_length=SHORT_MAX, blank=True)
    role = models.CharField(max_length=20)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "approver"], name="barrier_approval_once_per_person"),
            models.CheckConstraint(condition=Q(role__in=["keyworker", "coordinator"]), name="barrier_approval_role"),
        ]

    def __str__(self) -> str:
        return f"{self.role} approval of {self.request_id}"
