"""Awards for the funded projects, the payments made on them and the spending reported."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.audit import audit_record
from coproduce.core.exceptions import ServiceError
from coproduce.core.guards import same_partnership, text_checked
from coproduce.core.money import MAX_PENCE, format_pence
from coproduce.core.permissions import require_rule
from coproduce.fund.models import REASON_MAX, Award, AwardPayment, Proposal, ResultSnapshot, Round, SpendUpdate
from coproduce.fund.services._common import amount
from coproduce.partnerships.models import Membership
from coproduce.partnerships.services import partnership_lock


def awards_make(*, actor: Membership, round_: Round) -> list[Award]:
    """Award the funded projects of the round's latest results. Once only."""
    require_rule("fund.manage_rounds", actor)
    same_partnership(actor, round_)
    from coproduce.fund.selectors import latest_results

    with transaction.atomic(durable=True):
        partnership_lock(actor.partnership_id)
        locked = Round.objects.select_for_update().get(pk=round_.pk)
        if locked.awards_made_at is not None:
            raise ServiceError(_("Awards for this round have already been made."), code="done")
        if locked.imported_from:
            raise ServiceError(
                _("A round imported from a file holds no money, so it makes no awards."), code="imported"
            )
        snapshot = latest_results(locked)
        if snapshot is None or snapshot.status != ResultSnapshot.Status.READY:
            raise ServiceError(_("The results are not ready yet."), code="not_ready")
        funded = [int(pid) for pid in snapshot.data["mes"]["selected"]]
        proposals = {p.pk: p for p in Proposal.objects.filter(round=locked, pk__in=funded)}
        now = timezone.now()
        awards = [
            Award.objects.create(
                partnership_id=actor.partnership_id,
                round=locked,
                proposal=proposals[pid],
                amount_pence=proposals[pid].cost_pence,
                holder_id=proposals[pid].proposer_id,
                organisation=proposals[pid].delivered_by,
                awarded_at=now,
                awarded_by=actor.user,
            )
            for pid in funded
            if pid in proposals
        ]
        locked.awards_made_at = now
        locked.save(update_fields=["awards_made_at"])
        audit_record(
            actor=actor.user,
            action="fund.awards_made",
            partnership_id=actor.partnership_id,
            target=locked,
            detail={"awards": len(awards), "pence": sum(a.amount_pence for a in awards)},
        )
    return awards


def payment_record(*, actor: Membership, award: Award, amount_pence: int) -> AwardPayment:
    require_rule("fund.record_payment", actor)
    same_partnership(actor, award)
    amount_pence = amount(amount_pence, field="amount", message=_("Enter an amount of more than £0."))
    with transaction.atomic(durable=True):
        locked = Award.objects.select_for_update().get(pk=award.pk)
        paid = sum(locked.payments.values_list("amount_pence", flat=True))
        if paid + amount_pence > locked.amount_pence:
            raise ServiceError(
                _("That would pay more than the award: %(left)s is left to pay.")
                % {"left": format_pence(locked.amount_pence - paid)},
                field="amount",
                code="over_award",
            )
        payment = AwardPayment.objects.create(award=locked, amount_pence=amount_pence, recorded_by=actor.user)
        audit_record(
            actor=actor.user,
            action="fund.payment_recorded",
            partnership_id=actor.partnership_id,
            target=locked,
            detail={"amount_pence": amount_pence},
        )
    return payment


def spend_report(*, actor: Membership, award: Award, spent_to_date_pence: int, note: str) -> SpendUpdate:
    same_partnership(actor, award)
    require_rule("fund.report_spend", actor, award)
    note = text_checked(
        note,
        field="note",
        max_length=REASON_MAX,
        required=_("Say what the money has been spent on."),
        too_long=_("The note must be %(max)d characters or fewer."),
    )
    if not isinstance(spent_to_date_pence, int) or spent_to_date_pence < 0 or spent_to_date_pence > MAX_PENCE:
        raise ServiceError(_("Enter the amount spent so far, like 120 or 120.50."), field="spent")
    with transaction.atomic(durable=True):
        locked = Award.objects.select_for_update().get(pk=award.pk)
        update = SpendUpdate.objects.create(
            award=locked, spent_to_date_pence=spent_to_date_pence, note=note, author=actor.user
        )
        audit_record(
            actor=actor.user,
            action="fund.spend_reported",
            partnership_id=actor.partnership_id,
            target=locked,
        )
    return update
