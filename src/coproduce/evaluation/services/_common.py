"""What every evaluation write shares: the errors pages show, the audit event (never with what anyone said),
the period an answer counts in, and ``record_answer``, the one save of an answer used by a member answering
online (``answer_give``) and by a keyworker entering a paper or read-out answer (``answer_enter``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError

from coproduce.core.audit import audit_record
from coproduce.core.exceptions import ServiceError
from coproduce.evaluation.models import Answer, Subject
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
    from django.utils import timezone

    return (today or timezone.localdate()).replace(day=1)


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
    caller's durable transaction, once permission and use are checked. Raises ``AlreadyAnswered`` when the
    person (``user_id``) answered about ``subject`` in the period already, ``ServiceError`` for a bad score or
    question; nothing is saved then."""
    raise NotImplementedError
