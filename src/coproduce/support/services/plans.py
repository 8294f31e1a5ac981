"""Starting and accepting a plan, and its "About me" part."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.audit import audit_record
from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.permissions import require_rule
from coproduce.partnerships.models import Membership
from coproduce.support.defaults import ensure_defaults
from coproduce.support.models import TEXT_MAX, Part, SupportPlan, TeamMember
from coproduce.support.services._common import (
    STALE,
    clean_text,
    lock_plan,
    notices_done,
    notify,
    person_label,
    plan_url,
    record_change,
    require_editable,
)


def plan_start(*, actor: Membership, member: Membership | None = None) -> SupportPlan:
    """The member starts their own plan (active at once), or a worker starts one with a member (proposed
    until the member accepts it; the worker is proposed as keyworker)."""
    require_rule("support.take_part", actor)
    own = member is None or member.pk == actor.pk
    target = actor if own or member is None else member
    if target.partnership_id != actor.partnership_id:
        raise NotPermitted()
    if not target.is_member:
        raise ServiceError(_("Only a member can have a support plan."), field="member", code="not_member")
    if not own and not actor.is_worker:
        raise NotPermitted()
    ensure_defaults(actor.partnership)
    now = timezone.now()
    try:
        with transaction.atomic(durable=True):
            plan = SupportPlan.objects.create(
                partnership_id=actor.partnership_id,
                member=target,
                status=SupportPlan.Status.ACTIVE if own else SupportPlan.Status.PROPOSED,
                created_by=actor.user,
                accepted_at=now if own else None,
            )
            if not own:
                TeamMember.objects.create(
                    plan=plan, membership=actor, role=TeamMember.Role.KEYWORKER, proposed_by=actor.user
                )
                notify(
                    partnership_id=plan.partnership_id,
                    user_ids=[target.user_id],
                    kind="support.plan_offer",
                    subject_key=f"support.plan:{plan.pk}:offer",
                    text=_("%(name)s has started a support plan with you. Have a look and accept it if you want it.")
                    % {"name": person_label(actor.user)},
                    url=plan_url(plan),
                )
            record_change(plan=plan, actor=actor, part=Part.ABOUT, summary=_("Plan started"), obj=plan)
            audit_record(
                actor=actor.user,
                action="support.plan_started",
                partnership_id=plan.partnership_id,
                target=plan,
            )
    except IntegrityError as error:
        raise ServiceError(_("This member already has a support plan."), field="member", code="exists") from error
    return plan


def plan_accept(*, actor: Membership, plan: SupportPlan) -> SupportPlan:
    """The member accepts a plan a worker started with them; the worker becomes their keyworker."""
    with transaction.atomic(durable=True):
        locked = lock_plan(plan)
        if locked.member_id != actor.pk:
            raise NotPermitted()
        notices_done(partnership_id=locked.partnership_id, subject_key=f"support.plan:{locked.pk}:offer")
        if locked.status == SupportPlan.Status.ACTIVE:
            return locked
        now = timezone.now()
        locked.status, locked.accepted_at = SupportPlan.Status.ACTIVE, now
        locked.save(update_fields=["status", "accepted_at"])
        TeamMember.objects.filter(
            plan=locked, role=TeamMember.Role.KEYWORKER, agreed_at__isnull=True, ended_at__isnull=True
        ).update(agreed_at=now)
        record_change(
            plan=locked, actor=actor, part=Part.TEAM, summary=_("Plan accepted; keyworker agreed"), obj=locked
        )
        audit_record(
            actor=actor.user,
            action="support.plan_accepted",
            partnership_id=locked.partnership_id,
            target=locked,
        )
    return locked


ABOUT_FIELDS = ("what_matters", "strengths", "wants", "barriers")


def about_update(
    *,
    actor: Membership,
    plan: SupportPlan,
    version: int,
    with_member: bool = False,
    **fields: str,
) -> SupportPlan:
    require_editable(actor, plan, Part.ABOUT)
    cleaned = {name: clean_text(fields.get(name, ""), field=name, max_length=TEXT_MAX) for name in ABOUT_FIELDS}
    with transaction.atomic(durable=True):
        locked = lock_plan(plan)
        if locked.version != version:
            raise ServiceError(str(STALE), code="stale")
        before = {name: getattr(locked, name) for name in ABOUT_FIELDS}
        for name, value in cleaned.items():
            setattr(locked, name, value)
        locked.version += 1
        locked.save(update_fields=[*ABOUT_FIELDS, "version"])
        changed = {k: v for k, v in cleaned.items() if before[k] != v}
        record_change(
            plan=locked,
            actor=actor,
            part=Part.ABOUT,
            summary=_("About me changed"),
            obj=locked,
            before={k: before[k] for k in changed},
            after=changed,
            with_member=with_member,
        )
    return locked
