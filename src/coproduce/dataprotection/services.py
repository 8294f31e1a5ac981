"""Every write of data protection: the controllers and contact, the retention periods, the retention job and the
data sharing agreement. Each takes the acting coordinator, runs in one transaction and is audited."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.audit import audit_record
from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.guards import text_checked
from coproduce.core.permissions import require_rule
from coproduce.dataprotection.models import (
    NEEDS_SCHEDULE_1,
    Arrangement,
    DataItem,
    DataProtectionSettings,
    LawfulBasis,
    RetentionOutcome,
    RetentionPeriod,
    RetentionRun,
    SharingAgreement,
    SpecialCondition,
)
from coproduce.dataprotection.periods import cutoff_for, periods_for
from coproduce.partnerships.models import Membership, Organisation, Partnership
from coproduce.partnerships.personal_data import retention_kinds
from coproduce.partnerships.services import partnership_lock


class CombinedServiceError(ServiceError):
    """Several refusals at once, each shown next to its field (every one listed in the error summary)."""

    def __init__(self, errors: list[ServiceError]) -> None:
        super().__init__(errors[0].message, field=errors[0].field, code=errors[0].code)
        self.errors = errors

    def add_to(self, form: Any) -> None:
        for error in self.errors:
            error.add_to(form)


def settings_for(partnership_id: int) -> DataProtectionSettings:
    """The partnership's data protection settings, made (empty) the first time they are asked for."""
    found, _created = DataProtectionSettings.objects.get_or_create(partnership_id=partnership_id)
    return found


# --- Controllers and contact ------------------------------------------------------------------------


def data_protection_update(
    *,
    actor: Membership,
    controllers: Iterable[Organisation],
    arrangement: str,
    contact_name: str,
    contact_email: str,
    contact_address: str,
    dpo_name: str = "",
    dpo_email: str = "",
) -> DataProtectionSettings:
    require_rule("dataprotection.manage", actor)
    chosen = list(controllers)
    if any(org.partnership_id != actor.partnership_id for org in chosen):
        raise NotPermitted()
    if not chosen:
        raise ServiceError(_("Choose at least one organisation as a data controller."), field="controllers")
    if arrangement not in Arrangement.values:
        raise ServiceError(_("Choose how the controllers share the data."), field="arrangement")
    if len(chosen) == 1 and arrangement == Arrangement.JOINT:
        raise ServiceError(
            _("Joint controllers are two or more organisations: choose another, or choose independent."),
            field="arrangement",
        )
    contact_name = text_checked(
        contact_name,
        field="contact_name",
        max_length=200,
        required=_("Enter who to contact about data protection."),
        too_long=_("Keep the contact's name to %(max)d characters."),
    )
    contact_email = text_checked(
        contact_email, field="contact_email", max_length=254, required=_("Enter the contact's email address.")
    )
    contact_address = text_checked(
        contact_address,
        field="contact_address",
        max_length=1000,
        too_long=_("Keep the postal address to %(max)d characters."),
    )
    dpo_name = text_checked(dpo_name, field="dpo_name", max_length=200)
    dpo_email = text_checked(dpo_email, field="dpo_email", max_length=254)
    if dpo_email and not dpo_name:
        raise ServiceError(_("Enter the data protection officer's name, or leave both empty."), field="dpo_name")
    with transaction.atomic(durable=True):
        settings_for(actor.partnership_id)
        found = DataProtectionSettings.objects.select_for_update().get(partnership_id=actor.partnership_id)
        found.arrangement = arrangement
        found.contact_name, found.contact_email, found.contact_address = contact_name, contact_email, contact_address
        found.dpo_name, found.dpo_email = dpo_name, dpo_email
        found.updated_at = timezone.now()
        found.save()
        found.controllers.set(chosen)
        audit_record(
            actor=actor.user,
            action="dataprotection.settings_changed",
            partnership_id=actor.partnership_id,
            target=found,
            detail={
                "controllers": sorted(org.pk for org in chosen),
                "arrangement": arrangement,
                "contact": contact_name,
                "dpo": dpo_name,
            },
        )
    return found


# --- Retention periods ------------------------------------------------------------------------------


# The longest period, in days or months (27 years in days; far more in months).
MAX_AMOUNT = 9999


@dataclass(frozen=True)
class PeriodChoice:
    """A coordinator's choice for one kind: ``amount`` None keeps the data until it is deleted by hand."""

    amount: int | None
    unit: str = RetentionPeriod.Unit.MONTHS


def field_name(kind_key: str) -> str:
    """The form field of a kind's period (a kind's key holds a dot, which a field name had better not)."""
    return "period_" + kind_key.replace(".", "__")


def retention_periods_update(*, actor: Membership, choices: Mapping[str, PeriodChoice]) -> list[RetentionPeriod]:
    """Set the period of each kind named in ``choices``. A period is refused, with the kind's reason, when its
    cut-off would remove data still under a legal hold (an open referral, an award not yet paid)."""
    require_rule("dataprotection.manage", actor)
    kinds = {kind.key: kind for kind in retention_kinds()}
    unknown = set(choices) - set(kinds)
    if unknown:
        raise ServiceError(_("That kind of data is not one the platform holds."), code="unknown")
    now = timezone.now()
    errors: list[ServiceError] = []
    for key, choice in choices.items():
        kind = kinds[key]
        if choice.unit not in RetentionPeriod.Unit.values:
            errors.append(ServiceError(_("Choose days or months."), field=field_name(key)))
        elif choice.amount is None and not kind.keep_allowed:
            errors.append(ServiceError(_("%(kind)s: enter a period.") % {"kind": kind.label}, field=field_name(key)))
        elif choice.amount is not None and not 1 <= choice.amount <= MAX_AMOUNT:
            errors.append(
                ServiceError(
                    _("%(kind)s: enter a period of at least 1 and no more than %(max)d.")
                    % {"kind": kind.label, "max": MAX_AMOUNT},
                    field=field_name(key),
                )
            )
    if errors:
        raise CombinedServiceError(errors)
    saved = []
    with transaction.atomic(durable=True):
        for key, choice in choices.items():
            kind = kinds[key]
            if choice.amount is not None and kind.held is not None:
                reason = kind.held(actor.partnership, cutoff_for(now, choice.amount, choice.unit))
                if reason:
                    errors.append(
                        ServiceError(
                            _("%(kind)s: this period is too short. %(reason)s")
                            % {"kind": kind.label, "reason": reason},
                            field=field_name(key),
                            code="held",
                        )
                    )
        if errors:
            raise CombinedServiceError(errors)
        before = {row.kind: row for row in RetentionPeriod.objects.filter(partnership_id=actor.partnership_id)}
        changed: dict[str, Any] = {}
        for key, choice in choices.items():
            row = before.get(key)
            if row is not None and (row.amount, row.unit) == (choice.amount, choice.unit):
                saved.append(row)
                continue
            row, _created = RetentionPeriod.objects.update_or_create(
                partnership_id=actor.partnership_id,
                kind=key,
                defaults={"amount": choice.amount, "unit": choice.unit, "updated_at": now},
            )
            changed[key] = {"amount": choice.amount, "unit": choice.unit}
            saved.append(row)
        if changed:
            audit_record(
                actor=actor.user,
                action="dataprotection.retention_changed",
                partnership_id=actor.partnership_id,
                target=actor.partnership,
                detail={"periods": changed},
            )
    return saved


# --- The retention job ------------------------------------------------------------------------------


def retention_apply(*, partnership: Partnership, dry_run: bool, actor: Membership | None = None) -> RetentionRun:
    """Delete or anonymise what has passed its period, kind by kind (each kind in its own transaction, so a
    kind done stays done), and record the run and one audit event. With ``dry_run``, count what would go and
    change nothing. ``actor`` is the coordinator who asked for it (none when it runs on its schedule)."""
    if actor is not None:
        require_rule("dataprotection.manage", actor)
        if actor.partnership_id != partnership.pk:
            raise NotPermitted()
    now = timezone.now()
    with transaction.atomic(durable=True):
        run = RetentionRun.objects.create(
            partnership=partnership, dry_run=dry_run, started_at=now, requested_by=actor.user if actor else None
        )
    counts: dict[str, int] = {}
    for period in periods_for(partnership):
        cutoff = period.cutoff(now)
        if cutoff is None:
            continue
        with transaction.atomic(durable=True):
            count = period.kind.purge(partnership, cutoff, dry_run)
            RetentionOutcome.objects.create(
                run=run, kind=period.key, label=str(period.kind.label)[:300], cutoff=cutoff, count=count
            )
        counts[period.key] = count
    with transaction.atomic(durable=True):
        run.finished_at = timezone.now()
        run.save(update_fields=["finished_at"])
        audit_record(
            actor=actor.user if actor else None,
            action="dataprotection.retention_dry_run" if dry_run else "dataprotection.retention_applied",
            partnership_id=partnership.pk,
            target=run,
            detail={"dry_run": dry_run, "counts": counts},
        )
    return run


def retention_apply_everywhere(*, dry_run: bool = False) -> list[RetentionRun]:
    """The scheduled job: the retention run of every partnership, one after another."""
    return [
        retention_apply(partnership=partnership, dry_run=dry_run) for partnership in Partnership.objects.order_by("pk")
    ]


# --- The data sharing agreement ---------------------------------------------------------------------


def agreement_record(
    *,
    actor: Membership,
    purposes: str,
    data_items: Iterable[str],
    data_items_other: str,
    lawful_bases: Iterable[str],
    lawful_basis_explanation: str,
    special_category: bool,
    special_condition: str,
    schedule_1_condition: str,
    security: str,
    rights_contact: str,
    review_date: date,
) -> SharingAgreement:
    """Add a version of the data sharing agreement (the earlier ones stay as they were)."""
    require_rule("dataprotection.manage", actor)
    items = sorted(set(data_items))
    bases = sorted(set(lawful_bases))
    purposes = text_checked(purposes, field="purposes", max_length=4000, required=_("Say why the data is shared."))
    security = text_checked(security, field="security", max_length=4000, required=_("Say how the data is kept secure."))
    rights_contact = text_checked(
        rights_contact, field="rights_contact", max_length=4000, required=_("Say how people use their rights.")
    )
    data_items_other = text_checked(data_items_other, field="data_items_other", max_length=4000)
    lawful_basis_explanation = text_checked(lawful_basis_explanation, field="lawful_basis_explanation", max_length=4000)
    schedule_1_condition = text_checked(schedule_1_condition, field="schedule_1_condition", max_length=500)
    errors = []
    if not items and not data_items_other:
        errors.append(ServiceError(_("Choose what data is shared, or describe it."), field="data_items"))
    if any(item not in DataItem.values for item in items):
        errors.append(ServiceError(_("Choose what data is shared from the list."), field="data_items"))
    if not bases or any(basis not in LawfulBasis.values for basis in bases):
        errors.append(ServiceError(_("Choose at least one lawful basis."), field="lawful_bases"))
    if special_category:
        if special_condition not in SpecialCondition.values:
            errors.append(ServiceError(_("Choose the condition for special category data."), field="special_condition"))
        elif special_condition in NEEDS_SCHEDULE_1 and not schedule_1_condition:
            errors.append(
                ServiceError(
                    _("This condition needs a condition from Schedule 1 of the Data Protection Act 2018: name it."),
                    field="schedule_1_condition",
                )
            )
    else:
        special_condition, schedule_1_condition = "", ""
    if review_date <= timezone.localdate():
        errors.append(ServiceError(_("The review date must be in the future."), field="review_date"))
    if errors:
        raise CombinedServiceError(errors)
    with transaction.atomic(durable=True):
        partnership_lock(actor.partnership_id)
        latest = SharingAgreement.objects.filter(partnership_id=actor.partnership_id).order_by("-version").first()
        agreement = SharingAgreement.objects.create(
            partnership_id=actor.partnership_id,
            version=(latest.version + 1) if latest else 1,
            purposes=purposes,
            data_items=items,
            data_items_other=data_items_other,
            lawful_bases=bases,
            lawful_basis_explanation=lawful_basis_explanation,
            special_category=special_category,
            special_condition=special_condition,
            schedule_1_condition=schedule_1_condition,
            security=security,
            rights_contact=rights_contact,
            review_date=review_date,
            created_by=actor.user,
        )
        audit_record(
            actor=actor.user,
            action="dataprotection.agreement_recorded",
            partnership_id=actor.partnership_id,
            target=agreement,
            detail={"version": agreement.version},
        )
    return agreement
