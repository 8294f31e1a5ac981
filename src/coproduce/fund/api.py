"""What the fund offers the other apps, and the only module of the fund they import (an import-linter
contract).

Learning together pays parents for their time and their costs out of the pooled fund: when a coordinator
approves a claim, the payment becomes an entry in the fund's ledger, so the money stays in one open account.
The entry carries no name; its ``source_key`` (e.g. ``learning.claim:42``) makes it once however often it is
asked for.

The flexible pot (issue 26): part of the fund set aside for a year for small payments that remove a parent's
barriers, agreed in her plan by the support capability. Support reads the pot covering a day
(``flexible_pot``), and when it approves a request it locks the pot (``flexible_pot_locked``, inside its own
``transaction.atomic()``), checks its limits, and promises the money (``pot_commit``); a cancelled request
not yet paid gives it back (``pot_release``); marked paid, the payment becomes a ledger entry
(``barrier_payment_record``) that names the category and how it was paid, never the parent. All money is
integer pence; every call naming a ``source_key`` (e.g. ``support.barrier:42``) records once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.fund import services
from coproduce.fund.models import FlexiblePot, Spending
from coproduce.fund.services import flexible
from coproduce.partnerships.models import Membership

__all__ = [
    "BARRIER",
    "PARTICIPATION",
    "PAYMENT_METHODS",
    "CategoryView",
    "PotView",
    "barrier_payment_record",
    "flexible_pot",
    "flexible_pot_locked",
    "has_declared_interest",
    "pot_commit",
    "pot_release",
    "spending_record",
]

PARTICIPATION = Spending.Category.PARTICIPATION.value
BARRIER = Spending.Category.BARRIER.value

# How a barrier payment is made: (value, label) pairs for a form's choices.
PAYMENT_METHODS = (
    ("supplier", _("Paid to the supplier")),
    ("voucher", _("Voucher")),
    ("cash", _("Cash")),
    ("card", _("Card top-up")),
)


@dataclass(frozen=True)
class CategoryView:
    """Something the pot may pay for: ``slug`` is what a request stores; ``examples`` are plain words."""

    slug: str
    name: str
    examples: str


@dataclass(frozen=True)
class PotView:
    """The flexible pot for a year with its delegated limits (pence): a keyworker agrees up to
    ``keyworker_limit_pence``, a coordinator up to ``coordinator_limit_pence``, above that two different
    coordinators; one parent receives at most ``yearly_cap_pence`` in the year. ``committed_pence`` is what
    it has promised (paid included); ``remaining_pence`` what is left. ``categories`` are the active ones."""

    id: int
    partnership_id: int
    starts_on: date
    ends_on: date
    set_aside_pence: int
    committed_pence: int
    remaining_pence: int
    keyworker_limit_pence: int
    coordinator_limit_pence: int
    yearly_cap_pence: int
    categories: tuple[CategoryView, ...]


def _view(pot: FlexiblePot | None) -> PotView | None:
    if pot is None:
        return None
    committed = flexible.committed_pence(pot.pk)
    return PotView(
        id=pot.pk,
        partnership_id=pot.partnership_id,
        starts_on=pot.starts_on,
        ends_on=pot.ends_on,
        set_aside_pence=pot.set_aside_pence,
        committed_pence=committed,
        remaining_pence=pot.set_aside_pence - committed,
        keyworker_limit_pence=pot.keyworker_limit_pence,
        coordinator_limit_pence=pot.coordinator_limit_pence,
        yearly_cap_pence=pot.yearly_cap_pence,
        categories=tuple(
            CategoryView(slug=slug, name=name, examples=examples)
            for slug, name, examples in pot.categories.filter(active=True)
            .order_by("name", "id")
            .values_list("slug", "name", "examples")
        ),
    )


def flexible_pot(partnership_id: int, *, on: date | None = None) -> PotView | None:
    """The partnership's flexible pot covering ``on`` (today by default), or None (three queries)."""
    day = on or timezone.localdate()
    return _view(
        FlexiblePot.objects.filter(partnership_id=partnership_id, starts_on__lte=day, ends_on__gte=day).first()
    )


def flexible_pot_locked(partnership_id: int, *, on: date | None = None) -> PotView | None:
    """The same, with the pot's row locked until your transaction ends: call it inside your own
    ``transaction.atomic()`` before checking limits and calling ``pot_commit``. It serialises every approval
    in the partnership, so the pot's remaining money read here stays true until you commit."""
    day = on or timezone.localdate()
    return _view(
        FlexiblePot.objects.select_for_update()
        .filter(partnership_id=partnership_id, starts_on__lte=day, ends_on__gte=day)
        .first()
    )


def pot_commit(*, pot_id: int, amount_pence: int, category: str, source_key: str) -> None:
    """Promise ``amount_pence`` of the pot to ``source_key`` (an approved request), inside your transaction
    after ``flexible_pot_locked``. Raises ``ServiceError`` (a message for the person) when the amount is not
    positive, the category is not one of the pot's active ones, or the pot has less left than the amount.
    The same ``source_key`` again records nothing."""
    flexible.pot_commit(pot_id=pot_id, amount_pence=amount_pence, category=category, source_key=source_key)


def pot_release(*, source_key: str) -> None:
    """Give the pot back what it promised to a request cancelled before it was paid; nothing if there was
    no promise or it was already given back. Raises ``ServiceError`` if the payment has been made."""
    flexible.pot_release(source_key=source_key)


def barrier_payment_record(
    *,
    actor: Membership,
    amount_pence: int,
    category: str,
    method: str,
    reference: str,
    paid_on: date,
    source_key: str,
) -> int:
    """Record a barrier payment in the fund's ledger and return the entry's id (the same ``source_key``
    again returns the first entry's id and records nothing). ``actor`` is a keyworker or coordinator of the
    partnership (you have checked they may mark this request paid); ``method`` one of ``PAYMENT_METHODS``;
    ``paid_on`` not in the future; the pot must have promised the money to ``source_key`` (``pot_commit``)
    in this ``category``, and the amount may not be more than was promised (less gives the rest back).
    Raises ``ServiceError`` otherwise. Call it inside your transaction: saved with it or not at all."""
    return flexible.barrier_payment_record(
        actor=actor,
        amount_pence=amount_pence,
        category=category,
        method=method,
        reference=reference,
        paid_on=paid_on,
        source_key=source_key,
    ).pk


def has_declared_interest(*, membership_id: int, supplier: str) -> bool:
    """Whether the staff member has declared (and not withdrawn) an interest in ``supplier`` (compared
    casefolded, spaces collapsed); False for a blank supplier."""
    return flexible.has_declared_interest(membership_id=membership_id, supplier=supplier)


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
