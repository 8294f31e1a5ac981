"""The audit log is written in sentences with names (partnerships.audit_wording), never in codes, in a
constant number of queries, and an erased plan's entries still name nobody."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coproduce.core.models import AuditEvent
from coproduce.partnerships.audit_wording import audit_entries, worded
from coproduce.support import services
from tests.conftest import signed_in
from tests.factories import MembershipFactory
from tests.support.world import build_world

pytestmark = pytest.mark.django_db

CODE = re.compile(r"\b[a-z]+\.[a-z]+_[a-z_]+\b")  # support.plan_read, membership.roles_changed, …


def audit_page(world: dict[str, Any]) -> str:
    coordinator = world["people"]["coordinator"].user
    address = reverse("partnerships:audit", kwargs={"slug": world["partnership"].slug})
    return signed_in(coordinator).get(address).content.decode()


def test_each_entry_is_a_sentence_naming_the_people(world: dict[str, Any]) -> None:
    keyworker, member = world["people"]["keyworker"], world["people"]["member"]
    services.plan_read_record(reader=keyworker, plan=world["plan"], parts=["goals"], page="plan")
    html = audit_page(world)
    assert f"{keyworker.user.name} looked at {member.user.name}&#x27;s support plan." in html
    assert f"{member.user.name} agreed to share" in html
    assert not CODE.findall(html), CODE.findall(html)
    assert "Support plan " not in html  # a plan is named by whose it is, not by its number


def test_every_event_of_the_world_has_its_own_sentence(world: dict[str, Any]) -> None:
    entries = audit_entries(
        AuditEvent.objects.filter(partnership_id=world["partnership"].pk),
        partnership_id=world["partnership"].pk,
    )
    assert entries
    for entry in entries:
        assert entry.event.action not in entry.sentence
        assert worded(entry.event.action), entry.event.action


def test_the_page_takes_the_same_queries_however_many_plans_it_names(
    world: dict[str, Any], django_assert_num_queries: Any
) -> None:
    keyworker = world["people"]["keyworker"]
    services.plan_read_record(reader=keyworker, plan=world["plan"], parts=["goals"], page="plan")
    audit_page(world)
    with CaptureQueriesContext(connection) as first:
        audit_page(world)
    for _ in range(3):  # more plans, each named in the log
        other = MembershipFactory(partnership=world["partnership"], is_member=True)
        plan = services.plan_start(actor=other)
        services.plan_read_record(reader=keyworker, plan=plan, parts=["goals"], page="plan")
    with django_assert_num_queries(len(first)):
        audit_page(world)


@pytest.fixture
def world() -> dict[str, Any]:
    return build_world()
