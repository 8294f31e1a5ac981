"""Employability outcomes recorded with the member, and her priority family groups (voluntary).

The outcomes are those the Scottish employability Shared Measurement Framework and Fair Work ask about: training
started, a qualification gained, volunteering, a job started (hours, contract, pay against the real Living Wage),
progression in work, and still in work 13, 26 and 52 weeks after a job started. The member records her own, or
her keyworker records them with her (ticking that she agreed). She sees every one, who recorded it and when, who
else has read them, and may ask for a correction. Nobody else sees them; coordinators see counts only (the report
sections in ``reports/reporting.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.partnerships.models import Membership, Organisation, Partnership

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise
else:
    StrOrPromise = object

__all__ = [
    "FOLLOW_UP_WEEKS",
    "JOB_KINDS",
    "PRIORITY_GROUPS",
    "CorrectionRequest",
    "Outcome",
    "OutcomeRead",
    "PriorityGroups",
]

TEXT_MAX = 1000
SHORT_MAX = 200
MAX_HOURS = 80


class Outcome(models.Model):
    class Kind(models.TextChoices):
        TRAINING_STARTED = "training_started", _("Started training or a course")
        QUALIFICATION_GAINED = "qualification_gained", _("Gained a qualification")
        VOLUNTEERING_STARTED = "volunteering_started", _("Started volunteering")
        JOB_STARTED = "job_started", _("Started a job")
        PROGRESSION = "progression", _("Moved on in work (more hours, better pay or a better job)")
        IN_WORK_13 = "in_work_13", _("Still in work 13 weeks after starting")
        IN_WORK_26 = "in_work_26", _("Still in work 26 weeks after starting")
        IN_WORK_52 = "in_work_52", _("Still in work 52 weeks after starting")

    class Contract(models.TextChoices):
        PERMANENT = "permanent", _("Permanent")
        FIXED_TERM = "fixed_term", _("Fixed term")
        TEMPORARY = "temporary", _("Temporary or through an agency")
        ZERO_HOURS = "zero_hours", _("Zero hours")
        SELF_EMPLOYED = "self_employed", _("Self-employed")
        APPRENTICESHIP = "apprenticeship", _("Apprenticeship")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    # Hers: leaving or erasure deletes her membership, and with it her outcomes.
    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="employability_outcomes")
    kind = models.CharField(_("What happened"), max_length=24, choices=Kind.choices)
    on = models.DateField(_("When"))
    # A job started or a move on in work: hours, contract and pay, compared with the real Living Wage in force
    # on the day (stored, so a later rate never rewrites what was recorded).
    hours_per_week = models.DecimalField(_("Hours a week"), max_digits=4, decimal_places=1, null=True, blank=True)
    contract = models.CharField(_("Contract"), max_length=16, choices=Contract.choices, blank=True)
    hourly_pay_pence = models.PositiveIntegerField(null=True, blank=True)
    living_wage_pence = models.PositiveIntegerField(null=True, blank=True)
    pays_living_wage = models.BooleanField(null=True, blank=True)
    # Still in work at 13, 26 or 52 weeks: the job it follows up.
    job = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("Job")
    )
    description = models.CharField(_("A few words (optional)"), max_length=SHORT_MAX, blank=True)
    recorded_by = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_by_label = models.CharField(max_length=SHORT_MAX, blank=True)
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    agreed_with_member = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-on", "-id"]
        indexes = [
            models.Index(fields=["member", "-on"], name="outcome_member_recent"),
            models.Index(fields=["partnership", "on", "kind"], name="outcome_period_kind"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "training_started",
                        "qualification_gained",
                        "volunteering_started",
                        "job_started",
                        "progression",
                        "in_work_13",
                        "in_work_26",
                        "in_work_52",
                    ]
                ),
                name="outcome_kind_valid",
            ),
            models.CheckConstraint(condition=Q(hourly_pay_pence__gte=0), name="outcome_pay_not_negative"),
            models.CheckConstraint(
                condition=Q(hours_per_week__gte=0, hours_per_week__lte=MAX_HOURS), name="outcome_hours_0_to_80"
            ),
            # A job started or a move on in work has its hours, contract and pay (and the Living Wage it was
            # compared with); nothing else has any.
            models.CheckConstraint(
                condition=(
                    Q(
                        kind__in=["job_started", "progression"],
                        hours_per_week__isnull=False,
                        hourly_pay_pence__isnull=False,
                        living_wage_pence__isnull=False,
                        pays_living_wage__isnull=False,
                    )
                    & ~Q(contract="")
                )
                | Q(
                    ~Q(kind__in=["job_started", "progression"]),
                    hours_per_week__isnull=True,
                    hourly_pay_pence__isnull=True,
                    living_wage_pence__isnull=True,
                    pays_living_wage__isnull=True,
                    contract="",
                ),
                name="outcome_job_details_for_jobs",
            ),
            models.CheckConstraint(
                condition=Q(pays_living_wage__isnull=True)
                | Q(pays_living_wage=True, hourly_pay_pence__gte=F("living_wage_pence"))
                | Q(pays_living_wage=False, hourly_pay_pence__lt=F("living_wage_pence")),
                name="outcome_living_wage_compared",
            ),
            # A follow-up names its job; nothing else does.
            models.CheckConstraint(
                condition=Q(kind__in=["in_work_13", "in_work_26", "in_work_52"], job__isnull=False)
                | Q(~Q(kind__in=["in_work_13", "in_work_26", "in_work_52"]), job__isnull=True),
                name="outcome_follow_up_has_job",
            ),
            models.UniqueConstraint(
                fields=["job", "kind"], condition=Q(job__isnull=False), name="outcome_one_follow_up_per_kind"
            ),
            # Staff record only with the member's agreement; her own are hers.
            models.CheckConstraint(
                condition=Q(agreed_with_member=True) | Q(recorded_by=F("member")) | Q(recorded_by__isnull=True),
                name="outcome_agreed_when_staff_record",
            ),
        ]

    def __str__(self) -> str:
        return f"Outcome {self.pk}"

    @property
    def is_job(self) -> bool:
        return self.kind in JOB_KINDS

    @property
    def hourly_pay_pounds(self) -> str:
        return f"£{self.hourly_pay_pence / 100:.2f}" if self.hourly_pay_pence is not None else ""

    @property
    def living_wage_pounds(self) -> str:
        return f"£{self.living_wage_pence / 100:.2f}" if self.living_wage_pence is not None else ""


JOB_KINDS = frozenset({Outcome.Kind.JOB_STARTED, Outcome.Kind.PROGRESSION})
# A follow-up's kind -> how many weeks after its job started it may be recorded.
FOLLOW_UP_WEEKS = {Outcome.Kind.IN_WORK_13: 13, Outcome.Kind.IN_WORK_26: 26, Outcome.Kind.IN_WORK_52: 52}


class Answer(models.TextChoices):
    NOT_ASKED = "not_asked", _("Not asked")
    YES = "yes", _("Yes")
    NO = "no", _("No")
    PREFER_NOT = "prefer_not", _("Prefer not to say")


# The six child-poverty priority family groups (Best Start, Bright Futures), in the order asked.
PRIORITY_GROUPS: tuple[tuple[str, StrOrPromise], ...] = (
    ("lone_parent", _("I am a lone parent")),
    ("disability", _("Someone in my family is disabled (an adult or a child)")),
    ("three_plus_children", _("There are three or more children in my family")),
    ("minority_ethnic", _("My family is from a minority ethnic group")),
    ("youngest_under_one", _("My youngest child is under one")),
    ("mother_under_25", _("I am a mother under 25")),
)


def _answer_field(label: StrOrPromise) -> models.CharField:
    return models.CharField(label, max_length=12, choices=Answer.choices, default=Answer.NOT_ASKED)


class PriorityGroups(models.Model):
    """Her answers about the six priority family groups: each voluntary, "prefer not to say" always fine."""

    Answer = Answer

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    member = models.OneToOneField(Membership, on_delete=models.CASCADE, related_name="priority_groups")
    lone_parent = _answer_field(PRIORITY_GROUPS[0][1])
    disability = _answer_field(PRIORITY_GROUPS[1][1])
    three_plus_children = _answer_field(PRIORITY_GROUPS[2][1])
    minority_ethnic = _answer_field(PRIORITY_GROUPS[3][1])
    youngest_under_one = _answer_field(PRIORITY_GROUPS[4][1])
    mother_under_25 = _answer_field(PRIORITY_GROUPS[5][1])
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_by_label = models.CharField(max_length=SHORT_MAX, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{key}__in": ["not_asked", "yes", "no", "prefer_not"]}),
                name=f"priority_groups_{key}_valid",
            )
            for key, _label in PRIORITY_GROUPS
        ]

    def __str__(self) -> str:
        return f"Priority groups of {self.member_id}"

    def answers(self) -> list[tuple[str, StrOrPromise, str]]:
        """(key, the question, the answer in words) for each group, in order."""
        return [(key, label, str(Answer(getattr(self, key)).label)) for key, label in PRIORITY_GROUPS]


class CorrectionRequest(models.Model):
    """She asks for an outcome recorded about her to be corrected; the recorder or her keyworker corrects it
    (the change kept here) or declines with a reply she reads."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for an answer")
        CORRECTED = "corrected", _("Corrected")
        DECLINED = "declined", _("Not changed")

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="corrections")
    text = models.CharField(_("What is wrong, and what it should say"), max_length=TEXT_MAX)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    reply = models.CharField(_("Your reply"), max_length=TEXT_MAX, blank=True)
    change = models.JSONField(default=dict, blank=True)  # {"before": {...}, "after": {...}} when corrected
    handled_by = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    handled_by_label = models.CharField(max_length=SHORT_MAX, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "corrected", "declined"]), name="correction_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="open", handled_at__isnull=True) | Q(~Q(status="open"), handled_at__isnull=False),
                name="correction_handled_when_answered",
            ),
            models.UniqueConstraint(fields=["outcome"], condition=Q(status="open"), name="correction_one_open"),
        ]

    def __str__(self) -> str:
        return f"Correction {self.pk} of outcome {self.outcome_id}"


class OutcomeRead(models.Model):
    """Every read of a member's outcomes by someone other than her: shown to her."""

    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="outcome_reads")
    reader = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reader_label = models.CharField(max_length=SHORT_MAX)
    organisation_label = models.CharField(max_length=SHORT_MAX, blank=True)
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-read_at", "-id"]
        indexes = [models.Index(fields=["member", "-read_at"], name="outcome_read_recent")]

    def __str__(self) -> str:
        return f"{self.reader_label} read the outcomes of {self.member_id}"
