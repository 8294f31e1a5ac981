"""The centre of the support tests: who sees what of a member's plan, part by part, before and after the
member withdraws consent. Every page answers 404 for anything out of reach, the same as "missing"."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from coproduce.support import selectors, services
from coproduce.support.models import PlanRead
from tests.conftest import signed_in
from tests.support.world import SECRETS, build_world

PEOPLE = [
    "member",
    "keyworker",
    "colleague",
    "shared_worker",
    "other_worker",
    "coordinator",
    "observer",
    "other_partnership_staff",
    "anonymous",
]
ALL = {"about", "goals", "actions", "team", "checkins"}

# Which parts of the plan each person sees: before, and after the member withdraws everything from the
# organisation they had shared with.
PARTS_BEFORE = {
    "member": ALL,
    "keyworker": ALL,
    "colleague": set(),
    "shared_worker": {"about", "goals", "checkins"},
    "other_worker": set(),
    "coordinator": set(),
    "observer": set(),
    "other_partnership_staff": set(),
    "anonymous": set(),
}
PARTS_AFTER = {**PARTS_BEFORE, "shared_worker": set()}

# The answer to a GET of each page. 302 for anonymous: sign in first.
NO = 404
PAGES_BEFORE: dict[str, tuple[int, ...]] = {
    #                  plan check-in progress referral who-looked history sharing goal-edit figures
    "member": (200, 200, 200, 200, 200, 200, 200, 200, NO),
    "keyworker": (200, 200, 200, 200, NO, 200, 200, 200, NO),
    "colleague": (NO, NO, NO, NO, NO, NO, NO, NO, NO),
    "shared_worker": (200, 200, 200, 200, NO, NO, NO, NO, NO),
    "other_worker": (NO, NO, NO, NO, NO, NO, NO, NO, NO),
    "coordinator": (NO, NO, NO, NO, NO, NO, NO, NO, 200),
    "observer": (NO, NO, NO, NO, NO, NO, NO, NO, 200),
    "other_partnership_staff": (NO, NO, NO, NO, NO, NO, NO, NO, NO),
    "anonymous": (302,) * 9,
}
PAGES_AFTER: dict[str, tuple[int, ...]] = {**PAGES_BEFORE, "shared_worker": (NO,) * 9}
PAGE_NAMES = ["plan", "checkin", "progress", "referral", "reads", "history", "sharing", "goal-edit", "figures"]


def _urls(world: dict[str, Any]) -> list[str]:
    slug = world["partnership"].slug
    plan_id = world["plan"].pk
    return [
        reverse("support:plan", kwargs={"slug": slug, "plan_id": plan_id}),
        reverse("support:checkin", kwargs={"slug": slug, "checkin_id": world["checkin"].pk}),
        reverse("support:progress", kwargs={"slug": slug, "plan_id": plan_id}),
        reverse("support:referral", kwargs={"slug": slug, "referral_id": world["referral"].pk}),
        reverse("support:reads", kwargs={"slug": slug, "plan_id": plan_id}),
        reverse("support:history", kwargs={"slug": slug, "plan_id": plan_id}),
        reverse("support:sharing", kwargs={"slug": slug, "plan_id": plan_id}),
        reverse("support:goal-edit", kwargs={"slug": slug, "goal_id": world["goal"].pk}),
        reverse("support:figures", kwargs={"slug": slug}),
    ]


def _client(world: dict[str, Any], who: str) -> Client:
    return Client() if who == "anonymous" else signed_in(world["people"][who].user)


def _membership(world: dict[str, Any], who: str) -> Any:
    return None if who == "anonymous" else world["people"][who]


def _check(world: dict[str, Any], parts_table: dict[str, set[str]], pages_table: dict[str, tuple[int, ...]]) -> None:
    wrong: list[str] = []
    plan = world["plan"]
    for who in PEOPLE:
        membership = _membership(world, who)
        # The one selector, and the queries written from the same rule, agree.
        parts = set(selectors.plan_parts_visible_to(membership, plan))
        if parts != parts_table[who]:
            wrong.append(f"{who}: selector gives parts {sorted(parts)}, expected {sorted(parts_table[who])}")
        listed = selectors.plans_visible_to(membership).filter(pk=plan.pk).exists() if membership else False
        if listed != bool(parts_table[who]):
            wrong.append(f"{who}: plans_visible_to lists the plan: {listed}")
        referral_seen = (
            selectors.referrals_visible_to(membership).filter(pk=world["referral"].pk).exists() if membership else False
        )
        if referral_seen != (pages_table[who][3] == 200):
            wrong.append(f"{who}: referrals_visible_to has the referral: {referral_seen}")
        # The pages.
        client = _client(world, who)
        for name, url, expected in zip(PAGE_NAMES, _urls(world), pages_table[who], strict=True):
            response = client.get(url)
            if response.status_code != expected:
                wrong.append(f"{who}: {name} answered {response.status_code}, expected {expected}")
            if name == "plan" and response.status_code == 200:
                html = response.content.decode()
                for part, secret in SECRETS.items():
                    if part == "checkins":
                        continue  # notes are on the check-in page, below
                    if (secret in html) != (part in parts_table[who]):
                        wrong.append(f"{who}: the plan page {'shows' if secret in html else 'hides'} {part}")
                team_shown = world["people"]["keyworker"].user.display_name in html and "My team" in html
                if team_shown != ("team" in parts_table[who]):
                    wrong.append(f"{who}: the plan page {'shows' if team_shown else 'hides'} the team")
            if (
                name == "checkin"
                and response.status_code == 200
                and SECRETS["checkins"] not in response.content.decode()
            ):
                wrong.append(f"{who}: the check-in page does not show the notes")
            if name == "referral" and response.status_code == 200 and who == "shared_worker":
                html = response.content.decode()
                if SECRETS["about"] not in html or SECRETS["actions"] in html:
                    wrong.append("shared_worker: the referral page shows other than what was shared with it")
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_who_sees_what_before_and_after_consent_is_withdrawn() -> None:
    world = build_world()
    _check(world, PARTS_BEFORE, PAGES_BEFORE)

    services.sharing_set(
        actor=world["people"]["member"], plan=world["plan"], organisation=world["orgs"]["shared"], parts=[]
    )
    world["referral"].refresh_from_db()
    assert world["referral"].withdrawn_at is not None
    assert world["referral"].status == "closed"
    _check(world, PARTS_AFTER, PAGES_AFTER)


@pytest.mark.django_db
def test_every_read_by_someone_else_is_recorded_and_shown_to_the_member() -> None:
    world = build_world()
    plan_url = reverse("support:plan", kwargs={"slug": world["partnership"].slug, "plan_id": world["plan"].pk})
    _client(world, "member").get(plan_url)
    assert not PlanRead.objects.exists()  # the member's own reads are not listed
    _client(world, "shared_worker").get(plan_url)
    _client(world, "keyworker").get(plan_url)
    _client(world, "colleague").get(plan_url)  # 404: nothing read, nothing recorded
    reads = list(PlanRead.objects.order_by("id"))
    assert [r.reader_id for r in reads] == [
        world["people"]["shared_worker"].user_id,
        world["people"]["keyworker"].user_id,
    ]
    assert set(reads[0].parts) == {"about", "goals", "checkins"}
    assert reads[0].organisation_label == "Org shared"
    page = _client(world, "member").get(
        reverse("support:reads", kwargs={"slug": world["partnership"].slug, "plan_id": world["plan"].pk})
    )
    assert world["people"]["shared_worker"].user.display_name in page.content.decode()
    assert "Org shared" in page.content.decode()


@pytest.mark.django_db
def test_a_keyworker_the_member_takes_out_of_the_team_loses_the_plan_at_once() -> None:
    world = build_world()
    keyworker = world["people"]["keyworker"]
    assert selectors.plan_parts_visible_to(keyworker, world["plan"]) == ALL
    services.team_end(actor=world["people"]["member"], team_member=world["keyworker_row"])
    assert selectors.plan_parts_visible_to(keyworker, world["plan"]) == frozenset()
    assert not selectors.referrals_visible_to(keyworker).exists()


@pytest.mark.django_db
def test_a_coordinator_sees_plan_contents_only_when_the_member_shares_with_their_organisation() -> None:
    world = build_world()
    coordinator = world["people"]["coordinator"]
    assert selectors.plan_parts_visible_to(coordinator, world["plan"]) == frozenset()
    services.sharing_set(
        actor=world["people"]["member"], plan=world["plan"], organisation=world["orgs"]["coord"], parts=["goals"]
    )
    assert selectors.plan_parts_visible_to(coordinator, world["plan"]) == {"goals"}
