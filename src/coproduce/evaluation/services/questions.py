"""A coordinator's own questions about a service, asked after the six that never change: at most three live per
service, in positions 1 to 3. A question whose words seem to ask for a name, an address, an age or about health
is saved only once the coordinator confirms she checked it (``QuestionWarning`` until then)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.guards import text_checked
from coproduce.core.permissions import require_rule
from coproduce.evaluation.checks import question_warning_keys, question_warnings
from coproduce.evaluation.models import MOST_QUESTIONS, QUESTION_MAX, Question, Subject
from coproduce.evaluation.services._common import QuestionWarning, audit
from coproduce.partnerships.models import Membership


def question_add(
    *, actor: Membership, subject_id: int, text: str, kind: str, override_warning: bool = False
) -> Question:
    """Add a question about one subject in the first free position. ``QuestionWarning`` (with ``reasons``) when
    the words seem to ask too much and ``override_warning`` is not set; ``ServiceError`` for empty or long
    words, an unknown kind, or a fourth live question."""
    require_rule("evaluation.manage", actor)
    text = text_checked(
        text,
        field="text",
        max_length=QUESTION_MAX,
        required=_("Write the question."),
        too_long=_("A question must be %(max)d characters or fewer."),
    )
    if kind not in Question.Kind.values:
        raise ServiceError(_("Choose how the question is answered."), field="kind")
    reasons = question_warnings(text)
    if reasons and not override_warning:
        raise QuestionWarning(
            _("This question may ask for something that identifies a parent or is about her health. Check it."),
            reasons=reasons,
        )
    with transaction.atomic(durable=True):
        subject = Subject.objects.select_for_update().filter(pk=subject_id, partnership_id=actor.partnership_id).first()
        if subject is None:
            raise NotPermitted()
        taken = set(
            Question.objects.filter(subject=subject, retired_at__isnull=True).values_list("position", flat=True)
        )
        free = [p for p in range(1, MOST_QUESTIONS + 1) if p not in taken]
        if not free:
            raise ServiceError(
                ngettext(
                    "%(service)s already has %(n)d question of its own. Retire it before adding another.",
                    "%(service)s already has %(n)d questions of its own. Retire one before adding another.",
                    MOST_QUESTIONS,
                )
                % {"service": subject.name, "n": MOST_QUESTIONS},
                code="too_many",
            )
        question = Question.objects.create(
            subject=subject,
            text=text,
            kind=kind,
            position=free[0],
            warning_overridden=bool(reasons),
            created_by=actor.user,
        )
        audit(
            actor,
            "question_added",
            question,
            partnership_id=actor.partnership_id,
            subject=subject.name,
            warned=question_warning_keys(text),
        )
    return question


def question_retire(*, actor: Membership, question_id: int) -> None:
    """Stop asking a question; its answers are kept. Retiring it twice is the same as once."""
    require_rule("evaluation.manage", actor)
    with transaction.atomic(durable=True):
        question = (
            Question.objects.select_for_update()
            .filter(pk=question_id, subject__partnership_id=actor.partnership_id)
            .first()
        )
        if question is None:
            raise NotPermitted()
        if question.retired_at is not None:
            return
        question.retired_at = timezone.now()
        question.save(update_fields=["retired_at"])
        audit(actor, "question_retired", question, partnership_id=actor.partnership_id)
