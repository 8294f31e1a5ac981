"""Support's notices in the one inbox: a notice about something done clears itself, repeats are one line,
and "For you" shows only what still needs the person."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from coproduce.notifications import selectors as inbox
from coproduce.notifications.models import Notice
from coproduce.support import selectors, services
from coproduce.support.models import TeamMember
from tests.conftest import signed_in
from tests.factories import staff_membership
from tests.support.world import build_world, service_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, Any]:
    return build_world()


def open_notices(membership: Any, kind: str) -> list[Notice]:
    return [n for n in inbox.inbox_for(membership) if n.kind == kind]


def record_checkin(world: dict[str, Any], days_ago: int) -> Any:
    return services.checkin_create(
        actor=world["people"]["keyworker"],
        plan=world["plan"],
        date=timezone.localdate(),
        notes="Talked it through.",
        ratings={world["area"].pk: (4, 5, 5)},
    )


def test_an_agreed_check_in_clears_its_notice(world: dict[str, Any]) -> None:
    member = world["people"]["member"]
    later = [record_checkin(world, d) for d in (3, 2, 1)]
    assert len(open_notices(member, "support.checkin")) == 4  # one for each check-in waiting
    for checkin in [world["checkin"], *later[:2]]:
        services.checkin_agree(actor=member, checkin=checkin)
    waiting = open_notices(member, "support.checkin")
    assert [n.subject_key for n in waiting] == [f"support.checkin:{later[2].pk}"]
    assert [n.url for n in selectors.notifications_for(member)] == [waiting[0].url]
    assert inbox.unread_count(member) == len([n for n in inbox.inbox_for(member) if n.read_at is None])


def test_a_referral_answered_or_closed_clears_new_referral_for_everyone_it_told(world: dict[str, Any]) -> None:
    receiver, referral = world["people"]["shared_worker"], world["referral"]
    colleague = staff_membership(world["partnership"], role="partner_lead", organisation=world["orgs"]["shared"])
    second = services.referral_create(
        actor=world["people"]["keyworker"],
        plan=world["plan"],
        service=world["service"],
        parts=["about"],
        member_agrees=True,
    )
    assert len(open_notices(colleague, "support.referral_new")) == 1  # told of the second only: joined after
    assert len(open_notices(receiver, "support.referral_new")) == 2
    services.referral_move(actor=receiver, referral=referral, status="accepted")
    assert [n.subject_key for n in open_notices(receiver, "support.referral_new")] == [
        f"support.referral:{second.pk}:new"
    ]
    services.referral_move(actor=world["people"]["member"], referral=second, status="closed")
    assert open_notices(receiver, "support.referral_new") == []
    assert open_notices(colleague, "support.referral_new") == []


def test_the_referrer_sees_one_notice_for_one_referral_however_often_it_moves(world: dict[str, Any]) -> None:
    lead = world["people"]["keyworker"]
    plan, member = world["plan"], world["people"]["member"]
    referral = services.referral_create(
        actor=lead, plan=plan, service=service_of(world["orgs"]["other"], "Debt advice"), parts=[], member_agrees=True
    )
    worker = world["people"]["other_worker"]
    for status in ("accepted", "started", "completed"):
        services.referral_move(actor=worker, referral=referral, status=status)
    updates = open_notices(lead, "support.referral_update")
    assert len(updates) == 1
    assert updates[0].count == 3 and "completed" in updates[0].text
    assert len(open_notices(member, "support.referral_update")) == 1


def test_an_accepted_plan_and_an_agreed_team_place_clear_their_notices(world: dict[str, Any]) -> None:
    from tests.factories import MembershipFactory

    member = MembershipFactory(partnership=world["partnership"], is_member=True)
    keyworker = world["people"]["keyworker"]
    plan = services.plan_start(actor=keyworker, member=member)
    assert len(open_notices(member, "support.plan_offer")) == 1
    services.plan_accept(actor=member, plan=plan)
    assert open_notices(member, "support.plan_offer") == []
    proposed = services.team_propose(
        actor=keyworker, plan=plan, person=world["people"]["colleague"], role=TeamMember.Role.CONTACT
    )
    assert len(open_notices(member, "support.team")) == 1
    services.team_agree(actor=member, team_member=proposed)
    assert open_notices(member, "support.team") == []


def test_for_you_on_the_plan_home_shows_what_still_needs_the_member(world: dict[str, Any]) -> None:
    member = world["people"]["member"]
    done = record_checkin(world, 2)
    services.checkin_agree(actor=member, checkin=done)
    page = signed_in(member.user).get(f"/p/{world['partnership'].slug}/support/").content.decode()
    assert page.count("recorded a check-in. Look it over and agree it.") == 1
