"""Evaluation by the people served: what parents say about the services they used, the partnership health
check, and what the partnership does with both.

In three sections: answers (what is evaluated, the coordinators' own questions, offers to answer, answers and
their free text); the parents' panel and the services' responses (quarterly reviews, panel comments,
responses); the partnership health check (checks, replies, ratings).

Answers are anonymous to the service evaluated: ``Answer.user`` is kept only so that the member sees and
withdraws her own answers and is counted once a month per service. No page or export shows it to anyone else,
and figures are only shown for groups of at least five answers (``methods/suppression.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.core.text_language import text_language_field
from coproduce.evaluation.instrument import STANDARD_KEYS, STATEMENT_KEYS
from coproduce.partnerships.models import Organisation, Partnership

TITLE_MAX = 140
TEXT_MAX = 2000
SHORT_MAX = 200
QUESTION_MAX = 300
MOST_QUESTIONS = 3  # a coordinator's own questions per service, besides the six that never change


def _score_constraint(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 1, f"{field}__lte": 5}), name=name
    )


# ---------------------------------------------------------------------------------------------------------
# answers: subjects, questions, offers, answers, remarks
# ---------------------------------------------------------------------------------------------------------


class Subject(models.Model):
    """Something parents evaluate: a service in the directory, or the events an organisation hosts (the
    partnership's own events when ``organisation`` is empty). Made and kept up to date from the uses the
    capabilities register (``partnerships.service_use``) by ``services.subjects_sync``; ``source_key`` names
    it there ("support.service:12", "learning.host:3", "learning.host:0")."""

    class Kind(models.TextChoices):
        SERVICE = "service", _("A service")
        EVENTS = "events", _("Events")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="evaluation_subjects")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    source_key = models.CharField(max_length=60)
    name = models.CharField(_("name"), max_length=SHORT_MAX)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="evaluation_subjects"
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "source_key"], name="evaluation_subject_key_unique"),
            models.CheckConstraint(condition=Q(kind__in=["service", "events"]), name="evaluation_subject_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    """A coordinator's own question about one subject, asked after the six that never change. At most three
    are live per subject; retiring one keeps its answers."""

    class Kind(models.TextChoices):
        SCALE = "scale", _("Agree or disagree, on the same five-point scale")
        TEXT = "text", _("Answered in her own words")

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("the question"), max_length=QUESTION_MAX)
    kind = models.CharField(_("how it is answered"), max_length=10, choices=Kind.choices, default=Kind.SCALE)
    position = models.PositiveSmallIntegerField()
    # The coordinator saw the warning (the wording looked as if it asked for a name or about health) and kept it.
    warning_overridden = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "position"],
                condition=Q(retired_at__isnull=True),
                name="evaluation_question_one_live_per_position",
            ),
            models.CheckConstraint(
                condition=Q(position__gte=1, position__lte=MOST_QUESTIONS), name="evaluation_question_position_valid"
            ),
            models.CheckConstraint(condition=Q(kind__in=["scale", "text"]), name="evaluation_question_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.text


class Offer(models.Model):
    """An invitation to one member to evaluate one subject, made after she used it (a referral completed, an
    event attended, a service left). At most one a fortnight per person; she may answer or dismiss it."""

    class Moment(models.TextChoices):
        COMPLETED = "completed", _("A referral was completed")
        ATTENDED = "attended", _("You came to an event")
        LEFT = "left", _("You stopped using a service")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="evaluation_offers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="offers")
    moment = models.CharField(max_length=10, choices=Moment.choices)
    # The use that led to it ("support.referral:55", "learning.attendance:9"): a use is offered once.
    use_key = models.CharField(max_length=60)
    offered_at = models.DateTimeField(default=timezone.now)
    dismissed_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-offered_at", "-id"]
        indexes = [models.Index(fields=["user", "-offered_at"], name="evaluation_offer_recent")]
        constraints = [
            models.UniqueConstraint(fields=["user", "use_key"], name="evaluation_offer_once_per_use"),
            models.CheckConstraint(
                condition=Q(moment__in=["completed", "attended", "left"]), name="evaluation_offer_moment_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"offer {self.pk} of {self.subject_id} to {self.user_id}"


class Answer(models.Model):
    """One person's answers about one subject: the six statements (1 strongly disagree … 5 strongly agree;
    empty: she would rather not say), in one month (``period``, the first day of the month). Her free text is
    in ``Remark``, her answers to a coordinator's questions in ``QuestionAnswer``.

    ``user`` is her, for an answer she gave online or read out to a keyworker (so she sees and withdraws it
    and answers once a month per subject); empty for a paper form, whose ``paper_ref`` (the number written on
    it) is kept once per partnership so a form is not entered twice. Withdrawing deletes the answer."""

    class Mode(models.TextChoices):
        ONLINE = "online", _("Online, by the parent")
        PAPER = "paper", _("On paper, entered by a keyworker")
        READ_OUT = "read_out", _("Read out, entered by a keyworker")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="evaluation_answers")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="answers")
    period = models.DateField()
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.ONLINE)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    paper_ref = models.CharField(_("form number"), max_length=40, blank=True)
    offer = models.ForeignKey(Offer, null=True, blank=True, on_delete=models.SET_NULL, related_name="answers")
    listened = models.PositiveSmallIntegerField(null=True, blank=True)
    had_say = models.PositiveSmallIntegerField(null=True, blank=True)
    respect = models.PositiveSmallIntegerField(null=True, blank=True)
    fitted = models.PositiveSmallIntegerField(null=True, blank=True)
    needed = models.PositiveSmallIntegerField(null=True, blank=True)
    control = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # A read-out answer (assisted participation, partnerships/assisted.py): when she said "This is right" on her
    # page of what was recorded with her. Empty until then, and for answers she gave herself or on paper.
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["partnership", "period"], name="evaluation_answer_period"),
            models.Index(fields=["subject", "period"], name="evaluation_answer_subject"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "subject", "period"],
                condition=Q(user__isnull=False),
                name="evaluation_answer_once_a_month",
            ),
            models.UniqueConstraint(
                fields=["partnership", "paper_ref"], condition=~Q(paper_ref=""), name="evaluation_paper_once"
            ),
            models.CheckConstraint(
                condition=Q(mode__in=["online", "paper", "read_out"]), name="evaluation_answer_mode_valid"
            ),
            models.CheckConstraint(condition=~Q(mode="paper") | ~Q(paper_ref=""), name="evaluation_paper_has_number"),
            *(_score_constraint(key, f"evaluation_answer_{key}_range") for key in STATEMENT_KEYS),
        ]

    def __str__(self) -> str:
        return f"answer {self.pk} about {self.subject_id} in {self.period:%Y-%m}"

    @property
    def channel(self) -> str:
        """The answer's way in the terms every capability shares (``partnerships.assisted.Channel``): ``mode`` is
        evaluation's older name for it, kept as the column (read out with a keyworker is "assisted")."""
        channels: dict[str, str] = {self.Mode.READ_OUT.value: "assisted", self.Mode.PAPER.value: "paper"}
        return channels.get(self.mode, "self")


class QuestionAnswer(models.Model):
    """An answer to a coordinator's scale question (a question answered in words is a ``Remark``)."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="question_answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    score = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["answer", "question"], name="evaluation_question_answered_once"),
            _score_constraint("score", "evaluation_question_score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.score}"


class Remark(models.Model):
    """Free text from an answer: what the service should keep doing, what it should change, or the answer to
    a coordinator's question asked in words. The service reads it only once a coordinator has shown it (with
    names and identifying details taken out in ``shown_text``); ``flags`` says why it needs a careful look
    ("phone", "email")."""

    class Kind(models.TextChoices):
        KEEP = "keep", _("What should they keep doing?")
        CHANGE = "change", _("What should they change?")
        QUESTION = "question", _("A question of the partnership's own")

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting to be checked")
        SHOWN = "shown", _("Shown to the service")
        HIDDEN = "hidden", _("Not shown")

    language = text_language_field()
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="remarks")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    question = models.ForeignKey(Question, null=True, blank=True, on_delete=models.PROTECT, related_name="remarks")
    text = models.TextField(max_length=TEXT_MAX)
    flags = models.CharField(max_length=60, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    shown_text = models.TextField(max_length=TEXT_MAX, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["status"], name="evaluation_remark_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["keep", "change", "question"]), name="evaluation_remark_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["waiting", "shown", "hidden"]), name="evaluation_remark_status_valid"
            ),
            models.CheckConstraint(
                condition=(Q(kind="question") & Q(question__isnull=False))
                | (~Q(kind="question") & Q(question__isnull=True)),
                name="evaluation_remark_question_when_asked",
            ),
            models.CheckConstraint(
                condition=~Q(status="shown") | ~Q(shown_text=""), name="evaluation_remark_shown_has_text"
            ),
        ]

    def __str__(self) -> str:
        return f"remark {self.pk} ({self.kind}, {self.status})"


# ---------------------------------------------------------------------------------------------------------
# the parents' panel and the services' responses
# ---------------------------------------------------------------------------------------------------------


class PanelMember(models.Model):
    """A member who opted in to the parents' panel: she sees each quarter's results first and comments on
    them before the service responds."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="evaluation_panel")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partnership", "user"], name="evaluation_panel_once")]

    def __str__(self) -> str:
        return f"panel member {self.user_id} of {self.partnership_id}"


class Review(models.Model):
    """One quarter's results for one subject: the panel reads them and comments until ``panel_until``; then
    the service's staff see them and respond."""

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="reviews")
    quarter_start = models.DateField()
    opened_at = models.DateTimeField(default=timezone.now)
    panel_until = models.DateTimeField()
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-quarter_start", "subject_id"]
        constraints = [
            models.UniqueConstraint(fields=["subject", "quarter_start"], name="evaluation_review_once_a_quarter"),
            models.CheckConstraint(
                condition=Q(panel_until__gt=models.F("opened_at")), name="evaluation_review_panel_time"
            ),
        ]

    def __str__(self) -> str:
        return f"review of {self.subject_id} for {self.quarter_start:%Y-%m}"


class PanelComment(models.Model):
    """What a panel member said about a review's results, for the service to read before it responds."""

    language = text_language_field()
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="comments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("your comment"), max_length=TEXT_MAX)
    created_at = models.DateTimeField(default=timezone.now)
    hidden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"panel comment {self.pk} on {self.review_id}"


class Response(models.Model):
    """The service's answer to a review's results, written on the results page. Where it promises something
    (``promise``, by ``promise_due``) it is on the commitments board until ``done_at``."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="response")
    text = models.TextField(_("what the service says"), max_length=TEXT_MAX)
    promise = models.CharField(_("what the service will do"), max_length=SHORT_MAX, blank=True)
    promise_due = models.DateField(_("by when"), null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(promise="") | Q(promise_due__isnull=False), name="evaluation_promise_has_date"
            ),
        ]

    def __str__(self) -> str:
        return f"response to {self.review_id}"


# ---------------------------------------------------------------------------------------------------------
# the partnership health check
# ---------------------------------------------------------------------------------------------------------


class HealthCheck(models.Model):
    """Twice a year, members and staff rate the partnership against the seven National Standards for
    Community Engagement (``instrument.STANDARDS``, in our own words)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="health_checks")
    title = models.CharField(_("name"), max_length=TITLE_MAX)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="health_check_dates"),
        ]

    def __str__(self) -> str:
        return self.title


class HealthReply(models.Model):
    """One person's ratings in one health check, on the side she answered from (a member, or staff), kept
    as it was on the day. ``user`` is kept to count her once; no page shows it."""

    class Side(models.TextChoices):
        MEMBER = "member", _("Members")
        STAFF = "staff", _("Staff")

    health_check = models.ForeignKey(HealthCheck, on_delete=models.CASCADE, related_name="replies")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    side = models.CharField(max_length=10, choices=Side.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["health_check", "user"], condition=Q(user__isnull=False), name="health_reply_once"
            ),
            models.CheckConstraint(condition=Q(side__in=["member", "staff"]), name="health_reply_side_valid"),
        ]

    def __str__(self) -> str:
        return f"health reply {self.pk} ({self.side})"


class HealthRating(models.Model):
    """One standard's rating in a reply (1 … 5; empty: she would rather not say)."""

    reply = models.ForeignKey(HealthReply, on_delete=models.CASCADE, related_name="ratings")
    standard = models.CharField(max_length=20)
    score = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["reply", "standard"], name="health_rating_once"),
            models.CheckConstraint(condition=Q(standard__in=list(STANDARD_KEYS)), name="health_rating_standard_valid"),
            _score_constraint("score", "health_rating_score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.standard}: {self.score}"
