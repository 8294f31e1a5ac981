"""The outcome of a closed decision: what was decided, who sees it through, by when, and when it is reviewed.
It appears on the commitments board (``decisions.commitments``)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.exceptions import ServiceError
from coproduce.core.guards import same_partnership, text_checked
from coproduce.core.permissions import require_rule
from coproduce.decisions.models import BODY_MAX, Decision, Outcome
from coproduce.decisions.services._common import audit
from coproduce.partnerships.models import Membership


def outcome_record(
    *,
    actor: Membership,
    decision: Decision,
    statement: str,
    owner_membership_id: int | None,
    due_on: date | None,
    review_on: date | None,
) -> Outcome:
    """Write the outcome of a closed decision (its proposer or a coordinator), once."""
    same_partnership(actor, decision)
    require_rule("decisions.outcome", actor, decision)
    statement = text_checked(
        statement, field="statement", max_length=BODY_MAX, required=_("Say what was decided and what happens now.")
    )
    today = timezone.localdate()
    if due_on is None:
        raise ServiceError(_("Give the date it should be done by."), field="due_on")
    if review_on is None:
        raise ServiceError(_("Give a review date."), field="review_on")
    if due_on < today:
        raise ServiceError(_("The date it should be done by cannot be in the past."), field="due_on")
    if review_on <= today:
        raise ServiceError(_("The review date must be after today."), field="review_on")
    owner = None
    if owner_membership_id is not None:
        owner = (
            Membership.objects.select_related("user")
            .filter(pk=owner_membership_id, partnership_id=actor.partnership_id)
            .first()
        )
        if owner is None:
            raise ServiceError(_("Choose someone in the partnership."), field="owner_membership_id")
    with transaction.atomic(durable=True):
        locked = Decision.objects.select_for_update().get(pk=decision.pk)
        if locked.is_open:
            raise ServiceError(_("An outcome is written once the decision has closed."), code="open")
        if Outcome.objects.filter(decision=locked).exists():
            raise ServiceError(_("This decision already has its outcome."), code="exists")
        outcome = Outcome.objects.create(
            decision=locked,
            statement=statement,
            owner=owner,
            owner_name=owner.user.display_name if owner is not None else "",
            due_on=due_on,
            review_on=review_on,
            written_by=actor.user,
        )
        audit(actor, "outcome_recorded", locked)
    return outcome


def outcome_done(*, actor: Membership, decision: Decision) -> Outcome:
    """Mark the outcome done (its owner, the proposer or a coordinator)."""
    same_partnership(actor, decision)
    with transaction.atomic(durable=True):
        outcome = Outcome.objects.select_for_update().filter(decision_id=decision.pk).first()
        if outcome is None:
            raise ServiceError(_("This decision has no outcome yet."), code="none")
        if outcome.owner_id != actor.pk:
            require_rule("decisions.outcome", actor, decision)
        if outcome.done_on is not None:
            raise ServiceError(_("This outcome is already marked done."), code="done")
        outcome.done_on = timezone.localdate()
        outcome.save(update_fields=["done_on"])
        audit(actor, "outcome_done", decision)
    return outcome
