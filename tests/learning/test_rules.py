"""The permission rules as role × action tables. The event is hosted by the worker's organisation (so the
worker organises it and the partner lead, of another organisation, does not); the coordinator organises any."""

from __future__ import annotations

from typing import Any

import pytest
import rules

from coproduce.learning.models import Event
from tests.factories import MembershipFactory, staff_membership

pytestmark = pytest.mark.django_db

ROLES = ["member", "worker", "coordinator", "partner_lead", "observer", "outsider", "parent_worker"]


@pytest.fixture
def people(
    partnership: Any, worker: Any, member: Any, coordinator: Any, partner_lead: Any, observer: Any
) -> dict[str, Any]:
    return {
        "member": member,
        "worker": worker,
        "coordinator": coordinator,
        "partner_lead": partner_lead,
        "observer": observer,
        "outsider": None,  # someone outside the partnership has no membership
        # A parent who also works for the hosting organisation.
        "parent_worker": staff_membership(partnership, role="worker", is_member=True, organisation=worker.organisation),
    }


def event_for(people: dict[str, Any], audience: str) -> Event:
    return Event(partnership=people["worker"].partnership, host=people["worker"].organisation, audience=audience)


def allowed(rule: str, people: dict[str, Any], target: Any) -> set[str]:
    return {role for role in ROLES if rules.test_rule(rule, people[role], target)}


ORGANISERS = {"worker", "coordinator", "parent_worker"}


@pytest.mark.parametrize(
    ("rule", "audience", "expected"),
    [
        ("learning.view", None, set(ROLES) - {"outsider"}),
        ("learning.create_event", None, {"worker", "coordinator", "partner_lead", "parent_worker"}),
        ("learning.see_event", "everyone", set(ROLES) - {"outsider"}),
        ("learning.see_event", "members", {"member", "parent_worker"} | ORGANISERS),
        ("learning.see_event", "staff", {"worker", "coordinator", "partner_lead", "parent_worker"}),
        ("learning.register", "everyone", {"member", "worker", "coordinator", "partner_lead", "parent_worker"}),
        ("learning.register", "members", {"member", "parent_worker"}),
        ("learning.register", "staff", {"worker", "coordinator", "partner_lead", "parent_worker"}),
        ("learning.organise", "everyone", ORGANISERS),
        ("learning.organise", "members", ORGANISERS),
    ],
)
def test_who_may_do_what(rule: str, audience: str | None, expected: set[str], people: dict[str, Any]) -> None:
    target = event_for(people, audience) if audience else None
    assert allowed(rule, people, target) == expected


def test_an_event_hosted_by_no_organisation_is_organised_by_coordinators_only(people: dict[str, Any]) -> None:
    event = Event(partnership=people["worker"].partnership, host=None, audience="everyone")
    assert allowed("learning.organise", people, event) == {"coordinator"}


def test_a_member_of_staff_without_an_organisation_organises_nothing(partnership: Any) -> None:
    member = MembershipFactory(partnership=partnership, is_member=True)
    assert not rules.test_rule("learning.organise", member, Event(partnership=partnership, host=None))
