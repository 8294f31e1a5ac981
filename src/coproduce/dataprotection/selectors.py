"""Every read of data protection, narrowed to the acting person's partnership: the settings, the retention
periods and runs (coordinators), the data sharing agreement and the privacy notice (everyone in it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from coproduce.core.exceptions import NotPermitted
from coproduce.core.permissions import require_rule
from coproduce.dataprotection.models import (
    DataItem,
    DataProtectionSettings,
    LawfulBasis,
    RetentionRun,
    SharingAgreement,
    SpecialCondition,
)
from coproduce.dataprotection.periods import KindPeriod, periods_for
from coproduce.partnerships.models import Membership, Organisation


def settings_visible_to(actor: Membership) -> DataProtectionSettings | None:
    """The partnership's controllers and contact (None until a coordinator has set them)."""
    require_rule("dataprotection.view", actor)
    return (
        DataProtectionSettings.objects.filter(partnership_id=actor.partnership_id)
        .prefetch_related("controllers")
        .first()
    )


def organisation_choices_for(actor: Membership) -> QuerySet[Organisation]:
    require_rule("dataprotection.manage", actor)
    return Organisation.objects.filter(partnership_id=actor.partnership_id).order_by("name")


def retention_periods_visible_to(actor: Membership) -> list[KindPeriod]:
    require_rule("dataprotection.view", actor)
    return periods_for(actor.partnership_id)


def retention_runs_visible_to(actor: Membership) -> QuerySet[RetentionRun]:
    """The partnership's retention runs, newest first, each with what it did to each kind (two queries a page)."""
    require_rule("dataprotection.manage", actor)
    return (
        RetentionRun.objects.filter(partnership_id=actor.partnership_id)
        .select_related("requested_by")
        .prefetch_related("outcomes")
    )


def agreement_versions_visible_to(actor: Membership) -> QuerySet[SharingAgreement]:
    """Every version of the data sharing agreement, newest first."""
    require_rule("dataprotection.view", actor)
    return SharingAgreement.objects.filter(partnership_id=actor.partnership_id).select_related("created_by")


def agreement_version(actor: Membership, version: int | None = None) -> SharingAgreement | None:
    """One version (the latest when ``version`` is None, which is None when there is none yet). A version
    that does not exist, or is another partnership's, is a 404."""
    versions = agreement_versions_visible_to(actor)
    if version is None:
        return versions.first()
    found = versions.filter(version=version).first()
    if found is None:
        raise NotPermitted()
    return found


@dataclass(frozen=True)
class AgreementView:
    """An agreement's codes turned into the words a person reads."""

    agreement: SharingAgreement
    data_items: list[str] = field(default_factory=list)
    lawful_bases: list[str] = field(default_factory=list)
    special_condition: str = ""


def agreement_words(agreement: SharingAgreement) -> AgreementView:
    items = dict(DataItem.choices)
    bases = dict(LawfulBasis.choices)
    return AgreementView(
        agreement=agreement,
        data_items=[str(items[i]) for i in agreement.data_items if i in items],
        lawful_bases=[str(bases[b]) for b in agreement.lawful_bases if b in bases],
        special_condition=str(dict(SpecialCondition.choices).get(agreement.special_condition, "")),
    )


@dataclass(frozen=True)
class PrivacyNotice:
    """What the partnership's privacy notice says, all of it read from what the platform holds and does."""

    settings: DataProtectionSettings | None
    controllers: list[Organisation]
    organisations: list[Organisation]
    agreement: AgreementView | None
    periods: list[KindPeriod]


def privacy_notice_for(actor: Membership) -> PrivacyNotice:
    require_rule("dataprotection.view", actor)
    found = settings_visible_to(actor)
    current = agreement_version(actor)
    controllers: list[Any] = list(found.controllers.all()) if found else []
    return PrivacyNotice(
        settings=found,
        controllers=controllers,
        organisations=list(Organisation.objects.filter(partnership_id=actor.partnership_id).order_by("name")),
        agreement=agreement_words(current) if current else None,
        periods=periods_for(actor.partnership_id),
    )
