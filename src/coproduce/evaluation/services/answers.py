"""A member's own answers: giving one online about a service she used, and withdrawing it.

The audit says that she answered or withdrew, never about which service nor what she said: answers are
anonymous to the service, and the audit log is read by coordinators, who may work for it."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from coproduce.core.exceptions import NotPermitted
from coproduce.core.permissions import require_rule
from coproduce.evaluation.models import Answer, Offer, Subject
from coproduce.evaluation.selectors.answers import has_used
from coproduce.evaluation.services._common import NotUsed, audit, record_answer
from coproduce.partnerships.models import Membership


def answer_give(
    *,
    actor: Membership,
    subject_id: int,
    scores: dict[str, int | None],
    keep: str = "",
    change: str = "",
    question_answers: dict[int, int | str | None] | None = None,
    offer_id: int | None = None,
) -> Answer:
    """Her answer about a subject she used, counted in this month. ``NotUsed`` when no use or offer of hers
    names it, ``AlreadyAnswered`` for a second answer this month (or the same form sent twice), ``NotPermitted``
    for a subject or an offer that is not hers to answer."""
    require_rule("evaluation.answer", actor)
    subject = Subject.objects.filter(pk=subject_id, partnership_id=actor.partnership_id).first()
    if subject is None:
        raise NotPermitted()
    if (
        offer_id is not None
        and not Offer.objects.filter(
            pk=offer_id, user_id=actor.user_id, subject_id=subject.pk, partnership_id=actor.partnership_id
        ).exists()
    ):
        raise NotPermitted()
    if not has_used(actor, subject):
        raise NotUsed(
            _(
                "We ask only about services you have used, so that what parents say is about a real visit. "
                "If you used %(service)s, ask your keyworker to check it is on your record."
            )
            % {"service": subject.name},
            code="not_used",
        )
    with transaction.atomic(durable=True):
        answer = record_answer(
            subject=subject,
            mode=Answer.Mode.ONLINE,
            scores=scores,
            keep=keep,
            change=change,
            question_answers=question_answers,
            user_id=actor.user_id,
            offer_id=offer_id,
        )
        audit(actor, "answer_given", None, partnership_id=actor.partnership_id)
    return answer


def answer_withdraw(*, actor: Membership, answer_id: int) -> None:
    """Delete one of her answers, with its free text and its answers to the coordinators' questions: it is gone
    from every figure. ``NotPermitted`` when it is not hers (or gone already)."""
    if actor is None:
        raise NotPermitted()
    with transaction.atomic(durable=True):
        answer = (
            Answer.objects.select_for_update()
            .filter(pk=answer_id, partnership_id=actor.partnership_id, user_id=actor.user_id)
            .first()
        )
        if answer is None:
            raise NotPermitted()
        answer.delete()
        audit(actor, "answer_withdrawn", None, partnership_id=actor.partnership_id)
