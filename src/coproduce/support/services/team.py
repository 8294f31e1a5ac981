"""A plan's team: keyworkers and partner contacts proposed, agreed and ended."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.audit import audit_record
from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.partnerships.models import Membership
from coproduce.support.models import Part, SupportPlan, TeamMember
from coproduce.support.services._common import (
    lock_plan,
    notices_done,
    notify,
    person_label,
    plan_url,
    record_change,
    require_editable,
)


def team_propose(*, actor: Membership, plan: SupportPlan, person: Membership, role: str) -> TeamMember:
    """Add a keyworker or partner contact to the team: at once if the member adds them, otherwise proposed
    until the member agrees."""
    access = require_editable(actor, plan, Part.TEAM)
    if person.partnership_id != plan.partnership_id or not person.is_staff_role:
        raise ServiceError(_("Choose a member of staff in this partnership."), field="person")
    if role not in TeamMember.Role.values:
        raise ServiceError(_("Choose keyworker or partner contact."), field="role")
    with transaction.atomic(durable=True):
        locked = lock_plan(plan)
        if TeamMember.objects.filter(plan=locked, membership=person, ended_at__isnull=True).exists():
            raise ServiceError(
                _("%(name)s is already in the team.") % {"name": person_label(person.user)},
                field="person",
                code="exists",
            )
        now = timezone.now()
        member = TeamMember.objects.create(
            plan=locked,
            membership=person,
            role=role,
            proposed_by=actor.user,
            agreed_at=now if access.is_owner else None,
        )
        record_change(
            plan=locked,
            actor=actor,
            part=Part.TEAM,
            summary=(_("%(name)s added to the team") if access.is_owner else _("%(name)s proposed for the team"))
            % {"name": person_label(person.user)},
            obj=member,
        )
        if not access.is_owner and locked.member is not None:
            notify(
                partnership_id=locked.partnership_id,
                user_ids=[locked.member.user_id],
                kind="support.team",
                subject_key=f"support.team:{member.pk}",
                text=_("%(name)s has been proposed for your team. Agree or say no on your plan.")
                % {"name": person_label(person.user)},
                url=plan_url(locked),
            )
        audit_record(
            actor=actor.user,
            action="support.team_proposed",
            partnership_id=locked.partnership_id,
            target=member,
        )
    return member


def team_agree(*, actor: Membership, team_member: TeamMember) -> TeamMember:
    if team_member.plan.member_id != actor.pk:
        raise NotPermitted()
    with transaction.atomic(durable=True):
        locked_plan = lock_plan(team_member.plan)
        locked = TeamMember.objects.select_for_update().get(pk=team_member.pk)
        notices_done(partnership_id=locked_plan.partnership_id, subject_key=f"support.team:{locked.pk}")
        if locked.ended_at is not None:
            raise ServiceError(_("This person is no longer in the team."), code="ended")
        if locked.agreed_at is None:
            locked.agreed_at = timezone.now()
            locked.save(update_fields=["agreed_at"])
            record_change(plan=locked_plan, actor=actor, part=Part.TEAM, summary=_("Team member agreed"), obj=locked)
            audit_record(
                actor=actor.user,
                action="support.team_agreed",
                partnership_id=locked_plan.partnership_id,
                target=locked,
            )
    return locked


def team_end(*, actor: Membership, team_member: TeamMember) -> TeamMember:
    """The member takes someone out of their team (or says no to a proposal); staff may leave a team."""
    if team_member.plan.member_id != actor.pk and team_member.membership_id != actor.pk:
        raise NotPermitted()
    with transaction.atomic(durable=True):
        locked_plan = lock_plan(team_member.plan)
        locked = TeamMember.objects.select_for_update().get(pk=team_member.pk)
        notices_done(partnership_id=locked_plan.partnership_id, subject_key=f"support.team:{locked.pk}")
        if locked.ended_at is None:
            locked.ended_at = timezone.now()
            locked.save(update_fields=["ended_at"])
            record_change(plan=locked_plan, actor=actor, part=Part.TEAM, summary=_("Left the team"), obj=locked)
            audit_record(
                actor=actor.user,
                action="support.team_ended",
                partnership_id=locked_plan.partnership_id,
                target=locked,
            )
    return locked
