"""What every evaluation write shares: the errors pages show, the audit event (never with what anyone said),
the period an answer counts in, and ``record_answer``, the one save of an answer used by a member answering
online (``answer_give``) and by a keyworker entering a paper or read-out answer (``answer_enter``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coproduce.core.audit import audit_record
from coproduce.core.exceptions import ServiceError
from coproduce.core.guards import text_checked
from coproduce.evaluation.checks import text_flags
from coproduce.evaluation.instrument import STATEMENT_KEYS
from coproduce.evaluation.models import TEXT_MAX, Answer, Offer, Question, QuestionAnswer, Remark, Subject
from coproduce.partnerships.models import Membership


class EvaluationError(ServiceError, ValidationError):  # type: ignore[misc]  # both say message and code
    """A write of evaluation refused for a reason the person can act on. Both a ``ServiceError`` (``field``,
    ``add_to(form)``) and a Django ``ValidationError``, so either kind of handler shows it."""

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid") -> None:
        ServiceError.__init__(self, message, field=field, code=code)
        ValidationError.__init__(self, message, code=code)
        self.field = field

    def __str__(self) -> str:
        return self.message


class AlreadyAnswered(EvaluationError):  # noqa: N818  (the agreed name)
    """She answered about this service this month already (or the form was sent twice)."""


class NotUsed(EvaluationError):  # noqa: N818  (the agreed name)
    """She is asked only about a service she used (a registered use or an offer names it)."""


class QuestionWarning(EvaluationError):  # noqa: N818  (the agreed name)
    """A coordinator's question seems to ask for something identifying or about health; ``reasons`` says what.
    Saved only when the coordinator confirms she checked it."""

    def __init__(self, message: str, *, reasons: list[str], field: str | None = "text") -> None:
        super().__init__(message, field=field, code="question_warning")
        self.reasons = reasons


def audit(actor: Membership | None, action: str, target: Any, *, partnership_id: int, **detail: Any) -> None:
    """One audit event ``evaluation.<action>``; ``detail`` never holds what anyone answered or wrote."""
    audit_record(
        actor=actor.user if actor is not None else None,
        action=f"evaluation.{action}",
        partnership_id=partnership_id,
        target=target,
        detail=detail or None,
    )


def this_period(today: dt.date | None = None) -> dt.date:
    """The month an answer given today counts in: the first day of the local month."""
    return (today or timezone.localdate()).replace(day=1)


def _scores_checked(scores: dict[str, int | None]) -> dict[str, int | None]:
    unknown = set(scores) - set(STATEMENT_KEYS)
    if unknown:
        raise ServiceError(_("Answer only the statements on the form."), code="unknown_statement")
    checked: dict[str, int | None] = {}
    for key in STATEMENT_KEYS:
        value = scores.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5):
            raise ServiceError(_("Choose one of the five answers, or “I'd rather not say”."), field=key)
        checked[key] = value
    return checked


def _first_answer_message(first: Answer) -> str:
    return _(
        "You told us about %(service)s on %(day)s. You can withdraw that answer and answer again, or wait until "
        "next month."
    ) % {"service": first.subject.name, "day": date_format(timezone.localtime(first.created_at).date(), "j F")}


def _paper_message(first: Answer) -> str:
    return _("Form %(ref)s was entered already on %(day)s.") % {
        "ref": first.paper_ref,
        "day": date_format(timezone.localtime(first.created_at).date(), "j F"),
    }


def already_answered(*, subject: Subject, user_id: int | None, paper_ref: str, period: dt.date) -> None:
    """``AlreadyAnswered`` when the person answered about ``subject`` in ``period`` already, or the paper form
    ``paper_ref`` was entered already in the partnership."""
    if user_id is not None:
        first = (
            Answer.objects.filter(user_id=user_id, subject_id=subject.pk, period=period)
            .select_related("subject")
            .first()
        )
        if first is not None:
            raise AlreadyAnswered(_first_answer_message(first), code="already_answered")
    if paper_ref:
        first = Answer.objects.filter(partnership_id=subject.partnership_id, paper_ref=paper_ref).first()
        if first is not None:
            raise AlreadyAnswered(_paper_message(first), field="paper_ref", code="paper_entered")


def record_answer(
    *,
    subject: Subject,
    mode: str,
    scores: dict[str, int | None],
    keep: str = "",
    change: str = "",
    question_answers: dict[int, int | str | None] | None = None,
    user_id: int | None = None,
    entered_by_id: int | None = None,
    paper_ref: str = "",
    offer_id: int | None = None,
    period: dt.date | None = None,
) -> Answer:
    """Save one answer with its free text and its answers to the subject's live questions. Call inside the
    caller's durable transaction, once permission and use are checked.

    Raises ``AlreadyAnswered`` when the person (``user_id``) answered about ``subject`` in the period already
    or the paper form ``paper_ref`` was entered already (also when two submissions race: the database's
    constraint decides and the loser is told the same), ``ServiceError`` for a bad score, text or question, or
    an answer with nothing in it; nothing is saved then.

    Free text with what looks like a phone number or an email is saved with ``flags`` for the coordinator; the
    answer comes back with ``flagged`` (True when any of its free text was flagged) so the page can say so.
    Her waiting offers for the subject are marked answered (the one named by ``offer_id`` linked)."""
    period = period or this_period()
    checked = _scores_checked(scores)
    keep = text_checked(keep, field="keep", max_length=TEXT_MAX)
    change = text_checked(change, field="change", max_length=TEXT_MAX)
    live = {q.pk: q for q in Question.objects.filter(subject_id=subject.pk, retired_at__isnull=True)}
    question_scores: dict[int, int | None] = {}
    question_texts: dict[int, str] = {}
    for question_id, value in (question_answers or {}).items():
        question = live.get(question_id)
        field = f"question_{question_id}"
        if question is None:
            raise ServiceError(_("That question is no longer asked. Please answer the others."), field=field)
        if question.kind == Question.Kind.SCALE:
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5):
                raise ServiceError(_("Choose one of the five answers, or “I'd rather not say”."), field=field)
            question_scores[question_id] = value if isinstance(value, int) else None
        else:
            words = text_checked(value if isinstance(value, str) else "", field=field, max_length=TEXT_MAX)
            if words:
                question_texts[question_id] = words
    if not any(v is not None for v in checked.values()) and not (
        keep or change or question_texts or any(v is not None for v in question_scores.values())
    ):
        raise ServiceError(
            _("Choose an answer for at least one statement, or tell us something in your own words."),
            code="empty",
        )
    already_answered(subject=subject, user_id=user_id, paper_ref=paper_ref, period=period)
    now = timezone.now()
    try:
        with transaction.atomic():  # a savepoint: the constraint catches a second submission racing this one
            answer = Answer.objects.create(
                partnership_id=subject.partnership_id,
                subject=subject,
                period=period,
                mode=mode,
                user_id=user_id,
                entered_by_id=entered_by_id,
                paper_ref=paper_ref,
                offer_id=offer_id,
                created_at=now,
                **checked,
            )
    except IntegrityError:
        already_answered(subject=subject, user_id=user_id, paper_ref=paper_ref, period=period)
        raise
    QuestionAnswer.objects.bulk_create(
        [QuestionAnswer(answer=answer, question_id=qid, score=score) for qid, score in question_scores.items()]
    )
    remarks = [Remark(answer=answer, kind=Remark.Kind.KEEP, text=keep)] if keep else []
    if change:
        remarks.append(Remark(answer=answer, kind=Remark.Kind.CHANGE, text=change))
    remarks += [
        Remark(answer=answer, kind=Remark.Kind.QUESTION, question_id=qid, text=words)
        for qid, words in question_texts.items()
    ]
    for remark in remarks:
        remark.flags = ",".join(text_flags(remark.text))
    Remark.objects.bulk_create(remarks)
    answer.flagged = any(remark.flags for remark in remarks)  # type: ignore[attr-defined]
    if user_id is not None:
        Offer.objects.filter(
            user_id=user_id, subject_id=subject.pk, answered_at__isnull=True, dismissed_at__isnull=True
        ).update(answered_at=now)
        if offer_id is not None:
            Offer.objects.filter(pk=offer_id, answered_at__isnull=True).update(answered_at=now)
    return answer
