"""Tests of change (plan-do-study-act cycles), their measures and observations, decisions, and the
stop-doing register."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.core.text_language import text_language_field
from coproduce.partnerships.models import Membership, Organisation, Partnership

TITLE_MAX = 140
TEXT_MAX = 4000
SHORT_MAX = 200


class ImprovementSettings(models.Model):
    """How a partnership runs its tests of change and its stop-doing register."""

    class StopRule(models.TextChoices):
        TELL_AND_GO = "tell", _("Tell and go: a practice is listed as stopped as soon as it is entered")
        AGREE_FIRST = "agree", _("Agree first: someone from the other side (a member, or staff) must agree")

    partnership = models.OneToOneField(Partnership, on_delete=models.CASCADE, related_name="improvement_settings")
    decisions_need_member = models.BooleanField(
        _("a member must co-sign each decision"),
        default=False,
        help_text=_("When ticked, a decision takes effect only once a member of the partnership co-signs it."),
    )
    stop_rule = models.CharField(
        _("stopping a practice"), max_length=10, choices=StopRule.choices, default=StopRule.TELL_AND_GO
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(stop_rule__in=["tell", "agree"]), name="improvement_stop_rule_valid")
        ]

    def __str__(self) -> str:
        return f"improvement settings of {self.partnership_id}"


class TestOfChange(models.Model):
    """One plan-do-study-act cycle, trying something new or stopping something."""

    __test__ = False  # not a test case, whatever pytest thinks of the name

    class Stage(models.TextChoices):
        PLAN = "plan", _("Plan")
        DO = "do", _("Do")
        STUDY = "study", _("Study")
        ACT = "act", _("Act")

    class ChangeKind(models.TextChoices):
        TRY = "try", _("Try something new")
        STOP = "stop", _("Stop doing something")

    language = text_language_field()
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="tests_of_change")
    title = models.CharField(_("name of the test"), max_length=TITLE_MAX)
    aim_what = models.TextField(_("what we want to improve"), max_length=TEXT_MAX)
    aim_how_much = models.CharField(_("by how much"), max_length=SHORT_MAX)
    aim_by_when = models.DateField(_("by when"))
    change_kind = models.CharField(_("the change"), max_length=10, choices=ChangeKind.choices)
    change = models.TextField(_("what we will try or stop"), max_length=TEXT_MAX)
    predictions = models.TextField(_("what we predict will happen"), max_length=TEXT_MAX)
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.PLAN)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="tests_of_change"
    )
    people = models.ManyToManyField(Membership, blank=True, related_name="tests_of_change")
    idea = models.ForeignKey(
        "voice.Idea", null=True, blank=True, on_delete=models.SET_NULL, related_name="tests_of_change"
    )
    previous = models.OneToOneField("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next_cycle")
    cycle = models.PositiveSmallIntegerField(default=1)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    study_notes = models.TextField(_("what happened, against the predictions"), blank=True, max_length=TEXT_MAX)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["partnership", "stage", "-updated_at"], name="test_of_change_board")]
        constraints = [
            models.CheckConstraint(condition=Q(stage__in=["plan", "do", "study", "act"]), name="test_stage_valid"),
            models.CheckConstraint(condition=Q(change_kind__in=["try", "stop"]), name="test_change_kind_valid"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="test_dates_in_order"),
            models.CheckConstraint(condition=~Q(title=""), name="test_title_not_empty"),
            models.CheckConstraint(condition=Q(cycle__gte=1), name="test_cycle_positive"),
        ]

    def __str__(self) -> str:
        return self.title


class Measure(models.Model):
    class Kind(models.TextChoices):
        OUTCOME = "outcome", _("Outcome: what we want to improve")
        PROCESS = "process", _("Process: are we doing what we planned")
        BALANCING = "balancing", _("Balancing: is anything else getting worse")

    class Better(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    test = models.ForeignKey(TestOfChange, on_delete=models.CASCADE, related_name="measures")
    name = models.CharField(_("name"), max_length=TITLE_MAX)
    kind = models.CharField(_("kind of measure"), max_length=10, choices=Kind.choices)
    unit = models.CharField(_("unit"), max_length=60)
    better = models.CharField(_("which direction is better"), max_length=10, choices=Better.choices)
    source = models.CharField(_("where the figures come from"), max_length=SHORT_MAX)
    baseline_points = models.PositiveSmallIntegerField(
        _("baseline: how many of the first observations set the median"), null=True, blank=True
    )
    # A measure that follows figures another part of the platform keeps (``partnerships.measures``): the
    # source's key ("evaluation.statement") and its reference ("12:listened"). Its points are read from the
    # source each time, never stored here, and no observation can be entered or imported for it.
    linked_source = models.CharField(max_length=40, blank=True)
    linked_ref = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["outcome", "process", "balancing"]), name="measure_kind_valid"
            ),
            models.CheckConstraint(condition=Q(better__in=["higher", "lower"]), name="measure_better_valid"),
            models.CheckConstraint(
                condition=Q(baseline_points__isnull=True) | Q(baseline_points__gte=1), name="measure_baseline_positive"
            ),
            models.UniqueConstraint(fields=["test", "name"], name="measure_name_unique_in_test"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_linked(self) -> bool:
        return bool(self.linked_source)


class Observation(models.Model):
    """One dated value of a measure."""

    class Source(models.TextChoices):
        ENTERED = "entered", _("Entered")
        IMPORTED = "imported", _("Imported from a file")

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="observations")
    observed_on = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4)
    note = models.CharField(_("note"), max_length=SHORT_MAX, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.ENTERED)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["observed_on"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "observed_on"], name="observation_one_per_date"),
            models.CheckConstraint(condition=Q(source__in=["entered", "imported"]), name="observation_source_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.measure_id} {self.observed_on}: {self.value}"


class MemberCheck(models.Model):
    """A member's one-question answer: "Did this help you?"."""

    class Answer(models.TextChoices):
        YES = "yes", _("Yes")
        A_BIT = "a_bit", _("A bit")
        NO = "no", _("No")

    test = models.ForeignKey(TestOfChange, on_delete=models.CASCADE, related_name="checks")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    answer = models.CharField(_("Did this help you?"), max_length=10, choices=Answer.choices)
    words = models.CharField(_("anything you want to add"), max_length=500, blank=True)
    answered_on = models.DateField(default=timezone.localdate)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(answer__in=["yes", "a_bit", "no"]), name="check_answer_valid"),
            models.UniqueConstraint(fields=["test", "member", "answered_on"], name="check_one_per_member_per_day"),
        ]

    def __str__(self) -> str:
        return f"check on {self.test_id}: {self.answer}"


class Decision(models.Model):
    """What the partnership decided after studying a test: adopt, adapt or abandon."""

    class Kind(models.TextChoices):
        ADOPT = "adopt", _("Adopt: keep doing it")
        ADAPT = "adapt", _("Adapt: change it and test again")
        ABANDON = "abandon", _("Abandon: stop it")

    test = models.OneToOneField(TestOfChange, on_delete=models.CASCADE, related_name="decision")
    kind = models.CharField(_("decision"), max_length=10, choices=Kind.choices)
    reasons = models.TextField(_("reasons"), max_length=TEXT_MAX)
    review_on = models.DateField(_("review date"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)
    needs_member = models.BooleanField(default=False)
    cosigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cosigned_at = models.DateTimeField(null=True, blank=True)
    effective_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["adopt", "adapt", "abandon"]), name="decision_kind_valid"),
            models.CheckConstraint(condition=~Q(reasons=""), name="decision_has_reasons"),
            models.CheckConstraint(
                condition=Q(needs_member=False) | Q(effective_at__isnull=True) | Q(cosigned_at__isnull=False),
                name="decision_cosigned_before_effect",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.test_id}"

    @property
    def is_effective(self) -> bool:
        return self.effective_at is not None


class StoppedPractice(models.Model):
    """An entry in the stop-doing register."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Waiting for agreement")
        STOPPED = "stopped", _("Stopped")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="stopped_practices")
    what = models.CharField(_("what we stopped"), max_length=TITLE_MAX)
    why = models.TextField(_("why"), max_length=TEXT_MAX)
    evidence = models.TextField(_("the evidence"), max_length=TEXT_MAX, blank=True)
    decided_by = models.CharField(_("who decided"), max_length=SHORT_MAX)
    decided_on = models.DateField(_("when"))
    replaced_by = models.CharField(_("what replaced it"), max_length=SHORT_MAX, blank=True)
    # When the partnership will look again at whether stopping it was right (as a decision's review date).
    review_on = models.DateField(_("review date"), null=True, blank=True)
    review_reminded_at = models.DateTimeField(null=True, blank=True)
    test = models.OneToOneField(
        TestOfChange, null=True, blank=True, on_delete=models.SET_NULL, related_name="stopped_practice"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.STOPPED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    proposer_is_member = models.BooleanField(default=False)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_on", "-id"]
        indexes = [models.Index(fields=["partnership", "status", "-decided_on"], name="stopped_practice_list")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["proposed", "stopped"]), name="stopped_status_valid"),
            models.CheckConstraint(condition=~Q(what=""), name="stopped_what_not_empty"),
            models.CheckConstraint(condition=~Q(why=""), name="stopped_why_not_empty"),
        ]

    def __str__(self) -> str:
        return self.what
