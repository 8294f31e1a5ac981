"""The support plan on one printable page: the same people as the plan page, the same parts, the read recorded."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from coproduce.support.models import PlanRead
from tests.conftest import signed_in
from tests.support.world import SECRETS, build_world

pytestmark = pytest.mark.django_db


def print_url(world: dict[str, Any]) -> str:
    return reverse("support:plan-print", kwargs={"slug": world["partnership"].slug, "plan_id": world["plan"].pk})


def get(world: dict[str, Any], who: str) -> Any:
    client = Client() if who == "anonymous" else signed_in(world["people"][who].user)
    return client.get(print_url(world))


def test_the_member_prints_her_whole_plan_and_no_read_is_recorded() -> None:
    world = build_world()
    response = get(world, "member")
    assert response.status_code == 200
    html = response.content.decode()
    for secret in (SECRETS["about"], SECRETS["goals"], SECRETS["actions"]):
        assert secret in html
    assert "Short courses" in html  # her referral
    assert "no-store" in response["Cache-Control"]
    assert not PlanRead.objects.exists()


def test_her_keyworker_prints_it_and_the_read_is_recorded_like_the_plan_page() -> None:
    world = build_world()
    response = get(world, "keyworker")
    assert response.status_code == 200
    assert SECRETS["actions"] in response.content.decode()
    read = PlanRead.objects.get()
    assert read.reader_id == world["people"]["keyworker"].user_id
    assert read.page == "plan-print"
    assert set(read.parts) == {"about", "goals", "actions", "team", "checkins"}


def test_an_organisation_she_shared_parts_with_prints_only_those_parts() -> None:
    world = build_world()
    response = get(world, "shared_worker")
    assert response.status_code == 200
    html = response.content.decode()
    assert SECRETS["about"] in html
    assert SECRETS["goals"] in html
    assert SECRETS["actions"] not in html
    assert "Short courses" not in html  # referrals are the member's and her keyworker's
    assert set(PlanRead.objects.get().parts) == {"about", "goals", "checkins"}


@pytest.mark.parametrize("who", ["colleague", "other_worker", "coordinator", "observer", "other_partnership_staff"])
def test_anyone_else_gets_404_and_nothing_is_recorded(who: str) -> None:
    world = build_world()
    assert get(world, who).status_code == 404
    assert not PlanRead.objects.exists()


def test_the_plan_page_links_to_the_printable_page() -> None:
    world = build_world()
    page = signed_in(world["people"]["member"].user).get(
        reverse("support:plan", kwargs={"slug": world["partnership"].slug, "plan_id": world["plan"].pk})
    )
    assert print_url(world) in page.content.decode()
