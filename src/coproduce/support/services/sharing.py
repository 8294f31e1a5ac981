"""Consent and sharing: which organisation sees which part of a plan, and the record of each read."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.audit import audit_record
from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.partnerships.models import Membership, Organisation
from coproduce.support import selectors
from coproduce.support.models import (
    FINAL_STATUSES,
    PART_VALUES,
    Part,
    PlanRead,
    Purpose,
    Referral,
    ReferralUpdate,
    Share,
    SupportPlan,
)
from coproduce.support.services._common import (
    lawful_basis_for,
    lock_plan,
    notices_done,
    person_label,
    record_change,
)


def sharing_set(
    *,
    actor: Membership,
    plan: SupportPlan,
    organisation: Organisation,
    parts: Iterable[str],
    with_member: bool = False,
) -> list[Share]:
    """Make the live shares with ``organisation`` exactly ``parts``: give the new ones, withdraw the rest.
    The member decides; a keyworker may record the member's choice only with the member there."""
    access = selectors.plan_access(actor, plan)
    if not (access.is_owner or (access.is_keyworker and with_member)):
        if access.is_keyworker:
            raise ServiceError(
                _("Only the member decides who sees their plan. Record this only when they are with you and agree."),
                field="with_member",
                code="not_agreed",
            )
        raise NotPermitted()
    if organisation.partnership_id != plan.partnership_id:
        raise ServiceError(_("Choose an organisation in this partnership."), field="organisation")
    wanted = set(parts)
    if not wanted <= set(PART_VALUES):
        raise ServiceError(_("Choose parts of the plan from the list."), field="parts")
    now = timezone.now()
    with transaction.atomic(durable=True):
        locked = lock_plan(plan)
        live = {
            s.part: s
            for s in Share.objects.select_for_update().filter(
                plan=locked, organisation=organisation, withdrawn_at__isnull=True
            )
        }
        for part in sorted(set(live) - wanted):
            share = live[part]
            share.withdrawn_at, share.withdrawn_by = now, actor.user
            share.save(update_fields=["withdrawn_at", "withdrawn_by"])
            audit_record(
                actor=actor.user,
                action="support.consent_withdrawn",
                partnership_id=locked.partnership_id,
                target=share,
                detail={"part": part, "organisation": organisation.pk},
            )
        basis = lawful_basis_for(locked.partnership_id, Purpose.SHARING)
        member_user = locked.member.user if locked.member else None
        for part in sorted(wanted - set(live)):
            share = Share.objects.create(
                plan=locked,
                organisation=organisation,
                part=part,
                lawful_basis=basis,
                given_by=member_user,
                recorded_by=actor.user,
                given_at=now,
            )
            audit_record(
                actor=actor.user,
                action="support.consent_given",
                partnership_id=locked.partnership_id,
                target=share,
                detail={"part": part, "organisation": organisation.pk},
            )
        if not wanted:
            _withdraw_referrals(locked, organisation, actor, now)
        if wanted != set(live):
            record_change(
                plan=locked,
                actor=actor,
                part=Part.ABOUT,
                summary=_("Sharing with %(org)s: %(parts)s")
                % {
                    "org": organisation.name,
                    "parts": ", ".join(str(Part(p).label) for p in sorted(wanted)) or _("nothing"),
                },
                with_member=with_member,
            )
    return list(Share.objects.filter(plan=plan, organisation=organisation, withdrawn_at__isnull=True))


def _withdraw_referrals(
    plan: SupportPlan, organisation: Organisation, actor: Membership, now: datetime.datetime
) -> None:
    """Withdrawing everything from an organisation withdraws the member's agreement to its referrals too."""
    for referral in Referral.objects.select_for_update().filter(
        plan=plan, organisation=organisation, withdrawn_at__isnull=True
    ):
        referral.withdrawn_at = now
        notices_done(partnership_id=plan.partnership_id, subject_key=f"support.referral:{referral.pk}:new")
        if referral.status not in FINAL_STATUSES:
            referral.status = Referral.Status.CLOSED
            ReferralUpdate.objects.create(
                referral=referral,
                status="closed",
                message=_("The member withdrew their agreement."),
                by=actor.user,
                by_label=person_label(actor.user),
            )
        referral.updated_at = now
        referral.save(update_fields=["withdrawn_at", "status", "updated_at"])
        audit_record(
            actor=actor.user, action="support.referral_withdrawn", partnership_id=plan.partnership_id, target=referral
        )


def plan_read_record(*, reader: Membership, plan: SupportPlan, parts: Iterable[str], page: str) -> PlanRead | None:
    """Record a read by anyone other than the plan's member (for "who has looked at my plan")."""
    if plan.member_id == reader.pk:
        return None
    parts = sorted(parts)
    with transaction.atomic(durable=True):  # one commit for the read and its audit event
        return _plan_read(reader, plan, parts, page)


def _plan_read(reader: Membership, plan: SupportPlan, parts: list[str], page: str) -> PlanRead:
    read = PlanRead.objects.create(
        plan=plan,
        reader=reader.user,
        reader_label=person_label(reader.user),
        organisation_label=reader.organisation.name if reader.organisation_id and reader.organisation else "",
        parts=parts,
        page=page,
    )
    audit_record(
        actor=reader.user,
        action="support.plan_read",
        partnership_id=plan.partnership_id,
        target=plan,
        detail={"parts": parts, "page": page},
    )
    return read
