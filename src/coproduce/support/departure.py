"""What leaving and erasure do to support data (registered in ``apps.py``; see ``partnerships.personal_data``
and ADR 24).

Leaving: the member's plan is closed (``SupportPlan.left_at``): sharing stops, open referrals are withdrawn,
team places end, no one sees it any more, and it is kept with whose it was (``former_member``) until the
retention period for closed plans passes. A worker who leaves is taken off every team; members left without
a keyworker, and the coordinators, are told, so that someone new is chosen (nothing orphaned).
Erasure: the plan is erased as ADR 18 describes (``services.plan_erase``); the person's notices go."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.audit import audit_record
from coproduce.partnerships.models import Membership
from coproduce.partnerships.personal_data import Departure, Disposal, Fate
from coproduce.support.models import (
    FINAL_STATUSES,
    CheckIn,
    PlanRead,
    Referral,
    Share,
    SupportPlan,
    TeamMember,
)
from coproduce.support.services import plan_erase
from coproduce.support.services._common import notify, plan_url


def _own_plan(membership: Membership, *, lock: bool = False) -> SupportPlan | None:
    plans = SupportPlan.objects.filter(member_id=membership.pk, erased_at__isnull=True)
    if lock:
        plans = plans.select_for_update(of=("self",))
    return plans.select_related("partnership").first()


def _open_referrals(plan: SupportPlan) -> Q:
    return Q(plan=plan, withdrawn_at__isnull=True) & ~Q(status__in=FINAL_STATUSES)


def _team_places(membership: Membership) -> int:
    return TeamMember.objects.filter(membership_id=membership.pk, ended_at__isnull=True).count()


def _written_for_others(membership: Membership) -> int:
    return (
        CheckIn.objects.filter(plan__partnership_id=membership.partnership_id, recorded_by_id=membership.user_id)
        .exclude(plan__member_id=membership.pk)
        .count()
        + PlanRead.objects.filter(plan__partnership_id=membership.partnership_id, reader_id=membership.user_id).count()
    )


def leaving(membership: Membership) -> list[Disposal]:
    plan = _own_plan(membership)
    lines = []
    if plan is not None:
        lines += [
            Disposal(
                _("Your support plan"),
                Fate.KEEP,
                _(
                    "It is closed: no one can see it any more, you included. It is kept, with your name, only for "
                    "the partnership's retention period for closed plans, then deleted. If you want it erased now, "
                    "ask for erasure before you leave."
                ),
                1,
            ),
            Disposal(
                _("Sharing parts of your plan with partner organisations"),
                Fate.KEEP,
                _("Sharing stops today. The record of what you agreed to is kept, as the law asks."),
                Share.objects.filter(plan=plan, withdrawn_at__isnull=True).count(),
            ),
            Disposal(
                _("Your open referrals"),
                Fate.KEEP,
                _("They are withdrawn today: the services no longer see them."),
                Referral.objects.filter(_open_referrals(plan)).count(),
            ),
        ]
    lines += [
        Disposal(
            _("Your places on members' support teams"),
            Fate.DELETE,
            _("You are taken off their teams. They and the coordinators are told, so that someone new is chosen."),
            _team_places(membership),
        ),
        Disposal(
            _("What you recorded in other people's plans, and which plans you read"),
            Fate.KEEP,
            _("It is part of their plans, and they have the right to know who read them."),
            _written_for_others(membership),
        ),
    ]
    return lines


def leave(membership: Membership) -> None:
    now = timezone.now()
    user = membership.user
    plan = _own_plan(membership, lock=True)
    if plan is not None:
        Share.objects.filter(plan=plan, withdrawn_at__isnull=True).update(withdrawn_at=now, withdrawn_by=user)
        Referral.objects.filter(_open_referrals(plan)).update(withdrawn_at=now, updated_at=now)
        TeamMember.objects.filter(plan=plan, ended_at__isnull=True).update(ended_at=now)
        plan.member, plan.former_member, plan.left_at, plan.updated_at = None, user, now, now
        plan.save(update_fields=["member", "former_member", "left_at", "updated_at"])
        audit_record(actor=user, action="support.plan_closed", partnership_id=plan.partnership_id, target=plan)
    # A worker leaving: each plan where they were the only keyworker needs someone new.
    places = TeamMember.objects.filter(membership_id=membership.pk, ended_at__isnull=True).select_related(
        "plan__member__user", "plan__partnership"
    )
    orphaned = []
    for place in places:
        others = (
            TeamMember.objects.filter(plan_id=place.plan_id, role=TeamMember.Role.KEYWORKER, ended_at__isnull=True)
            .exclude(membership_id=membership.pk)
            .exists()
        )
        if place.role == TeamMember.Role.KEYWORKER and not others and place.plan.member is not None:
            orphaned.append(place.plan)
    places.update(ended_at=now)
    for orphan in orphaned:
        notify(
            partnership_id=membership.partnership_id,
            user_ids=[orphan.member.user_id] if orphan.member else [],
            kind="support.keyworker_left",
            subject_key=f"support.plan:{orphan.pk}:keyworker",
            text=_("%(name)s has left the partnership, so you have no keyworker now. Choose someone new on your plan.")
            % {"name": user.name},
            url=plan_url(orphan),
        )
    if orphaned:
        coordinators = Membership.objects.filter(partnership_id=membership.partnership_id, is_coordinator=True)
        notify(
            partnership_id=membership.partnership_id,
            user_ids=coordinators.exclude(pk=membership.pk).values_list("user_id", flat=True),
            kind="support.keyworker_left",
            text=_("%(name)s has left the partnership. These members need a new keyworker: %(members)s.")
            % {"name": user.name, "members": ", ".join(sorted(str(p.member.user.name) for p in orphaned if p.member))},
        )


def erasure(membership: Membership) -> list[Disposal]:
    plan = _own_plan(membership)
    lines = []
    if plan is not None:
        lines += [
            Disposal(
                _("Your support plan's words: about me, goals, actions, check-ins and ratings, its history"),
                Fate.DELETE,
                _("Every word and score you gave goes, and so does the list of who looked at it."),
                1,
            ),
            Disposal(
                _("Your support plan and its referrals"),
                Fate.ANONYMISE,
                _(
                    "A plan with nothing in it, and how its referrals went, stay so that the partnership's counts "
                    "stay right, with nothing that says they were yours. Sharing and team places end."
                ),
                1,
            ),
            Disposal(
                _("The records of what you agreed to share"),
                Fate.ANONYMISE,
                _("Kept, as the law asks, with no one named on them."),
                Share.objects.filter(plan=plan).count(),
            ),
        ]
    lines += [
        Disposal(
            _("What you recorded in other people's plans, and which plans you read"),
            Fate.KEEP,
            _("It is part of their plans, and they have the right to know who read them."),
            _written_for_others(membership),
        ),
    ]
    return lines


def erase(membership: Membership) -> None:
    plan = _own_plan(membership, lock=True)
    if plan is not None:
        plan_erase(plan, person=membership.user)


DEPARTURE = Departure(key="support", erasure=erasure, erase=erase, leaving=leaving, leave=leave, order=20)
