"""What the fund offers the other apps, and the only module of the fund they import (an import-linter
contract).

Learning together pays parents for their time and their costs out of the pooled fund: when a coordinator
approves a claim, the payment becomes an entry in the fund's ledger, so the money stays in one open account.
The entry carries no name; its ``source_key`` (e.g. ``learning.claim:42``) makes it once however often it is
asked for."""

from __future__ import annotations

from coproduce.fund import services
from coproduce.fund.models import Spending
from coproduce.partnerships.models import Membership

__all__ = ["PARTICIPATION", "spending_record"]

PARTICIPATION = Spending.Category.PARTICIPATION.value


def spending_record(
    *,
    actor: Membership,
    amount_pence: int,
    category: str,
    description: str,
    reference: str,
    source_key: str,
) -> int:
    """Record money the fund paid (``actor`` must be a coordinator) and return the ledger entry's id; the same
    ``source_key`` again returns the first entry's id and records nothing. Raises ``ServiceError`` (with a
    message for the person) when the amount is not positive or the fund has not enough money available.
    Call it inside your own transaction: the entry is saved with it, or not at all."""
    return services.spending_record(
        actor=actor,
        amount_pence=amount_pence,
        category=category,
        description=description,
        reference=reference,
        source_key=source_key,
    ).pk
