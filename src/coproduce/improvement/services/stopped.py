"""The stop-doing register: practices the partnership has agreed to stop."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.exceptions import ServiceError
from coproduce.core.guards import same_partnership, text_checked
from coproduce.core.permissions import require_rule
from coproduce.improvement.models import SHORT_MAX, TEXT_MAX, TITLE_MAX, ImprovementSettings, StoppedPractice
from coproduce.improvement.services._common import audit, check_date, settings_for
from coproduce.partnerships.models import Membership


def stopped_create(
    *,
    actor: Membership,
    what: str,
    why: str,
    evidence: str = "",
    decided_by: str = "",
    decided_on: date | None = None,
    replaced_by: str = "",
    review_on: date | None = None,
) -> StoppedPractice:
    """Enter a practice the partnership stopped. With "agree first", it waits for someone from the other
    side (a member if a member of staff entered it, and the other way round) before it is listed as stopped."""
    require_rule("improvement.add_stopped", actor)
    what = text_checked(what, field="what", max_length=TITLE_MAX, required=_("Say what was stopped."))
    why = text_checked(why, field="why", max_length=TEXT_MAX, required=_("Say why it was stopped."))
    evidence = text_checked(evidence, field="evidence", max_length=TEXT_MAX, required=None)
    decided_by = (
        text_checked(decided_by, field="decided_by", max_length=SHORT_MAX, required=None) or actor.user.display_name
    )
    replaced_by = text_checked(replaced_by, field="replaced_by", max_length=SHORT_MAX, required=None)
    decided_on = decided_on or timezone.localdate()
    check_date(decided_on, field="decided_on")
    if review_on is not None and review_on <= timezone.localdate():
        raise ServiceError(_("The review date must be after today."), field="review_on")
    with transaction.atomic(durable=True):
        rule = settings_for(actor.partnership_id).stop_rule
        entry = StoppedPractice.objects.create(
            partnership_id=actor.partnership_id,
            what=what,
            why=why,
            evidence=evidence,
            decided_by=decided_by[:SHORT_MAX],
            decided_on=decided_on,
            replaced_by=replaced_by,
            review_on=review_on,
            status=(
                StoppedPractice.Status.PROPOSED
                if rule == ImprovementSettings.StopRule.AGREE_FIRST
                else StoppedPractice.Status.STOPPED
            ),
            proposed_by=actor.user,
            proposer_is_member=actor.is_member,
        )
        audit(actor, "practice_entered", entry, status=entry.status)
    return entry


def may_agree(actor: Membership, entry: StoppedPractice) -> bool:
    """Someone from the other side of the partnership, not the person who entered it."""
    if entry.status != StoppedPractice.Status.PROPOSED or entry.proposed_by_id == actor.user_id:
        return False
    return actor.is_staff_role if entry.proposer_is_member else actor.is_member


def stopped_agree(*, actor: Membership, entry: StoppedPractice) -> StoppedPractice:
    same_partnership(actor, entry)
    require_rule("improvement.agree_stopped", actor, entry)
    with transaction.atomic(durable=True):
        locked = StoppedPractice.objects.select_for_update().get(pk=entry.pk)
        if locked.status == StoppedPractice.Status.STOPPED:
            raise ServiceError(_("This practice is already listed as stopped."), code="stopped")
        if not may_agree(actor, locked):
            raise ServiceError(
                _("Someone from the other side must agree: a member if staff entered it, staff if a member did."),
                code="same_side",
            )
        locked.status = StoppedPractice.Status.STOPPED
        locked.agreed_by = actor.user
        locked.agreed_at = timezone.now()
        locked.save(update_fields=["status", "agreed_by", "agreed_at"])
        audit(actor, "practice_agreed", locked)
    return locked
