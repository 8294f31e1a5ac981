"""Support's service-use source for evaluation: which directory services can be evaluated, and which referrals
count as a use of one (completed, or closed after the service started), in few queries."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coproduce.partnerships.service_use import service_use_sources
from coproduce.support import service_use as source
from coproduce.support import services
from coproduce.support.models import Referral, ReferralUpdate
from tests.factories import MembershipFactory, PartnershipFactory
from tests.support.world import build_world, service_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, Any]:
    return build_world()


def _reached(referral: Referral, status: str, when: datetime.datetime) -> None:
    """The referral reached ``status`` at ``when``."""
    ReferralUpdate.objects.filter(referral=referral, status=status).update(at=when)


def _move(world: dict[str, Any], referral: Referral, *steps: str) -> None:
    receiver = world["people"]["shared_worker"]
    for step in steps:
        services.referral_move(actor=receiver, referral=referral, status=step)
        referral.refresh_from_db()


def _another_referral(world: dict[str, Any], name: str) -> Referral:
    return services.referral_create(
        actor=world["people"]["keyworker"],
        plan=world["plan"],
        service=service_of(world["orgs"]["shared"], name),
        parts=["about"],
        note="",
        member_agrees=True,
    )


def test_support_registers_its_source() -> None:
    assert source.SOURCE in service_use_sources()


def test_every_directory_service_of_the_partnership_is_a_thing_retired_ones_inactive(world: dict[str, Any]) -> None:
    retired = service_of(world["orgs"]["other"], "Old drop-in")
    retired.active = False
    retired.save()
    service_of(PartnershipFactory().organisations.create(name="Elsewhere", kind="community"), "Not ours")
    found = {t.key: t for t in source.things(world["partnership"].pk)}
    assert set(found) == {f"support.service:{world['service'].pk}", f"support.service:{retired.pk}"}
    shown = found[f"support.service:{world['service'].pk}"]
    assert (shown.kind, shown.name, shown.organisation_id, shown.active) == (
        "service",
        "Short courses",
        world["orgs"]["shared"].pk,
        True,
    )
    assert found[f"support.service:{retired.pk}"].active is False


def test_a_completed_referral_is_a_use_at_the_moment_it_completed(world: dict[str, Any]) -> None:
    referral = world["referral"]
    start = timezone.now()
    _move(world, referral, "accepted", "started")
    assert source.recent(world["partnership"].pk, start) == []  # started is not yet a use to ask about
    done_at = start + datetime.timedelta(days=3)
    _move(world, referral, "completed")
    _reached(referral, "completed", done_at)
    # a later change to the row (e.g. a share withdrawn) is not the moment it completed
    Referral.objects.filter(pk=referral.pk).update(updated_at=done_at + datetime.timedelta(days=1))
    [use] = source.recent(world["partnership"].pk, start)
    assert use.key == f"support.referral:{referral.pk}"
    assert use.thing_key == f"support.service:{world['service'].pk}"
    assert use.user_id == world["people"]["member"].user_id
    assert use.moment == "completed"
    assert use.happened_at == done_at
    assert source.recent(world["partnership"].pk, done_at) == [use]
    assert source.recent(world["partnership"].pk, done_at + datetime.timedelta(seconds=1)) == []


def test_closed_after_starting_is_leaving_closed_before_is_nothing(world: dict[str, Any]) -> None:
    start = timezone.now() - datetime.timedelta(minutes=1)
    _move(world, world["referral"], "accepted", "started", "closed")
    never_started = _another_referral(world, "Money advice")
    _move(world, never_started, "accepted", "closed")
    declined = _another_referral(world, "Parenting group")
    services.referral_move(
        actor=world["people"]["shared_worker"], referral=declined, status="declined", reason="Full this term."
    )
    uses = source.recent(world["partnership"].pk, start)
    assert [(u.key, u.moment) for u in uses] == [(f"support.referral:{world['referral'].pk}", "left")]


def test_a_withdrawn_referral_is_not_offered_but_still_shows_she_used_it(world: dict[str, Any]) -> None:
    start = timezone.now() - datetime.timedelta(minutes=1)
    referral = world["referral"]
    _move(world, referral, "accepted", "started", "completed")
    Referral.objects.filter(pk=referral.pk).update(withdrawn_at=timezone.now())
    assert source.recent(world["partnership"].pk, start) == []
    member = world["people"]["member"]
    assert [u.key for u in source.for_person(world["partnership"].pk, member.user_id)] == [
        f"support.referral:{referral.pk}"
    ]


def test_a_plan_without_its_member_gives_no_use(world: dict[str, Any]) -> None:
    start = timezone.now() - datetime.timedelta(minutes=1)
    _move(world, world["referral"], "accepted", "started", "completed")
    plan = world["plan"]
    plan.left_at = timezone.now()
    plan.member = None
    plan.save()
    assert source.recent(world["partnership"].pk, start) == []


def test_without_an_update_the_referral_s_last_change_is_the_moment(world: dict[str, Any]) -> None:
    referral = world["referral"]
    _move(world, referral, "accepted", "started", "completed")
    ReferralUpdate.objects.filter(referral=referral, status="completed").delete()
    when = timezone.now() - datetime.timedelta(days=2)
    Referral.objects.filter(pk=referral.pk).update(updated_at=when)
    [use] = source.recent(world["partnership"].pk, when - datetime.timedelta(days=1))
    assert use.happened_at == when


def test_for_person_lists_what_she_used_or_is_using_newest_first(world: dict[str, Any]) -> None:
    member = world["people"]["member"]
    base = timezone.now() + datetime.timedelta(days=1)
    _move(world, world["referral"], "accepted", "started", "completed")
    _reached(world["referral"], "completed", base + datetime.timedelta(days=2))
    using = _another_referral(world, "Money advice")
    _move(world, using, "accepted", "started")
    _reached(using, "started", base + datetime.timedelta(days=1))
    left = _another_referral(world, "Parenting group")
    _move(world, left, "accepted", "started", "closed")
    _reached(left, "closed", base)
    waiting = _another_referral(world, "Benefits check")
    _move(world, waiting, "accepted")
    someone_else = MembershipFactory(partnership=world["partnership"], is_member=True)
    uses = source.for_person(world["partnership"].pk, member.user_id)
    assert [(u.key, u.moment) for u in uses] == [
        (f"support.referral:{world['referral'].pk}", "completed"),
        (f"support.referral:{using.pk}", "completed"),
        (f"support.referral:{left.pk}", "left"),
    ]
    assert source.for_person(world["partnership"].pk, someone_else.user_id) == []
    assert source.for_person(PartnershipFactory().pk, member.user_id) == []


def test_each_call_is_one_query_however_many_referrals(world: dict[str, Any]) -> None:
    start = timezone.now() - datetime.timedelta(minutes=1)
    referrals = [world["referral"]] + [_another_referral(world, f"Service {n}") for n in range(4)]
    for referral in referrals:
        _move(world, referral, "accepted", "started", "completed")
    pid, user_id = world["partnership"].pk, world["people"]["member"].user_id
    for call, expected in (
        (lambda: source.things(pid), 5),
        (lambda: source.recent(pid, start), 5),
        (lambda: source.for_person(pid, user_id), 5),
    ):
        with CaptureQueriesContext(connection) as queries:
            assert len(call()) == expected
        assert len(queries) == 1
