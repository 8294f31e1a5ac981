"""This capability's rows of the URL × role table in tests/test_url_access.py (see that file).

In the world below the member has a plan; the worker is their keyworker (agreed by the member); the member
made a referral to a service of the partner lead's organisation and shared "About me" with it. The
coordinator's and observer's organisations were shared nothing: they see figures, never the plan."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from coproduce.support import services
from coproduce.support.models import OutcomeArea, Service
from tests.fund.helpers import make_pot
from tests.test_url_access import PARTNERSHIP_PAGE, only

MEMBER_AND_KEYWORKER = only("member", "worker")
MEMBER_KEYWORKER_AND_RECEIVER = only("member", "worker", "partner_lead")

ROWS: dict[str, dict[str, int]] = {
    "support:home": PARTNERSHIP_PAGE,
    "support:plan-start": only("member", "worker"),
    "support:plan": MEMBER_KEYWORKER_AND_RECEIVER,
    "support:plan-print": MEMBER_KEYWORKER_AND_RECEIVER,
    "support:plan-accept": {**only(), "member": 405},
    "support:about-edit": MEMBER_AND_KEYWORKER,
    "support:goal-new": MEMBER_AND_KEYWORKER,
    "support:goal-edit": MEMBER_AND_KEYWORKER,
    "support:action-new": MEMBER_AND_KEYWORKER,
    "support:action-edit": MEMBER_AND_KEYWORKER,
    "support:team": MEMBER_AND_KEYWORKER,
    "support:sharing": MEMBER_AND_KEYWORKER,
    "support:history": MEMBER_AND_KEYWORKER,
    "support:reads": only("member"),
    "support:checkin-new": MEMBER_AND_KEYWORKER,
    "support:checkin": MEMBER_AND_KEYWORKER,
    "support:progress": MEMBER_AND_KEYWORKER,
    "support:referral-new": MEMBER_AND_KEYWORKER,
    "support:referral": MEMBER_KEYWORKER_AND_RECEIVER,
    "support:directory": PARTNERSHIP_PAGE,
    "support:service": PARTNERSHIP_PAGE,
    "support:service-new": only("partner_lead", "coordinator"),
    "support:service-edit": only("partner_lead", "coordinator"),  # the partner lead's organisation's service
    "support:directory-export": PARTNERSHIP_PAGE,
    "support:my-data": only("member"),
    "support:my-data-json": only("member"),
    "support:figures": only("coordinator", "observer"),
    "support:settings": only("coordinator"),
    "support:outcome-area-new": only("coordinator"),
    "support:outcome-area-edit": only("coordinator"),
    # Money for barriers: her plan's money page is hers and her keyworker's; a request the member asked for
    # above the keyworker's limit is also open to coordinators (only what a decision needs, the read audited).
    "support:plan-money": MEMBER_AND_KEYWORKER,
    "support:barrier": only("member", "worker", "coordinator"),
    "support:barrier-queue": only("coordinator"),
    "support:barrier-outcomes": only("coordinator"),
}


def build(world: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Make what this capability's pages need in the shared world; return each URL name's kwargs
    (besides the partnership's slug, which is added for every name in this capability's namespace)."""
    people = world["people"]
    member, worker, lead = people["member"], people["worker"], people["partner_lead"]
    plan = services.plan_start(actor=member)
    services.team_propose(actor=member, plan=plan, person=worker, role="keyworker")
    goal = services.goal_create(actor=member, plan=plan, text="A job in school hours")
    action = services.action_create(actor=member, plan=plan, text="Look at the college's courses")
    area = OutcomeArea.objects.filter(partnership=world["partnership"]).first()
    assert area is not None
    checkin = services.checkin_create(
        actor=member,
        plan=plan,
        date=timezone.localdate() - datetime.timedelta(days=0),
        ratings={area.pk: (3, None, None)},
    )
    service = Service.objects.create(
        partnership=world["partnership"], organisation=lead.organisation, name="Short courses", description="Courses."
    )
    referral = services.referral_create(actor=member, plan=plan, service=service, parts=["about"], member_agrees=True)
    # The fund's pot for the year (the fund's rows use the same one), and a request above the keyworker's limit.
    world["pot"] = make_pot(world["partnership"])
    asked = services.barrier_ask(
        actor=member, plan=plan, action=action, category="learning", what_for="A laptop", amount_pence=320_00
    )
    on_plan = {"plan_id": plan.pk}
    return {
        "support:plan-money": on_plan,
        "support:barrier": {"request_id": asked.pk},
        "support:plan": on_plan,
        "support:plan-print": on_plan,
        "support:plan-accept": on_plan,
        "support:about-edit": on_plan,
        "support:goal-new": on_plan,
        "support:goal-edit": {"goal_id": goal.pk},
        "support:action-new": on_plan,
        "support:action-edit": {"action_id": action.pk},
        "support:team": on_plan,
        "support:sharing": on_plan,
        "support:history": on_plan,
        "support:reads": on_plan,
        "support:checkin-new": on_plan,
        "support:checkin": {"checkin_id": checkin.pk},
        "support:progress": on_plan,
        "support:referral-new": on_plan,
        "support:referral": {"referral_id": referral.pk},
        "support:service": {"service_id": service.pk},
        "support:service-edit": {"service_id": service.pk},
        "support:outcome-area-edit": {"area_id": area.pk},
    }
