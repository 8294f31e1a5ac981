"""Data rights: the member's download, and erasure asked for by the member and confirmed by a coordinator."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.audit import audit_forget, audit_record
from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.permissions import require_rule
from coproduce.partnerships.models import Membership
from coproduce.support.models import (
    Action,
    CheckIn,
    ErasureRequest,
    Goal,
    PlanChange,
    PlanRead,
    Rating,
    Referral,
    ReferralUpdate,
    Share,
    SupportNotification,
    SupportPlan,
    TeamMember,
)
from coproduce.support.services._common import notify, plan_url
from coproduce.support.services.plans import ABOUT_FIELDS


def data_export_record(*, actor: Membership) -> None:
    audit_record(
        actor=actor.user,
        action="support.data_downloaded",
        partnership_id=actor.partnership_id,
        target=actor,
    )


def erasure_request(*, actor: Membership, plan: SupportPlan) -> ErasureRequest:
    if plan.member_id != actor.pk or plan.erased_at is not None:
        raise NotPermitted()
    try:
        with transaction.atomic(durable=True):
            erasure = ErasureRequest.objects.create(
                partnership_id=plan.partnership_id, plan=plan, requested_by=actor.user
            )
            audit_record(
                actor=actor.user,
                action="support.erasure_requested",
                partnership_id=plan.partnership_id,
                target=plan,
            )
    except IntegrityError as error:
        raise ServiceError(
            _("You have already asked for this. A coordinator will confirm it soon."), code="exists"
        ) from error
    coordinators = Membership.objects.filter(partnership_id=plan.partnership_id, is_coordinator=True)
    notify(
        partnership_id=plan.partnership_id,
        user_ids=coordinators.values_list("user_id", flat=True),
        text=_("A member has asked for their support plan to be erased."),
        url=reverse("support:erasures", kwargs={"slug": actor.partnership.slug}),
    )
    return erasure


def erasure_confirm(*, actor: Membership, erasure: ErasureRequest) -> SupportPlan:
    """Erase the plan. Every word and rating the member gave goes, and so does every link to them: the plan
    row stays (so the count of plans stays right) with its referrals' statuses (so the referral figures
    stay right), but nothing that says whose they were. The audit events about the plan, and the
    member's own support events, keep what happened and when, not to whom (``core.audit.audit_forget``)."""
    require_rule("support.confirm_erasure", actor)
    if erasure.partnership_id != actor.partnership_id:
        raise NotPermitted()
    now = timezone.now()
    with transaction.atomic(durable=True):
        locked_erasure = ErasureRequest.objects.select_for_update().get(pk=erasure.pk)
        if locked_erasure.confirmed_at is not None:
            raise ServiceError(_("This erasure has already been confirmed."), code="done")
        plans = SupportPlan.objects.select_for_update(of=("self",)).select_related("member__user", "partnership")
        plan = plans.get(pk=locked_erasure.plan_id)
        person = plan.member.user if plan.member is not None else None
        # Everything the audit log may name, gathered before the rows go.
        parts: list[Any] = [
            plan,
            *TeamMember.objects.filter(plan=plan),
            *Share.objects.filter(plan=plan),
            *Referral.objects.filter(plan=plan),
        ]
        slug = plan.partnership.slug
        notices = [plan_url(plan)]
        notices += [
            reverse("support:checkin", kwargs={"slug": slug, "checkin_id": pk})
            for pk in CheckIn.objects.filter(plan=plan).values_list("pk", flat=True)
        ]
        notices += [
            reverse("support:referral", kwargs={"slug": slug, "referral_id": referral.pk})
            for referral in parts
            if isinstance(referral, Referral)
        ]
        for name in ABOUT_FIELDS:
            setattr(plan, name, "")
        plan.member, plan.erased_at, plan.created_by = None, now, None
        plan.save()
        # Goals, actions and check-ins (with the outcome-wheel ratings) go: they were the member's words and
        # scores, and no figure counts them once the plan is no one's.
        Action.objects.filter(plan=plan).delete()
        Goal.objects.filter(plan=plan).delete()
        Rating.objects.filter(checkin__plan=plan).delete()
        CheckIn.objects.filter(plan=plan).delete()
        Referral.objects.filter(plan=plan).update(note="", decline_reason="—", referred_by=None, withdrawn_at=now)
        ReferralUpdate.objects.filter(referral__plan=plan).update(message="", by=None, by_label="")
        Share.objects.filter(plan=plan, withdrawn_at__isnull=True).update(withdrawn_at=now)
        Share.objects.filter(plan=plan).update(given_by=None, recorded_by=None, withdrawn_by=None)
        TeamMember.objects.filter(plan=plan, ended_at__isnull=True).update(ended_at=now)
        TeamMember.objects.filter(plan=plan).update(proposed_by=None)
        PlanChange.objects.filter(plan=plan).delete()
        PlanRead.objects.filter(plan=plan).delete()
        SupportNotification.objects.filter(partnership_id=plan.partnership_id, url__in=notices).delete()
        # The request itself no longer says whose plan it was.
        locked_erasure.confirmed_at, locked_erasure.confirmed_by, locked_erasure.requested_by = now, actor.user, None
        locked_erasure.save(update_fields=["confirmed_at", "confirmed_by", "requested_by"])
        audit_record(
            actor=actor.user,
            action="support.erasure_confirmed",
            partnership_id=plan.partnership_id,
            target=plan,
        )
        audit_forget(partnership_id=plan.partnership_id, objects=parts, person=person, action_prefix="support.")
    return plan
