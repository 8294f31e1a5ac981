"""Data rights: recording the member's download, and erasing a plan (asked for through ``datarights``, run by
support's departure, ``support.departure``)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from coproduce.core.audit import audit_forget, audit_record
from coproduce.notifications.api import notices_remove
from coproduce.partnerships.models import Membership
from coproduce.support.models import (
    Action,
    CheckIn,
    Goal,
    PlanChange,
    PlanRead,
    Rating,
    Referral,
    ReferralUpdate,
    Share,
    SupportPlan,
    TeamMember,
)
from coproduce.support.services._common import plan_url
from coproduce.support.services.plans import ABOUT_FIELDS


def data_export_record(*, actor: Membership) -> None:
    audit_record(
        actor=actor.user,
        action="support.data_downloaded",
        partnership_id=actor.partnership_id,
        target=actor,
    )


def plan_erase(plan: SupportPlan, *, person: Any) -> list[Any]:
    """Erase the plan, inside the caller's transaction (the plan locked). Every word and rating the member gave
    goes, and so does every link to them: the plan row stays (so the count of plans stays right) with its
    referrals' statuses (so the referral figures stay right), but nothing that says whose they were. The audit
    events about the plan, and the member's own support events, keep what happened and when, not to whom
    (``core.audit.audit_forget``, ADR 18). Returns the plan's parts the audit log may have named."""
    now = timezone.now()
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
    plan.member, plan.former_member, plan.erased_at, plan.created_by = None, None, now, None
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
    notices_remove(partnership_id=plan.partnership_id, urls=notices)
    audit_forget(partnership_id=plan.partnership_id, objects=parts, person=person, action_prefix="support.")
    return parts
