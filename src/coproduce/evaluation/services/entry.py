"""A keyworker enters answers a parent gave on a paper form, or read out with her (in person or on the phone).

Paper answers are anonymous (no ``user``): the form's number (``paper_ref``) is kept once per partnership, so a
form entered twice — the same pile entered by two people, a double click — is counted once. Read-out answers
are the parent's own (``user`` is her): she sees and withdraws them like those she gave online, and the rule of
one answer a month per service applies to them. Both record who entered them (``entered_by``) and how they came
(``mode``), so results count them separately. The audit event names the service and the way, never the answers.
"""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from django.utils import formats
from django.utils.translation import gettext as _

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.permissions import require_rule
from coproduce.evaluation.models import Answer, Subject
from coproduce.evaluation.selectors.entry import member_to_choose
from coproduce.evaluation.services._common import AlreadyAnswered, audit, record_answer
from coproduce.notifications.api import notify
from coproduce.partnerships.assisted import NOTICE_KIND, assistance_check, assisted_notice, confirm_recorded
from coproduce.partnerships.models import Membership

PAPER_REF_MAX = 40
ENTERED_MODES = (Answer.Mode.PAPER.value, Answer.Mode.READ_OUT.value)


def paper_ref_clean(value: str | None) -> str:
    """The form number as it is kept: without blanks around or inside it, in capitals ("b 017" is "B017", "b-017"
    is "B-017"), so the same number written a little differently is still the same form."""
    cleaned = re.sub(r"\s+", "", value or "").upper()
    if not cleaned:
        raise ServiceError(
            _("Enter the form number, so the same form is not counted twice."), field="paper_ref", code="required"
        )
    if len(cleaned) > PAPER_REF_MAX:
        raise ServiceError(
            _("A form number is at most %(max)d characters.") % {"max": PAPER_REF_MAX}, field="paper_ref", code="long"
        )
    return cleaned


def _counted_already(subject: Subject, paper_ref: str) -> ServiceError | None:
    first = Answer.objects.filter(partnership_id=subject.partnership_id, paper_ref=paper_ref).only("created_at").first()
    if first is None:
        return None
    return ServiceError(
        _("Form %(ref)s was entered on %(day)s; it is counted already.")
        % {"ref": paper_ref, "day": formats.date_format(first.created_at, "j F")},
        field="paper_ref",
        code="paper_counted",
    )


def answer_enter(
    *,
    actor: Membership,
    subject_id: int,
    mode: str,
    scores: dict[str, int | None],
    keep: str = "",
    change: str = "",
    question_answers: dict[int, int | str | None] | None = None,
    paper_ref: str = "",
    member_id: int | None = None,
    member_agreed: bool = False,
) -> Answer:
    """Enter one parent's answers about ``subject_id``, given on paper (``mode="paper"``, with the form's number)
    or read out (``mode="read_out"``, with the member, ``member_id``, who agreed to answer this way). Keyworkers
    only (workers and coordinators). A paper form already entered, or a member who answered about the service
    this month, is refused with a message saying when; nothing is saved twice, even when two keyworkers enter
    the same form at the same moment."""
    require_rule("evaluation.enter", actor, actor.partnership)
    subject = Subject.objects.filter(pk=subject_id, partnership_id=actor.partnership_id, active=True).first()
    if subject is None:
        raise NotPermitted()
    if mode not in ENTERED_MODES:
        raise ServiceError(_("Choose how the answers came."), field="mode", code="mode")
    user_id: int | None = None
    member: Membership | None = None
    if mode == Answer.Mode.PAPER:
        paper_ref = paper_ref_clean(paper_ref)
        counted = _counted_already(subject, paper_ref)
        if counted is not None:
            raise counted
    else:
        paper_ref = ""
        member = member_to_choose(actor, member_id)
        if member is None:
            raise ServiceError(_("Choose the parent whose answers these are."), field="member", code="member")
        # The rules every capability keeps for recording with a member: a worker or coordinator, not herself,
        # and never for a member who turned it off. Agreement is asked below, in this form's own words.
        assistance_check(recorder=actor, member_membership=member, agreed=True)
        if not member_agreed:
            raise ServiceError(
                _("Tick to say she agreed to give her answers this way, or do not enter them."),
                field="member_agreed",
                code="not_agreed",
            )
        user_id = member.user_id
    try:
        with transaction.atomic(durable=True):
            answer = record_answer(
                subject=subject,
                mode=mode,
                scores=scores,
                keep=keep,
                change=change,
                question_answers=question_answers,
                user_id=user_id,
                entered_by_id=actor.user_id,
                paper_ref=paper_ref,
            )
            audit(actor, "answer_entered", subject, partnership_id=actor.partnership_id, mode=mode)
            if member is not None:
                notify(
                    **assisted_notice(
                        member_membership=member,
                        recorder=actor,
                        what=_("your answers about %(service)s") % {"service": subject.name},
                        subject_key=f"{NOTICE_KIND}:evaluation.answer:{answer.pk}",
                    )
                )
    except (IntegrityError, AlreadyAnswered):
        # Two keyworkers entered the same form at once: the constraint let one in; the other is told so.
        counted = _counted_already(subject, paper_ref) if paper_ref else None
        if counted is None:
            raise
        raise counted from None
    return answer


def answer_confirm(*, member: Membership, item_id: int) -> None:
    """She says "This is right" about answers a keyworker read out with her (her page of what was recorded
    with her, ``/p/<slug>/assisted/``). Only her own read-out answers, once; anything else is ``NotPermitted``."""
    if not member.is_member:
        raise NotPermitted()
    confirm_recorded(
        Answer.objects.filter(
            pk=item_id,
            partnership_id=member.partnership_id,
            user_id=member.user_id,
            mode=Answer.Mode.READ_OUT,
            confirmed_at__isnull=True,
        ).select_related("subject"),
        then=lambda answer: audit(member, "answer_confirmed", answer.subject, partnership_id=member.partnership_id),
    )
