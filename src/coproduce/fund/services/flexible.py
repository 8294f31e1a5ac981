"""The flexible pot: part of the pooled fund set aside for a year for small payments that remove a parent's
barriers (a bus pass, a nursery deposit, interview clothes), agreed in her plan by the support capability.

The coordinator sets the pot up (how much, the delegated limits, the yearly cap per parent, what it may pay
for); staff declare their interests in suppliers. The support capability commits the pot's money when a
request is approved (``pot_commit``, with the pot's row locked by ``flexible_pot_locked``, so twenty
approvals at once cannot take it below zero), releases it if an approved request is cancelled before it is
paid (``pot_release``), and records the payment in the ledger when it is paid (``barrier_payment_record``).
Each of these names its request by a ``source_key`` (unique): asked twice, the fund records once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from coproduce.core.audit import audit_record
from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.guards import same_partnership, text_checked
from coproduce.core.permissions import require_rule
from coproduce.fund.models import (
    EXAMPLES_MAX,
    NAME_MAX,
    SLUG_MAX,
    SUPPLIER_MAX,
    BarrierCategory,
    FlexiblePot,
    InterestDeclaration,
    PotCommitment,
    Spending,
)
from coproduce.fund.services._common import amount
from coproduce.partnerships.models import Membership
from coproduce.partnerships.services import partnership_lock

METHOD_KEYS = ("supplier", "voucher", "cash", "card")
SOURCE_KEY_MAX = 100


def year_for(day: date) -> tuple[date, date]:
    """The partnership's year holding ``day``: 1 April to 31 March."""
    start_year = day.year if day.month >= 4 else day.year - 1
    return date(start_year, 4, 1), date(start_year + 1, 3, 31)


def supplier_key(text: str) -> str:
    """A supplier's name as compared: casefolded, spaces collapsed ("Smith's  Shoes" = "smith's shoes")."""
    return re.sub(r"\s+", " ", (text or "").strip()).casefold()[:SUPPLIER_MAX]


def committed_pence(pot_id: int) -> int:
    """What the pot has promised: its commitments not released (paid ones included)."""
    return int(
        PotCommitment.objects.filter(pot_id=pot_id, released_at__isnull=True).aggregate(
            total=Coalesce(Sum("amount_pence"), 0)
        )["total"]
    )


@dataclass(frozen=True)
class PotSettings:
    starts_on: date
    ends_on: date
    set_aside_pence: int
    keyworker_limit_pence: int
    coordinator_limit_pence: int
    yearly_cap_pence: int


def _settings_checked(settings: PotSettings) -> PotSettings:
    if settings.starts_on is None or settings.ends_on is None or settings.ends_on <= settings.starts_on:
        raise ServiceError(_("The year must end after it starts."), field="ends_on", code="dates")
    if (settings.ends_on - settings.starts_on).days > 366:
        raise ServiceError(_("A pot covers one year at most."), field="ends_on", code="dates")
    amount(settings.set_aside_pence, field="set_aside", message=_("Enter an amount to set aside of more than £0."))
    amount(
        settings.keyworker_limit_pence,
        field="keyworker_limit",
        message=_("Enter a keyworker's limit of more than £0."),
    )
    amount(
        settings.coordinator_limit_pence,
        field="coordinator_limit",
        message=_("Enter a coordinator's limit of more than £0."),
    )
    amount(settings.yearly_cap_pence, field="yearly_cap", message=_("Enter a yearly cap per parent of more than £0."))
    if settings.keyworker_limit_pence > settings.coordinator_limit_pence:
        raise ServiceError(
            _("A keyworker's limit cannot be more than a coordinator's."), field="keyworker_limit", code="limits"
        )
    return settings


def _overlapping(partnership_id: int, settings: PotSettings, *, excluding: int | None = None) -> bool:
    pots = FlexiblePot.objects.filter(
        partnership_id=partnership_id, starts_on__lte=settings.ends_on, ends_on__gte=settings.starts_on
    )
    if excluding is not None:
        pots = pots.exclude(pk=excluding)
    return pots.exists()


def _available(partnership_id: int) -> int:
    from coproduce.fund.selectors import ledger_totals

    return int(ledger_totals(partnership_id)["available"])


def pot_create(*, actor: Membership, settings: PotSettings) -> FlexiblePot:
    """A coordinator sets money aside for barrier payments for a year; the fund must have it available."""
    require_rule("fund.manage_pot", actor)
    settings = _settings_checked(settings)
    with transaction.atomic(durable=True):
        partnership_lock(actor.partnership_id)
        if _overlapping(actor.partnership_id, settings):
            raise ServiceError(
                _("There is already a flexible pot for part of that year. Change that one instead."),
                field="starts_on",
                code="overlap",
            )
        if _available(actor.partnership_id) < settings.set_aside_pence:
            raise ServiceError(
                _("The fund does not have that much available. Check the fund's ledger."),
                field="set_aside",
                code="not_enough_money",
            )
        pot = FlexiblePot.objects.create(
            partnership_id=actor.partnership_id,
            starts_on=settings.starts_on,
            ends_on=settings.ends_on,
            set_aside_pence=settings.set_aside_pence,
            keyworker_limit_pence=settings.keyworker_limit_pence,
            coordinator_limit_pence=settings.coordinator_limit_pence,
            yearly_cap_pence=settings.yearly_cap_pence,
            created_by=actor.user,
        )
        audit_record(
            actor=actor.user,
            action="fund.pot_created",
            partnership_id=actor.partnership_id,
            target=pot,
            detail=_settings_detail(pot),
        )
    return pot


def year_label(starts_on: date, ends_on: date) -> str:
    """The pot's year in words: "2026/27" for April to March, else its first and last days."""
    if (starts_on.month, starts_on.day, ends_on.month, ends_on.day) == (4, 1, 3, 31) and (
        ends_on.year == starts_on.year + 1
    ):
        return f"{starts_on.year}/{str(ends_on.year)[2:]}"
    return f"{starts_on.isoformat()} – {ends_on.isoformat()}"


def _settings_detail(pot: FlexiblePot) -> dict[str, object]:
    return {
        "year": year_label(pot.starts_on, pot.ends_on),
        "starts_on": pot.starts_on.isoformat(),
        "ends_on": pot.ends_on.isoformat(),
        "set_aside_pence": pot.set_aside_pence,
        "keyworker_limit_pence": pot.keyworker_limit_pence,
        "coordinator_limit_pence": pot.coordinator_limit_pence,
        "yearly_cap_pence": pot.yearly_cap_pence,
    }


def pot_update(*, actor: Membership, pot: FlexiblePot, settings: PotSettings) -> FlexiblePot:
    """A coordinator changes the pot: never below what it has already promised, never more than the fund
    has available; every change audited with the values before and after."""
    require_rule("fund.manage_pot", actor)
    same_partnership(actor, pot)
    settings = _settings_checked(settings)
    with transaction.atomic(durable=True):
        # The pot first, then the partnership: the order an approval that is then paid takes them in (pot,
        # request, partnership), so the two cannot wait for each other.
        locked = FlexiblePot.objects.select_for_update().get(pk=pot.pk)
        partnership_lock(actor.partnership_id)
        if _overlapping(actor.partnership_id, settings, excluding=locked.pk):
            raise ServiceError(
                _("There is already a flexible pot for part of that year."), field="starts_on", code="overlap"
            )
        promised = committed_pence(locked.pk)
        if settings.set_aside_pence < promised:
            raise ServiceError(
                _("The pot has already promised more than that to parents: set aside at least what it has promised."),
                field="set_aside",
                code="below_committed",
            )
        increase = settings.set_aside_pence - locked.set_aside_pence
        if increase > 0 and _available(actor.partnership_id) < increase:
            raise ServiceError(
                _("The fund does not have that much more available. Check the fund's ledger."),
                field="set_aside",
                code="not_enough_money",
            )
        before = _settings_detail(locked)
        for field in (
            "starts_on",
            "ends_on",
            "set_aside_pence",
            "keyworker_limit_pence",
            "coordinator_limit_pence",
            "yearly_cap_pence",
        ):
            setattr(locked, field, getattr(settings, field))
        locked.updated_at = timezone.now()
        locked.save()
        after = _settings_detail(locked)
        changes = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
        if changes:
            audit_record(
                actor=actor.user,
                action="fund.pot_changed",
                partnership_id=actor.partnership_id,
                target=locked,
                detail={"year": after["year"], "changes": changes},
            )
    return locked


def _category_text(name: str, examples: str) -> tuple[str, str]:
    name = text_checked(
        name,
        field="name",
        max_length=NAME_MAX,
        required=_("Give the category a name."),
        too_long=_("The name must be %(max)d characters or fewer."),
    )
    examples = text_checked(
        examples,
        field="examples",
        max_length=EXAMPLES_MAX,
        too_long=_("The examples must be %(max)d characters or fewer."),
    )
    return name, examples


def category_add(*, actor: Membership, pot: FlexiblePot, name: str, examples: str, slug: str = "") -> BarrierCategory:
    """A coordinator adds something the pot may pay for, with plain examples."""
    require_rule("fund.manage_pot", actor)
    same_partnership(actor, pot)
    name, examples = _category_text(name, examples)
    slug = slugify(slug or name)[:SLUG_MAX].strip("-")
    if not slug:
        raise ServiceError(_("Give the category a name in letters or numbers."), field="name", code="slug")
    try:
        with transaction.atomic(durable=True):
            category = BarrierCategory.objects.create(pot=pot, slug=slug, name=name, examples=examples)
            audit_record(
                actor=actor.user,
                action="fund.pot_category_added",
                partnership_id=actor.partnership_id,
                target=category,
                detail={"pot": pot.pk, "slug": slug, "name": name, "examples": examples},
            )
    except IntegrityError:
        raise ServiceError(
            _("The pot already has a category called that. Change that one instead."), field="name", code="duplicate"
        ) from None
    return category


def category_update(
    *, actor: Membership, category: BarrierCategory, name: str, examples: str, active: bool
) -> BarrierCategory:
    """A coordinator renames a category, changes its examples, retires it (no new requests in it; payments
    made keep it) or brings it back. The slug never changes."""
    require_rule("fund.manage_pot", actor)
    same_partnership(actor, category.pot)
    name, examples = _category_text(name, examples)
    with transaction.atomic(durable=True):
        locked = BarrierCategory.objects.select_for_update().get(pk=category.pk)
        before = {"name": locked.name, "examples": locked.examples, "active": locked.active}
        locked.name, locked.examples, locked.active = name, examples, bool(active)
        locked.save(update_fields=["name", "examples", "active"])
        after = {"name": locked.name, "examples": locked.examples, "active": locked.active}
        changes = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
        if changes:
            audit_record(
                actor=actor.user,
                action="fund.pot_category_changed",
                partnership_id=actor.partnership_id,
                target=locked,
                detail={"slug": locked.slug, "name": locked.name, "changes": changes},
            )
    return locked


# --- Declared interests -------------------------------------------------------------------------------


def interest_declare(*, actor: Membership, supplier: str) -> InterestDeclaration:
    """A staff member declares their own interest in a supplier (once: declaring it again changes nothing)."""
    require_rule("fund.declare_interest", actor)
    supplier = text_checked(
        supplier,
        field="supplier",
        max_length=SUPPLIER_MAX,
        required=_("Name the supplier you have an interest in."),
        too_long=_("The supplier's name must be %(max)d characters or fewer."),
    )
    key = supplier_key(supplier)
    with transaction.atomic(durable=True):
        Membership.objects.select_for_update().filter(pk=actor.pk).values_list("pk", flat=True).first()
        existing = InterestDeclaration.objects.filter(
            membership_id=actor.pk, supplier_key=key, withdrawn_at__isnull=True
        ).first()
        if existing is not None:
            return existing
        declaration = InterestDeclaration.objects.create(
            partnership_id=actor.partnership_id, membership=actor, supplier=supplier, supplier_key=key
        )
        audit_record(
            actor=actor.user,
            action="fund.interest_declared",
            partnership_id=actor.partnership_id,
            target=declaration,
            detail={"supplier": supplier},
        )
    return declaration


def interest_withdraw(*, actor: Membership, declaration: InterestDeclaration) -> InterestDeclaration:
    """A staff member withdraws their own declaration (kept, with when it was withdrawn)."""
    require_rule("fund.declare_interest", actor)
    if declaration.membership_id != actor.pk:
        raise NotPermitted()
    with transaction.atomic(durable=True):
        locked = InterestDeclaration.objects.select_for_update().get(pk=declaration.pk)
        if locked.withdrawn_at is None:
            locked.withdrawn_at = timezone.now()
            locked.save(update_fields=["withdrawn_at"])
            audit_record(
                actor=actor.user,
                action="fund.interest_withdrawn",
                partnership_id=actor.partnership_id,
                target=locked,
                detail={"supplier": locked.supplier},
            )
    return locked


def has_declared_interest(*, membership_id: int, supplier: str) -> bool:
    key = supplier_key(supplier)
    if not key:
        return False
    return InterestDeclaration.objects.filter(
        membership_id=membership_id, supplier_key=key, withdrawn_at__isnull=True
    ).exists()


# --- Commitments and payments (called by the support capability through fund.api) ---------------------


def _source_key_checked(source_key: str) -> str:
    source_key = (source_key or "").strip()
    if not source_key or len(source_key) > SOURCE_KEY_MAX:
        raise ServiceError(_("The payment must say what it pays for."), field="source_key")
    return source_key


def pot_commit(*, pot_id: int, amount_pence: int, category: str, source_key: str) -> None:
    """Promise ``amount_pence`` of the pot to one request. Raises ``ServiceError`` if the category is not one
    of the pot's active ones or the pot has less left than the amount. The same ``source_key`` again records
    nothing. Call it inside your transaction after ``flexible_pot_locked``: the pot's row is locked here
    too, so commitments to one pot are made one at a time."""
    amount_pence = amount(amount_pence, field="amount", message=_("Enter an amount of more than £0."))
    source_key = _source_key_checked(source_key)
    with transaction.atomic():
        pot = FlexiblePot.objects.select_for_update().filter(pk=pot_id).first()
        if pot is None:
            raise ServiceError(_("There is no flexible pot for this payment."), code="no_pot")
        existing = PotCommitment.objects.filter(source_key=source_key).first()
        if existing is not None:
            if existing.pot_id != pot.pk:
                raise ServiceError(_("That payment belongs to another pot."), field="source_key")
            return
        if not BarrierCategory.objects.filter(pot=pot, slug=category, active=True).exists():
            raise ServiceError(
                _("The flexible pot does not pay for that. Choose one of its categories."),
                field="category",
                code="category",
            )
        left = pot.set_aside_pence - committed_pence(pot.pk)
        if amount_pence > left:
            raise ServiceError(
                _("The flexible pot has %(left)s left, less than this payment. Ask a coordinator.")
                % {"left": _pounds(left)},
                field="amount",
                code="over_pot",
            )
        PotCommitment.objects.create(pot=pot, source_key=source_key, amount_pence=amount_pence, category=category)


def pot_release(*, source_key: str) -> None:
    """Give back the money promised to a request cancelled before it was paid (a paid one keeps it)."""
    source_key = _source_key_checked(source_key)
    with transaction.atomic():
        commitment = PotCommitment.objects.filter(source_key=source_key).first()
        if commitment is None:
            return
        FlexiblePot.objects.select_for_update().filter(pk=commitment.pot_id).values_list("pk", flat=True).first()
        commitment = PotCommitment.objects.select_for_update().get(pk=commitment.pk)
        if commitment.released_at is not None:
            return
        if Spending.objects.filter(source_key=source_key).exists():
            raise ServiceError(_("This payment has been made: it cannot be given back to the pot."), code="paid")
        commitment.released_at = timezone.now()
        commitment.save(update_fields=["released_at"])


def _pounds(pence: int) -> str:
    from coproduce.core.money import format_pence

    return format_pence(pence)


def barrier_payment_record(
    *,
    actor: Membership,
    amount_pence: int,
    category: str,
    method: str,
    reference: str,
    paid_on: date,
    source_key: str,
) -> Spending:
    """The ledger entry for a barrier payment made out of money the pot promised to ``source_key``: category
    "barrier", ``subcategory`` the pot's category, a description naming the category and how it was paid,
    never the parent. The same ``source_key`` again returns the first entry. A payment of less than was
    promised gives the rest back to the pot; more than was promised is refused (a new request is made)."""
    require_rule("fund.record_barrier_payment", actor)
    amount_pence = amount(amount_pence, field="amount", message=_("Enter an amount of more than £0."))
    source_key = _source_key_checked(source_key)
    if method not in METHOD_KEYS:
        raise ServiceError(_("Choose how it was paid."), field="method", code="method")
    if not isinstance(paid_on, date) or isinstance(paid_on, datetime):
        raise ServiceError(_("Enter the date it was paid."), field="paid_on", code="paid_on")
    if paid_on > timezone.localdate():
        raise ServiceError(_("The date it was paid cannot be in the future."), field="paid_on", code="paid_on")
    reference = text_checked(
        reference,
        field="reference",
        max_length=100,
        too_long=_("The receipt or reference must be %(max)d characters or fewer."),
    )
    with transaction.atomic():
        # Serialises with rounds, awards and other spending (and makes a payment for the same source committed
        # while this one waited visible below).
        partnership_lock(actor.partnership_id)
        existing = Spending.objects.filter(source_key=source_key).first()
        if existing is not None:
            if existing.partnership_id != actor.partnership_id:
                raise ServiceError(_("That payment belongs to another partnership."), field="source_key")
            return existing
        commitment = (
            PotCommitment.objects.select_for_update()
            .select_related("pot")
            .filter(source_key=source_key, pot__partnership_id=actor.partnership_id)
            .first()
        )
        if commitment is None or commitment.released_at is not None:
            raise ServiceError(
                _("The flexible pot has not promised money to this request: it must be approved first."),
                code="not_committed",
            )
        if commitment.category != category:
            raise ServiceError(_("The payment's category is not the one approved."), field="category", code="category")
        if amount_pence > commitment.amount_pence:
            raise ServiceError(
                _("The payment is more than was approved. Make a new request for the difference."),
                field="amount",
                code="over_approved",
            )
        if amount_pence < commitment.amount_pence:
            commitment.amount_pence = amount_pence  # the rest goes back to the pot
            commitment.save(update_fields=["amount_pence"])
        name = (
            BarrierCategory.objects.filter(pot_id=commitment.pot_id, slug=category)
            .values_list("name", flat=True)
            .first()
            or category
        )
        description = (
            _("Barrier payment: %(category)s (%(method)s)")
            % {
                "category": name,
                "method": method_label(method),
            }
        )[:140]
        spending = Spending.objects.create(
            partnership_id=actor.partnership_id,
            category=Spending.Category.BARRIER,
            subcategory=category,
            amount_pence=amount_pence,
            description=description,
            reference=reference,
            source_key=source_key,
            paid_at=timezone.make_aware(datetime.combine(paid_on, time(12, 0))),
            recorded_by=actor.user,
        )
        audit_record(
            actor=actor.user,
            action="fund.barrier_payment_recorded",
            partnership_id=actor.partnership_id,
            target=spending,
            detail={"category": category, "method": method, "amount_pence": amount_pence, "source": source_key},
        )
    return spending


def method_label(method: str) -> str:
    labels = {
        "supplier": _("Paid to the supplier"),
        "voucher": _("Voucher"),
        "cash": _("Cash"),
        "card": _("Card top-up"),
    }
    return labels.get(method, method)


__all__ = [
    "METHOD_KEYS",
    "PotSettings",
    "barrier_payment_record",
    "category_add",
    "category_update",
    "committed_pence",
    "has_declared_interest",
    "interest_declare",
    "interest_withdraw",
    "method_label",
    "pot_commit",
    "pot_create",
    "pot_release",
    "pot_update",
    "supplier_key",
    "year_for",
]
