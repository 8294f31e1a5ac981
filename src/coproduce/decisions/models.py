"""Decisions made together: a proposal, its versions and options, each person's answer (one per person),
the discussion beside it and the outcome it led to. The counting itself is pure, in ``methods.decide``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.core.text_language import text_language_field
from coproduce.partnerships.assisted import channel_check, channel_field
from coproduce.partnerships.models import Membership, Partnership

TITLE_MAX = 140
BODY_MAX = 5000
LABEL_MAX = 200
REASON_MAX = 1000
COMMENT_MAX = 2000
NAME_MAX = 150
PAPER_REF_MAX = 20

RANKED_METHODS = ("ranked_irv", "ranked_schulze", "stv")
OPTION_METHODS = ("score", "dot", "time_poll", "ranked_irv", "ranked_schulze", "stv")
POSITIONS = {
    "consent": ("agree", "abstain", "disagree", "block"),
    "yes_no": ("yes", "no", "abstain"),
}
NEEDS_REASON = ("disagree", "block")


class Decision(models.Model):
    """A proposal put to the partnership, decided by one method."""

    class Kind(models.TextChoices):
        AGREEMENT = "agreement", _("Changes to the partnership agreement")
        FUND = "fund", _("Fund rules and budgets")
        SERVICE = "service", _("Stopping or changing a service")
        EVERYDAY = "everyday", _("Everyday decisions")
        # No partnership rule covers these: the proposer says who takes part and how.
        POLL = "poll", _("Elections and polls: choosing people, a meeting time, or among options")

    class Method(models.TextChoices):
        CONSENT = "consent", _("Consent")
        YES_NO = "yes_no", _("Yes, no or abstain")
        SCORE = "score", _("Scores")
        DOT = "dot", _("Dot vote")
        TIME_POLL = "time_poll", _("Time poll")
        RANKED_IRV = "ranked_irv", _("Ranked choice (instant runoff)")
        RANKED_SCHULZE = "ranked_schulze", _("Ranked choice (Schulze)")
        STV = "stv", _("Several seats (single transferable vote)")

    class Participants(models.TextChoices):
        MEMBERS = "members", _("Members")
        STAFF = "staff", _("Staff")
        EVERYONE = "everyone", _("Members and staff")
        GROUP = "group", _("A group")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class ResultStatus(models.TextChoices):
        NONE = "none", _("Not counted")
        PENDING = "pending", _("Being counted")
        READY = "ready", _("Counted")
        FAILED = "failed", _("The count failed")

    language = text_language_field()
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(_("kind of decision"), max_length=20, choices=Kind.choices)
    method = models.CharField(_("how we decide"), max_length=20, choices=Method.choices)
    title = models.CharField(_("proposal"), max_length=TITLE_MAX)
    background = models.TextField(_("background"), blank=True, max_length=BODY_MAX)
    background_html = models.TextField(blank=True, editable=False)
    participants = models.CharField(_("who takes part"), max_length=20, choices=Participants.choices)
    governance_group_id = models.PositiveIntegerField(
        null=True, blank=True
    )  # the governance group, when a group decides
    anonymous = models.BooleanField(_("answers are anonymous"), default=False)
    closes_at = models.DateTimeField(_("closes at"))
    threshold_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    quorum_members_percent = models.PositiveSmallIntegerField(default=0)
    quorum_staff_percent = models.PositiveSmallIntegerField(default=0)
    double_majority = models.BooleanField(default=False)
    seats = models.PositiveSmallIntegerField(null=True, blank=True)
    max_score = models.PositiveSmallIntegerField(null=True, blank=True)
    dots = models.PositiveSmallIntegerField(null=True, blank=True)
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    proposer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    proposer_name = models.CharField(max_length=NAME_MAX, blank=True)
    imported = models.BooleanField(default=False)  # raised from a BLT or .soi file, with its ballots
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminded_at = models.DateTimeField(null=True, blank=True)  # the 24-hour reminder went out
    result = models.JSONField(null=True, blank=True)
    result_status = models.CharField(max_length=10, choices=ResultStatus.choices, default=ResultStatus.NONE)
    counted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["partnership", "status", "-created_at"], name="decision_list"),
            models.Index(fields=["status", "closes_at"], name="decision_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["agreement", "fund", "service", "everyday", "poll"]), name="decisions_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(
                    method__in=[
                        "consent",
                        "yes_no",
                        "score",
                        "dot",
                        "time_poll",
                        "ranked_irv",
                        "ranked_schulze",
                        "stv",
                    ]
                ),
                name="decision_method_valid",
            ),
            models.CheckConstraint(
                condition=Q(participants__in=["members", "staff", "everyone", "group"]),
                name="decision_participants_valid",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="decision_has_title"),
            models.CheckConstraint(condition=Q(status__in=["open", "closed"]), name="decision_status_valid"),
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True) | Q(status="closed", closed_at__isnull=False),
                name="decision_closed_at_matches_status",
            ),
            models.CheckConstraint(
                condition=Q(result_status__in=["none", "pending", "ready", "failed"]),
                name="decision_result_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(result_status="ready") | Q(result__isnull=False), name="decision_ready_has_result"
            ),
            models.CheckConstraint(
                condition=Q(status="closed") | Q(result_status="none"), name="decision_counted_only_when_closed"
            ),
            # Each method's own settings, and only its own.
            models.CheckConstraint(
                condition=Q(method="yes_no", threshold_percent__gte=50, threshold_percent__lte=100)
                | (~Q(method="yes_no") & Q(threshold_percent__isnull=True)),
                name="decision_threshold_for_yes_no",
            ),
            models.CheckConstraint(
                condition=Q(method="stv", seats__gte=1) | (~Q(method="stv") & Q(seats__isnull=True)),
                name="decision_seats_for_stv",
            ),
            models.CheckConstraint(
                condition=Q(method="score", max_score__gte=1) | (~Q(method="score") & Q(max_score__isnull=True)),
                name="decision_max_score_for_score",
            ),
            models.CheckConstraint(
                condition=Q(method="dot", dots__gte=1) | (~Q(method="dot") & Q(dots__isnull=True)),
                name="decision_dots_for_dot",
            ),
            models.CheckConstraint(
                condition=Q(quorum_members_percent__lte=100) & Q(quorum_staff_percent__lte=100),
                name="decision_quorum_valid",
            ),
            models.CheckConstraint(
                condition=Q(double_majority=False) | Q(participants__in=["everyone", "group"]),
                name="decision_double_majority_needs_both",
            ),
            models.CheckConstraint(
                condition=Q(participants="group", governance_group_id__isnull=False)
                | (~Q(participants="group") & Q(governance_group_id__isnull=True)),
                name="decision_group_when_group_decides",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="decision_version_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_ranked(self) -> bool:
        return self.method in RANKED_METHODS

    @property
    def has_options(self) -> bool:
        return self.method in OPTION_METHODS


class DecisionVersion(models.Model):
    """One version of the proposal as it was put: version 1 when raised, one more for each amendment."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=TITLE_MAX)
    background = models.TextField(blank=True, max_length=BODY_MAX)
    background_html = models.TextField(blank=True, editable=False)
    options = models.JSONField(default=list)  # the option labels as they stood
    change_note = models.TextField(_("what changed and why"), blank=True, max_length=REASON_MAX)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["decision_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "number"], name="decision_version_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="decision_version_number_positive"),
            # An amendment says why; the first version needs no note.
            models.CheckConstraint(condition=Q(number=1) | ~Q(change_note=""), name="decision_amendment_has_note"),
        ]

    def __str__(self) -> str:
        return f"{self.decision_id} v{self.number}"


class DecisionOption(models.Model):
    """An option, a candidate, or a meeting time. Withdrawn by an amendment, never deleted once answered."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(_("option"), max_length=LABEL_MAX)
    position = models.PositiveSmallIntegerField(default=0)
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["decision_id", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(label=""), name="decision_option_has_label"),
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True, ends_at__isnull=True)
                | Q(starts_at__isnull=False, ends_at__isnull=False, ends_at__gt=F("starts_at")),
                name="decision_option_times_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class Participation(models.Model):
    """One person's answer to one decision (changing one's mind updates it). When the person's data is
    erased the row stays, without the person or the reason, so that the count does not change."""

    class Position(models.TextChoices):
        AGREE = "agree", _("Agree")
        ABSTAIN = "abstain", _("Abstain")
        DISAGREE = "disagree", _("Disagree")
        BLOCK = "block", _("Block")
        YES = "yes", _("Yes")
        NO = "no", _("No")
        NONE = "", _("No position")

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_member = models.BooleanField(default=False)
    is_staff = models.BooleanField(default=False)
    version = models.PositiveSmallIntegerField(default=1)
    position = models.CharField(max_length=10, choices=Position.choices, blank=True)
    reason = models.TextField(_("reason"), blank=True, max_length=REASON_MAX)
    reason_erased = models.BooleanField(default=False)  # the reason was erased with the person's data
    imported = models.BooleanField(default=False)  # a ballot from a BLT or .soi file
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Given by the person herself ("self"), recorded with her by a worker or coordinator ("assisted"), or
    # entered from a paper form ("paper", with the form's number, once per decision).
    channel = channel_field()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    paper_ref = models.CharField(max_length=PAPER_REF_MAX, blank=True, default="", db_default="")

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "user"], name="decision_one_answer_per_person"),
            channel_check("decision_answer_channel_valid"),
            models.UniqueConstraint(
                fields=["decision", "paper_ref"], condition=~Q(paper_ref=""), name="decision_answer_paper_ref_unique"
            ),
            models.CheckConstraint(
                condition=Q(position__in=["agree", "abstain", "disagree", "block", "yes", "no", ""]),
                name="decision_position_valid",
            ),
            # A disagreement or block gives its reason (unless the reason was erased with the person's data).
            models.CheckConstraint(
                condition=~Q(position__in=["disagree", "block"]) | ~Q(reason="") | Q(reason_erased=True),
                name="decision_objection_has_reason",
            ),
            # Counted in one group only: someone who is both counts as a member.
            models.CheckConstraint(condition=~Q(is_member=True, is_staff=True), name="decision_one_group"),
            models.CheckConstraint(
                condition=Q(imported=True) | Q(is_member=True) | Q(is_staff=True) | Q(user__isnull=True),
                name="decision_participant_has_group",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="decision_answer_version_positive"),
        ]

    def __str__(self) -> str:
        return f"answer to {self.decision_id}"

    @property
    def group(self) -> str:
        return "member" if self.is_member else "staff"


class OptionValue(models.Model):
    """One value an answer gives one option: a score, dots, availability (0 no, 1 if need be, 2 yes) or a
    rank (1 first)."""

    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="values")
    option = models.ForeignKey(DecisionOption, on_delete=models.PROTECT, related_name="values")
    value = models.PositiveSmallIntegerField()
    is_rank = models.BooleanField(default=False)

    class Meta:
        ordering = ["participation_id", "option_id"]
        constraints = [
            models.UniqueConstraint(fields=["participation", "option"], name="decision_value_one_per_option"),
            models.UniqueConstraint(
                fields=["participation", "value"], condition=Q(is_rank=True), name="decision_rank_unique"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="decision_value_not_negative"),
            models.CheckConstraint(condition=Q(is_rank=False) | Q(value__gte=1), name="decision_rank_from_one"),
        ]

    def __str__(self) -> str:
        return f"{self.option_id}={self.value}"


class DecisionComment(models.Model):
    """A comment in the discussion beside a decision."""

    language = text_language_field()
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(_("comment"), max_length=COMMENT_MAX)
    body_html = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.CheckConstraint(condition=~Q(body=""), name="decision_comment_has_body")]

    def __str__(self) -> str:
        return f"comment on {self.decision_id}"

    @property
    def author_name(self) -> str:
        """The name shown above the comment (the author is gone once they leave or ask for erasure)."""
        return self.author.name if self.author is not None else str(_("Someone who has left"))


class Outcome(models.Model):
    """What was decided, who will see it through, by when, and when it is reviewed."""

    decision = models.OneToOneField(Decision, on_delete=models.CASCADE, related_name="outcome")
    statement = models.TextField(_("what we decided"), max_length=BODY_MAX)
    owner = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    owner_name = models.CharField(max_length=NAME_MAX, blank=True)
    due_on = models.DateField(_("to be done by"))
    review_on = models.DateField(_("review date"))
    done_on = models.DateField(null=True, blank=True)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(statement=""), name="decision_outcome_has_statement"),
        ]

    def __str__(self) -> str:
        return f"outcome of {self.decision_id}"
