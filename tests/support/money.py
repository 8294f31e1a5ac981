"""A flexible pot for the support tests of money for barriers: the fund's pot with the limits of the design
(£150 keyworker, £500 coordinator, £1,000 a person a year) and its categories, money in the fund, and a plan
(from ``world``) with an action to ask from."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from coproduce.fund.models import BarrierCategory, Contribution, FlexiblePot
from coproduce.partnerships.models import Organisation, Partnership
from coproduce.support import services
from coproduce.support.models import BarrierRequest
from tests.factories import staff_membership
from tests.support.world import build_world

CATEGORIES = {
    "travel": ("Travel", "Bus pass for the first month of a new job"),
    "childcare": ("Childcare", "Nursery deposit, childminder's registration fee"),
    "clothes": ("Clothes", "Interview clothes"),
    "learning": ("Learning", "Laptop or books for a course"),
}


def pot_for(
    partnership: Partnership,
    *,
    set_aside: int = 5000_00,
    keyworker: int = 150_00,
    coordinator: int = 500_00,
    cap: int = 1000_00,
    fund: int = 20000_00,
) -> FlexiblePot:
    today = timezone.localdate()
    organisation = Organisation.objects.filter(partnership=partnership).first()
    assert organisation is not None
    Contribution.objects.create(
        partnership=partnership,
        organisation=organisation,
        kind="money",
        description="Core grant",
        value_pence=fund,
        received_at=timezone.now() - datetime.timedelta(days=1),
    )
    pot = FlexiblePot.objects.create(
        partnership=partnership,
        starts_on=today - datetime.timedelta(days=100),
        ends_on=today + datetime.timedelta(days=200),
        set_aside_pence=set_aside,
        keyworker_limit_pence=keyworker,
        coordinator_limit_pence=coordinator,
        yearly_cap_pence=cap,
    )
    for slug, (name, examples) in CATEGORIES.items():
        BarrierCategory.objects.create(pot=pot, slug=slug, name=name, examples=examples)
    return pot


def money_world(**pot: Any) -> dict[str, Any]:
    """``build_world`` with a pot, a second coordinator, and an action (linked to the goal) to ask from."""
    world = build_world()
    world["pot"] = pot_for(world["partnership"], **pot)
    world["people"]["coordinator2"] = staff_membership(
        world["partnership"], role="coordinator", organisation=world["orgs"]["coord"]
    )
    world["money_action"] = services.action_create(
        actor=world["people"]["member"],
        plan=world["plan"],
        text="Start the college course in January",
        goal=world["goal"],
    )
    return world


def ask(
    world: dict[str, Any], amount: int, *, who: str = "member", category: str = "travel", **kw: Any
) -> BarrierRequest:
    return services.barrier_ask(
        actor=world["people"][who],
        plan=world["plan"],
        action=world["money_action"],
        category=category,
        what_for=kw.pop("what_for", "Bus pass for the first month"),
        amount_pence=amount,
        **kw,
    )
