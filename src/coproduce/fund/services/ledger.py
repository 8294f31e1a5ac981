"""The ledger: what each partner puts into the fund, and what the fund has available.

Money that a round may spend is checked with the partnership's row locked, so two rounds created at
once cannot both take the last of it."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.audit import audit_record
from coproduce.core.exceptions import ServiceError
from coproduce.core.guards import same_partnership, text_checked
from coproduce.core.permissions import require_rule
from coproduce.fund.models import TITLE_MAX, Contribution
from coproduce.fund.services._common import amount
from coproduce.partnerships.models import Membership, Organisation
from coproduce.partnerships.services import partnership_lock


def contribution_record(
    *,
    actor: Membership,
    organisation: Organisation,
    kind: str,
    description: str,
    value_pence: int,
    received: bool = False,
) -> Contribution:
    """A partner lead records their own organisation's contribution; a coordinator, any partner's."""
    require_rule("fund.add_contribution", actor)
    if organisation is None or organisation.partnership_id != actor.partnership_id:
        raise ServiceError(_("Choose one of the partnership's organisations."), field="organisation")
    if not actor.is_coordinator and organisation.pk != actor.organisation_id:
        raise ServiceError(
            _("You can only record contributions from your own organisation. Ask that organisation's partner lead."),
            field="organisation",
            code="other_organisation",
        )
    if kind not in Contribution.Kind.values:
        raise ServiceError(_("Choose money or in kind."), field="kind")
    description = text_checked(
        description,
        field="description",
        max_length=TITLE_MAX,
        required=_("Say what the contribution is."),
        too_long=_("The description must be %(max)d characters or fewer."),
    )
    value_pence = amount(value_pence, field="value", message=_("Enter a value of more than £0, like 2500 or 2500.50."))
    now = timezone.now()
    with transaction.atomic(durable=True):
        partnership_lock(actor.partnership_id)
        contribution = Contribution.objects.create(
            partnership_id=actor.partnership_id,
            organisation=organisation,
            kind=kind,
            description=description,
            value_pence=value_pence,
            pledged_at=now,
            received_at=now if received else None,
            recorded_by=actor.user,
        )
        audit_record(
            actor=actor.user,
            action="fund.contribution_recorded",
            partnership_id=actor.partnership_id,
            target=contribution,
            detail={"organisation": organisation.pk, "kind": kind, "value_pence": value_pence, "received": received},
        )
    return contribution


def contribution_mark_received(*, actor: Membership, contribution: Contribution) -> Contribution:
    require_rule("fund.add_contribution", actor)
    same_partnership(actor, contribution)
    if not actor.is_coordinator and contribution.organisation_id != actor.organisation_id:
        raise ServiceError(_("Only your own organisation's contributions can be marked as received."))
    with transaction.atomic(durable=True):
        partnership_lock(actor.partnership_id)
        locked = Contribution.objects.select_for_update().get(pk=contribution.pk)
        if locked.received_at is None:  # a second click changes nothing
            locked.received_at = timezone.now()
            locked.save(update_fields=["received_at"])
            audit_record(
                actor=actor.user,
                action="fund.contribution_received",
                partnership_id=actor.partnership_id,
                target=locked,
            )
    return locked


def available_pence(partnership_id: int, *, excluding_round: int | None = None) -> int:
    """Money received, less what open rounds hold and what has been awarded. Call with the
    partnership locked when about to commit money."""
    from coproduce.fund.selectors import ledger_totals

    totals = ledger_totals(partnership_id, excluding_round=excluding_round)
    return int(totals["available"])
