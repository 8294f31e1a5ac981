"""Members' answers to "Did this help you?"."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.exceptions import ServiceError
from coproduce.core.guards import same_partnership, text_checked
from coproduce.core.permissions import require_rule
from coproduce.improvement.models import MemberCheck, TestOfChange
from coproduce.partnerships.models import Membership


def check_record(*, actor: Membership, test: TestOfChange, answer: str, words: str = "") -> MemberCheck:
    """A member's answer to "Did this help you?". One a day per person; answering again changes it."""
    same_partnership(actor, test)
    require_rule("improvement.check", actor, test)
    if answer not in MemberCheck.Answer.values:
        raise ServiceError(_("Choose yes, a bit or no."), field="answer")
    words = text_checked(words, field="words", max_length=500, required=None)
    with transaction.atomic(durable=True):
        TestOfChange.objects.select_for_update().get(pk=test.pk)
        check, _created = MemberCheck.objects.update_or_create(
            test=test, member=actor.user, answered_on=timezone.localdate(), defaults={"answer": answer, "words": words}
        )
    return check
