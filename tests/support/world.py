"""A partnership with one member's plan and the people around it, for the access table and other tests."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from coproduce.support import services
from coproduce.support.defaults import ensure_defaults
from coproduce.support.models import OutcomeArea, Service, ServiceLocation, TeamMember
from tests.factories import MembershipFactory, OrganisationFactory, PartnershipFactory, staff_membership

SECRETS = {
    "about": "ABOUT-words-only-for-the-allowed",
    "goals": "GOAL-words-only-for-the-allowed",
    "actions": "ACTION-words-only-for-the-allowed",
    "checkins": "CHECKIN-words-only-for-the-allowed",
}


def service_of(organisation: Any, name: str = "Short courses") -> Service:
    service = Service.objects.create(
        partnership=organisation.partnership,
        organisation=organisation,
        name=name,
        description="Courses in school hours.",
    )
    ServiceLocation.objects.create(
        service=service, name="The hub", address="1 Mill Street", opening_times="Mon–Thu 9–3"
    )
    return service


def build_world(partnership: Any | None = None) -> dict[str, Any]:
    partnership = partnership or PartnershipFactory()
    ensure_defaults(partnership)
    orgs = {
        key: OrganisationFactory(partnership=partnership, name=f"Org {key}")
        for key in ("keyworker", "shared", "other", "coord")
    }
    people = {
        "member": MembershipFactory(partnership=partnership, is_member=True),
        "keyworker": staff_membership(partnership, role="worker", organisation=orgs["keyworker"]),
        "colleague": staff_membership(partnership, role="worker", organisation=orgs["keyworker"]),
        "shared_worker": staff_membership(partnership, role="worker", organisation=orgs["shared"]),
        "other_worker": staff_membership(partnership, role="worker", organisation=orgs["other"]),
        "coordinator": staff_membership(partnership, role="coordinator", organisation=orgs["coord"]),
        "observer": MembershipFactory(partnership=partnership, is_member=False, is_observer=True),
    }
    elsewhere = PartnershipFactory()
    people["other_partnership_staff"] = staff_membership(elsewhere, role="coordinator")
    member = people["member"]
    plan = services.plan_start(actor=member)
    keyworker_row = services.team_propose(
        actor=member, plan=plan, person=people["keyworker"], role=TeamMember.Role.KEYWORKER
    )
    services.about_update(actor=member, plan=plan, version=plan.version, what_matters=SECRETS["about"])
    goal = services.goal_create(actor=member, plan=plan, text=SECRETS["goals"])
    action = services.action_create(actor=people["keyworker"], plan=plan, text=SECRETS["actions"], with_member=True)
    area = OutcomeArea.objects.filter(partnership=partnership).first()
    assert area is not None
    checkin = services.checkin_create(
        actor=people["keyworker"],
        plan=plan,
        date=timezone.localdate() - datetime.timedelta(days=0),
        notes=SECRETS["checkins"],
        ratings={area.pk: (4, 5, 5)},
    )
    service = service_of(orgs["shared"])
    referral = services.referral_create(
        actor=people["keyworker"],
        plan=plan,
        service=service,
        parts=["about", "goals"],
        note="Please call after 10.",
        member_agrees=True,
    )
    services.sharing_set(actor=member, plan=plan, organisation=orgs["shared"], parts=["about", "goals", "checkins"])
    return {
        "partnership": partnership,
        "orgs": orgs,
        "people": people,
        "plan": plan,
        "goal": goal,
        "action": action,
        "checkin": checkin,
        "service": service,
        "referral": referral,
        "area": area,
        "keyworker_row": keyworker_row,
    }
