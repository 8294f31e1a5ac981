"""Spending outside rounds: participation payments (parents' paid time and their expenses), recorded in the
ledger when another capability approves them (through ``fund.api``).

Each payment names its source (``source_key``, unique): asked twice for one source — two approvals at the
same moment, or a retried request — the fund records it once and answers with the same entry."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.audit import audit_record
from coproduce.core.exceptions import ServiceError
from coproduce.core.guards import text_checked
from coproduce.core.permissions import require_rule
from coproduce.fund.models import TITLE_MAX, Spending
from coproduce.fund.services._common import amount
from coproduce.partnerships.models import Membership
from coproduce.partnerships.services import partnership_lock


def spending_record(
    *,
    actor: Membership,
    amount_pence: int,
    category: str,
    description: str,
    reference: str = "",
    source_key: str,
) -> Spending:
    """A coordinator records money paid out of the fund. Runs inside the caller's transaction (a claim's
    approval) so the payment and what it pays for are saved together or not at all."""
    require_rule("fund.record_spending", actor)
    if category not in Spending.Category.values:
        raise ServiceError(_("Choose a kind of spending the fund knows."), field="category")
    amount_pence = amount(amount_pence, field="amount", message=_("Enter an amount of more than £0."))
    description = text_checked(
        description,
        field="description",
        max_length=TITLE_MAX,
        required=_("Say what the money was for."),
        too_long=_("The description must be %(max)d characters or fewer."),
    )
    reference = (reference or "").strip()[:100]
    source_key = (source_key or "").strip()
    if not source_key or len(source_key) > 100:
        raise ServiceError(_("The payment must say what it pays for."), field="source_key")
    with transaction.atomic():
        # The lock serialises spending with rounds and awards, and makes the look-up below see a payment
        # for the same source committed while this one waited.
        partnership_lock(actor.partnership_id)
        existing = Spending.objects.filter(source_key=source_key).first()
        if existing is not None:
            if existing.partnership_id != actor.partnership_id:
                raise ServiceError(_("That payment belongs to another partnership."), field="source_key")
            return existing
        from coproduce.fund.services.ledger import available_pence

        if available_pence(actor.partnership_id) < amount_pence:
            raise ServiceError(
                _("The fund does not have enough money available for this payment. Check the fund's ledger."),
                code="not_enough_money",
            )
        spending = Spending.objects.create(
            partnership_id=actor.partnership_id,
            category=category,
            amount_pence=amount_pence,
            description=description,
            reference=reference,
            source_key=source_key,
            paid_at=timezone.now(),
            recorded_by=actor.user,
        )
        audit_record(
            actor=actor.user,
            action="fund.spending_recorded",
            partnership_id=actor.partnership_id,
            target=spending,
            detail={"category": category, "amount_pence": amount_pence, "source": source_key},
        )
    return spending
