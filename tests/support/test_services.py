"""Support services: the plan's life, history, optimistic concurrency, check-ins, referrals and bad input."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.models import AuditEvent
from coproduce.datarights import services as datarights
from coproduce.notifications.models import Notice
from coproduce.support import selectors, services
from coproduce.support.models import (
    Action,
    CheckIn,
    Goal,
    PlanChange,
    Rating,
    Referral,
    ReferralUpdate,
    Share,
    SupportPlan,
    TeamMember,
)
from tests.factories import MembershipFactory, OrganisationFactory, PartnershipFactory, staff_membership
from tests.support.world import build_world, service_of

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today


@pytest.fixture
def world() -> dict[str, Any]:
    return build_world()


def test_a_member_starts_their_own_plan_active_at_once(member: Any) -> None:
    plan = services.plan_start(actor=member)
    assert plan.status == "active" and plan.member == member and plan.accepted_at is not None
    with pytest.raises(ServiceError) as error:
        services.plan_start(actor=member)
    assert error.value.code == "exists"
    assert SupportPlan.objects.count() == 1


def test_a_keyworker_starts_a_plan_the_member_accepts(member: Any, worker: Any) -> None:
    plan = services.plan_start(actor=worker, member=member)
    assert plan.status == "proposed"
    assert selectors.plan_access(worker, plan).is_keyworker  # they may prepare it with the member
    assert Notice.objects.filter(user=member.user).count() == 1
    with pytest.raises(NotPermitted):
        services.plan_accept(actor=worker, plan=plan)
    services.plan_accept(actor=member, plan=plan)
    plan.refresh_from_db()
    assert plan.status == "active"
    assert TeamMember.objects.get(plan=plan).agreed_at is not None
    assert selectors.plan_access(worker, plan).is_keyworker


def test_a_worker_cannot_start_a_plan_for_a_coordinator_or_someone_elsewhere(
    worker: Any, coordinator: Any, outsider: Any
) -> None:
    with pytest.raises(ServiceError):
        services.plan_start(actor=worker, member=coordinator)
    with pytest.raises(NotPermitted):
        services.plan_start(actor=worker, member=outsider)
    assert not SupportPlan.objects.exists()


def test_every_change_is_kept_with_who_and_when(world: dict[str, Any]) -> None:
    plan, keyworker = world["plan"], world["people"]["keyworker"]
    plan.refresh_from_db()
    services.about_update(
        actor=keyworker, plan=plan, version=plan.version, what_matters="Time with my kids", with_member=True
    )
    change = PlanChange.objects.filter(plan=plan, part="about").first()
    assert change is not None
    assert change.changed_by == keyworker.user and change.with_member
    assert change.before["what_matters"].startswith("ABOUT-") and change.after["what_matters"] == "Time with my kids"


def test_a_stale_edit_is_refused_and_nothing_is_lost(world: dict[str, Any]) -> None:
    plan, member, keyworker = world["plan"], world["people"]["member"], world["people"]["keyworker"]
    plan.refresh_from_db()
    seen = plan.version
    services.about_update(actor=keyworker, plan=plan, version=seen, wants="Keyworker's words")
    with pytest.raises(ServiceError) as error:
        services.about_update(actor=member, plan=plan, version=seen, wants="Member's words")
    assert error.value.code == "stale"
    plan.refresh_from_db()
    assert plan.wants == "Keyworker's words" and plan.version == seen + 1

    goal = world["goal"]
    services.goal_update(actor=member, goal=goal, version=goal.version, text="First")
    with pytest.raises(ServiceError):
        services.goal_update(actor=keyworker, goal=goal, version=goal.version, text="Second")
    assert Goal.objects.get(pk=goal.pk).text == "First"

    action = world["action"]
    services.action_update(actor=member, action=action, version=action.version, text="Mine", done=True)
    with pytest.raises(ServiceError):
        services.action_update(actor=keyworker, action=action, version=action.version, text="Theirs")
    saved = Action.objects.get(pk=action.pk)
    assert saved.text == "Mine" and saved.done_at is not None


def test_dates_in_the_wrong_order_are_refused(world: dict[str, Any]) -> None:
    plan, member = world["plan"], world["people"]["member"]
    goal = services.goal_create(
        actor=member, plan=plan, text="Course", target_date=TODAY() + datetime.timedelta(days=30)
    )
    with pytest.raises(ServiceError) as error:
        services.action_create(
            actor=member, plan=plan, text="Enrol", goal=goal, due=TODAY() + datetime.timedelta(days=60)
        )
    assert error.value.field == "due" and error.value.code == "date_order"
    with pytest.raises(ServiceError):
        services.goal_create(actor=member, plan=plan, text="Past", target_date=TODAY() - datetime.timedelta(days=400))
    with pytest.raises(ServiceError) as error:
        services.checkin_create(
            actor=member, plan=plan, date=TODAY() + datetime.timedelta(days=2), ratings={world["area"].pk: (1, 1, 1)}
        )
    assert error.value.field == "date"
    assert not Action.objects.filter(text="Enrol").exists()
    assert not Goal.objects.filter(text="Past").exists()
    assert CheckIn.objects.count() == 1


def test_an_action_owned_by_a_partner_names_one_in_this_partnership(world: dict[str, Any]) -> None:
    plan, member = world["plan"], world["people"]["member"]
    with pytest.raises(ServiceError):
        services.action_create(actor=member, plan=plan, text="Call", owner="organisation")
    elsewhere = OrganisationFactory(partnership=PartnershipFactory())
    with pytest.raises(ServiceError):
        services.action_create(actor=member, plan=plan, text="Call", owner="organisation", owner_organisation=elsewhere)
    action = services.action_create(
        actor=member, plan=plan, text="Call", owner="organisation", owner_organisation=world["orgs"]["shared"]
    )
    assert action.owner_organisation == world["orgs"]["shared"]


@pytest.mark.parametrize("bad", [0, 11, -3, "seven", 4.5])
def test_ratings_outside_1_to_10_are_refused_and_nothing_is_half_saved(world: dict[str, Any], bad: Any) -> None:
    plan, keyworker = world["plan"], world["people"]["keyworker"]
    areas = selectors.outcome_areas(keyworker)
    before = (CheckIn.objects.count(), Rating.objects.count())
    with pytest.raises(ServiceError) as error:
        services.checkin_create(
            actor=keyworker, plan=plan, date=TODAY(), ratings={areas[0].pk: (5, 5, 5), areas[1].pk: (5, bad, 5)}
        )
    assert error.value.code == "rating"
    assert (CheckIn.objects.count(), Rating.objects.count()) == before


def test_the_database_refuses_ratings_outside_1_to_10(world: dict[str, Any]) -> None:
    checkin, area = world["checkin"], world["area"]
    Rating.objects.filter(checkin=checkin).delete()
    for field, value in (("agreed", 11), ("agreed", 0), ("member_rating", 12), ("worker_rating", 0)):
        values = {"agreed": 5, field: value}
        with pytest.raises(IntegrityError), transaction.atomic():
            Rating.objects.create(checkin=checkin, area=area, **values)


def test_a_check_in_by_a_worker_waits_for_the_member_to_agree(world: dict[str, Any]) -> None:
    checkin, member, area = world["checkin"], world["people"]["member"], world["area"]
    assert checkin.agreed_at is None
    assert selectors.distance_travelled(world["plan"]) == []  # only agreed check-ins count
    with pytest.raises(NotPermitted):
        services.checkin_agree(actor=world["people"]["keyworker"], checkin=checkin)
    services.checkin_agree(actor=member, checkin=checkin, agreed={area.pk: "6"})
    checkin.refresh_from_db()
    assert checkin.agreed_at is not None
    assert Rating.objects.get(checkin=checkin).agreed == 6
    progress = selectors.distance_travelled(world["plan"])
    assert progress[0]["points"][-1][1] == 6


def test_distance_travelled_runs_from_first_to_last_agreed_check_in(member: Any) -> None:
    plan = services.plan_start(actor=member)
    SupportPlan.objects.filter(pk=plan.pk).update(created_at=timezone.now() - datetime.timedelta(days=200))
    plan.refresh_from_db()
    area = selectors.outcome_areas(member)[0]
    for days_ago, agreed in ((150, 2), (90, 4), (30, 7)):
        services.checkin_create(
            actor=member,
            plan=plan,
            date=TODAY() - datetime.timedelta(days=days_ago),
            ratings={area.pk: (agreed, None, None)},
        )
    [entry] = selectors.distance_travelled(plan)
    assert (entry["first"], entry["last"], entry["change"]) == (2, 7, 5)
    [entry] = selectors.distance_travelled(plan, start=TODAY() - datetime.timedelta(days=100))
    assert (entry["first"], entry["change"]) == (4, 3)


# --- Referrals ---------------------------------------------------------------------------------


def test_a_referral_needs_the_members_agreement(world: dict[str, Any]) -> None:
    before = (Referral.objects.count(), Share.objects.count())
    with pytest.raises(ServiceError) as error:
        services.referral_create(
            actor=world["people"]["keyworker"],
            plan=world["plan"],
            service=world["service"],
            parts=["about"],
            member_agrees=False,
        )
    assert error.value.code == "not_agreed"
    assert (Referral.objects.count(), Share.objects.count()) == before


def test_a_referral_to_another_partnerships_service_is_refused(world: dict[str, Any]) -> None:
    other = service_of(OrganisationFactory(partnership=PartnershipFactory()), name="Elsewhere")
    with pytest.raises(ServiceError) as error:
        services.referral_create(
            actor=world["people"]["keyworker"], plan=world["plan"], service=other, parts=["about"], member_agrees=True
        )
    assert error.value.code == "other_partnership"
    assert not Referral.objects.filter(service=other).exists()


def test_the_receiving_organisation_is_notified_and_sees_only_what_was_shared(world: dict[str, Any]) -> None:
    referral, receiver = world["referral"], world["people"]["shared_worker"]
    assert Notice.objects.filter(user=receiver.user, text__contains="New referral").exists()
    services.sharing_set(
        actor=world["people"]["member"],
        plan=world["plan"],
        organisation=world["orgs"]["shared"],
        parts=["about", "goals"],
    )
    assert selectors.plan_parts_visible_to(receiver, world["plan"]) == {"about", "goals"}
    assert referral.shared_parts == ["about", "goals"]


def test_the_referral_state_machine(world: dict[str, Any]) -> None:
    referral, receiver, keyworker = world["referral"], world["people"]["shared_worker"], world["people"]["keyworker"]
    with pytest.raises(ServiceError) as error:
        services.referral_move(actor=keyworker, referral=referral, status="accepted")
    assert error.value.code == "not_receiver"
    with pytest.raises(ServiceError) as error:
        services.referral_move(actor=receiver, referral=referral, status="completed")
    assert error.value.code == "transition"
    services.referral_move(actor=receiver, referral=referral, status="accepted", message="We will call on Monday.")
    services.referral_move(actor=receiver, referral=referral, status="started")
    services.referral_move(actor=receiver, referral=referral, status="completed", message="All done.")
    referral.refresh_from_db()
    assert referral.status == "completed"
    assert list(ReferralUpdate.objects.filter(referral=referral).values_list("status", flat=True)) == [
        "sent",
        "accepted",
        "started",
        "completed",
    ]
    member_user = world["people"]["member"].user
    assert Notice.objects.filter(user=member_user, text__contains="completed").exists()
    for status in ("closed", "started", "accepted"):
        with pytest.raises(ServiceError) as error:
            services.referral_move(actor=receiver, referral=referral, status=status)
        assert error.value.code == "final"
    with pytest.raises(ServiceError):
        services.referral_message(actor=keyworker, referral=referral, message="Any news?")
    referral.refresh_from_db()
    assert referral.status == "completed"


def test_declining_needs_a_reason_and_is_final(world: dict[str, Any]) -> None:
    referral, receiver = world["referral"], world["people"]["shared_worker"]
    with pytest.raises(ServiceError) as error:
        services.referral_move(actor=receiver, referral=referral, status="declined")
    assert error.value.field == "reason"
    services.referral_move(actor=receiver, referral=referral, status="declined", reason="The course is full until May.")
    referral.refresh_from_db()
    assert referral.status == "declined" and referral.decline_reason.startswith("The course")
    with pytest.raises(ServiceError):
        services.referral_move(actor=receiver, referral=referral, status="accepted")


def test_the_member_or_keyworker_may_close_a_referral_but_not_accept_it(world: dict[str, Any]) -> None:
    referral, member = world["referral"], world["people"]["member"]
    with pytest.raises(ServiceError):
        services.referral_move(actor=member, referral=referral, status="accepted")
    services.referral_move(actor=member, referral=referral, status="closed", message="I found a course myself.")
    referral.refresh_from_db()
    assert referral.status == "closed"
    with pytest.raises(NotPermitted):
        services.referral_move(actor=world["people"]["other_worker"], referral=referral, status="closed")


def test_sharing_is_decided_by_the_member(world: dict[str, Any]) -> None:
    plan, keyworker, other = world["plan"], world["people"]["keyworker"], world["orgs"]["other"]
    with pytest.raises(ServiceError) as error:
        services.sharing_set(actor=keyworker, plan=plan, organisation=other, parts=["goals"])
    assert error.value.code == "not_agreed"
    services.sharing_set(actor=keyworker, plan=plan, organisation=other, parts=["goals"], with_member=True)
    share = Share.objects.get(plan=plan, organisation=other)
    assert share.recorded_by == keyworker.user and share.given_by == world["people"]["member"].user
    assert share.lawful_basis == "consent"
    with pytest.raises(NotPermitted):
        services.sharing_set(actor=world["people"]["colleague"], plan=plan, organisation=other, parts=[])
    services.sharing_set(actor=world["people"]["member"], plan=plan, organisation=other, parts=[])
    share.refresh_from_db()
    assert share.withdrawn_at is not None and share.withdrawn_by == world["people"]["member"].user
    assert AuditEvent.objects.filter(action="support.consent_withdrawn").exists()


def test_the_lawful_basis_is_set_per_partnership_and_kept_on_each_share(world: dict[str, Any]) -> None:
    coordinator = world["people"]["coordinator"]
    services.lawful_basis_set(actor=coordinator, purpose="sharing", basis="public_task")
    with pytest.raises(NotPermitted):
        services.lawful_basis_set(actor=world["people"]["keyworker"], purpose="sharing", basis="consent")
    with pytest.raises(ServiceError):
        services.lawful_basis_set(actor=coordinator, purpose="sharing", basis="because")
    shares = services.sharing_set(
        actor=world["people"]["member"], plan=world["plan"], organisation=world["orgs"]["other"], parts=["goals"]
    )
    assert [s.lawful_basis for s in shares] == ["public_task"]


def test_team_members_are_there_only_with_the_members_agreement(world: dict[str, Any]) -> None:
    plan, keyworker, member = world["plan"], world["people"]["keyworker"], world["people"]["member"]
    contact = world["people"]["shared_worker"]
    row = services.team_propose(actor=keyworker, plan=plan, person=contact, role="contact")
    assert row.agreed_at is None
    with pytest.raises(NotPermitted):
        services.team_agree(actor=keyworker, team_member=row)
    services.team_agree(actor=member, team_member=row)
    row.refresh_from_db()
    assert row.agreed_at is not None
    # A contact is in the team but sees only what is shared with their organisation.
    assert selectors.plan_parts_visible_to(contact, plan) == {"about", "goals", "checkins"}


# --- Data rights and figures ----------------------------------------------------------------------


def test_erasure_anonymises_and_keeps_the_counts(world: dict[str, Any]) -> None:
    plan, member, coordinator = world["plan"], world["people"]["member"], world["people"]["coordinator"]
    request = datarights.erasure_request(actor=member)
    with pytest.raises(ServiceError):
        datarights.erasure_request(actor=member)
    with pytest.raises(NotPermitted):
        datarights.erasure_confirm(actor=world["people"]["keyworker"], erasure=request)
    datarights.erasure_confirm(actor=coordinator, erasure=request)
    plan.refresh_from_db()
    assert plan.member is None and plan.erased_at is not None and plan.what_matters == ""
    # The plan still counts, and so do its referrals; its words, goals, actions and check-ins are gone.
    assert SupportPlan.objects.count() == 1 and Referral.objects.count() == 1
    assert not Goal.objects.filter(plan=plan).exists() and not Action.objects.filter(plan=plan).exists()
    assert not Share.objects.filter(withdrawn_at__isnull=True).exists()
    for who in ("member", "keyworker", "shared_worker"):
        assert selectors.plan_parts_visible_to(world["people"][who], plan) == frozenset()
    assert AuditEvent.objects.filter(action="datarights.erasure_requested").exists()
    assert AuditEvent.objects.filter(action="datarights.erasure_confirmed").exists()
    # The member can start again.
    assert services.plan_start(actor=member).pk != plan.pk


def test_erasure_removes_the_plans_ratings_and_check_ins(world: dict[str, Any]) -> None:
    plan, member, coordinator = world["plan"], world["people"]["member"], world["people"]["coordinator"]
    assert Rating.objects.filter(checkin__plan=plan).exists()
    datarights.erasure_confirm(actor=coordinator, erasure=datarights.erasure_request(actor=member))
    assert not Rating.objects.filter(checkin__plan=plan).exists()
    assert not CheckIn.objects.filter(plan=plan).exists()
    # Nothing left on the member's or anyone's notices points at the erased plan or its parts.
    assert not Notice.objects.filter(url__contains=f"/plans/{plan.pk}/").exists()
    assert not Notice.objects.filter(url__contains=f"/check-ins/{world['checkin'].pk}/").exists()


def _names_the_person(event: AuditEvent, user: Any, plan: SupportPlan) -> bool:
    text = " ".join([event.actor_label, event.target_label, json.dumps(event.detail)])
    return (
        event.actor_id == user.pk
        or user.display_name in text
        or user.email in text
        or (event.target_type == "support.supportplan" and event.target_id == str(plan.pk))
    )


def test_erasure_keeps_every_audit_event_but_not_who_it_was_about(world: dict[str, Any]) -> None:
    plan, member, coordinator = world["plan"], world["people"]["member"], world["people"]["coordinator"]
    keyworker = world["people"]["keyworker"]
    services.plan_read_record(reader=keyworker, plan=plan, parts=["goals"], page="plan")
    services.data_export_record(actor=member)
    request = datarights.erasure_request(actor=member)
    before = list(AuditEvent.objects.order_by("pk").values_list("pk", "action", "occurred_at"))
    about_her = [e for e in AuditEvent.objects.all() if _names_the_person(e, member.user, plan)]
    assert {e.action for e in about_her} >= {"support.plan_started", "datarights.erasure_requested"}

    datarights.erasure_confirm(actor=coordinator, erasure=request)

    after = list(AuditEvent.objects.order_by("pk").values_list("pk", "action", "occurred_at"))
    # Every event stays, with what happened and when; the only new one is the confirmation.
    assert after[: len(before)] == before
    assert [action for _pk, action, _at in after[len(before) :]] == ["datarights.erasure_confirmed"]
    assert not [e.action for e in AuditEvent.objects.all() if _names_the_person(e, member.user, plan)]
    assert not AuditEvent.objects.filter(actor=member.user, action__startswith="support.").exists()
    # Those who acted on the plan are still accounted for: the keyworker's read, the coordinator's erasure.
    read = AuditEvent.objects.get(action="support.plan_read")
    assert read.actor_id == keyworker.user_id and read.target_id == "" and read.detail == {"erased": True}
    confirmed = AuditEvent.objects.get(action="datarights.erasure_confirmed")
    assert confirmed.actor_id == coordinator.user_id and confirmed.target_type == "datarights.erasurerequest"
    assert not _names_the_person(confirmed, member.user, plan)


def test_the_download_holds_everything_about_the_member(world: dict[str, Any]) -> None:
    data = selectors.my_data(world["people"]["member"])
    text = str(data)
    for secret in ("ABOUT-", "GOAL-", "ACTION-", "CHECKIN-"):
        assert secret in text
    assert data["plan"]["referrals"][0]["service"] == world["service"].name
    assert {s["part"] for s in data["plan"]["sharing"]} == {"about", "goals", "checkins"}


def test_figures_never_show_a_group_smaller_than_five(partnership: Any) -> None:
    from coproduce.support.defaults import ensure_defaults

    ensure_defaults(partnership)
    lead = staff_membership(partnership, role="partner_lead")
    service = service_of(lead.organisation)
    members = [MembershipFactory(partnership=partnership) for _ in range(6)]
    coordinator = staff_membership(partnership, role="coordinator")
    area = selectors.outcome_areas(coordinator)[0]
    for index, member in enumerate(members):
        plan = services.plan_start(actor=member)
        SupportPlan.objects.filter(pk=plan.pk).update(created_at=timezone.now() - datetime.timedelta(days=100))
        plan.refresh_from_db()
        services.checkin_create(
            actor=member, plan=plan, date=TODAY() - datetime.timedelta(days=60), ratings={area.pk: (3, None, None)}
        )
        services.checkin_create(actor=member, plan=plan, date=TODAY(), ratings={area.pk: (3 + index % 3, None, None)})
        if index < 5:
            services.referral_create(actor=member, plan=plan, service=service, parts=[], member_agrees=True)
    figures = selectors.aggregates(coordinator)
    assert figures["plan_count"] == 6
    [row] = figures["referral_rows"]
    assert row["counts"][0] == 5  # five sent
    distance = next(d for d in figures["distances"] if d["area"] == area)
    assert distance["plans"] == 6 and distance["average"] == 1.0  # (0+1+2+0+1+2)/6
    others = [d for d in figures["distances"] if d["area"] != area]
    assert all(d["average"] is None for d in others)
    # One fewer: the referral group drops below five and disappears.
    Referral.objects.filter(plan__member=members[0]).delete()
    assert selectors.aggregates(coordinator)["referral_rows"] == []


def test_lookups_answer_not_permitted_for_what_is_missing_or_out_of_reach(world: dict[str, Any]) -> None:
    people, plan, goal = world["people"], world["plan"], world["goal"]
    assert selectors.plan_for(people["keyworker"], plan.pk, part="actions", editing=True)[1].may_edit
    assert selectors.goal_for(people["keyworker"], goal.pk, editing=True)[0] == goal
    assert selectors.goal_for(people["shared_worker"], goal.pk)[0] == goal  # shared: seen, not changed
    refused = {
        "a colleague of the keyworker": lambda: selectors.plan_for(people["colleague"], plan.pk),
        "a part not shared": lambda: selectors.plan_for(people["shared_worker"], plan.pk, part="actions"),
        "editing a shared part": lambda: selectors.plan_for(
            people["shared_worker"], plan.pk, part="goals", editing=True
        ),
        "editing a shared goal": lambda: selectors.goal_for(people["shared_worker"], goal.pk, editing=True),
        "an action not shared": lambda: selectors.action_for(people["shared_worker"], world["action"].pk),
        "a check-in not shared": lambda: selectors.checkin_for(people["other_worker"], world["checkin"].pk),
        "another partnership's referral": lambda: selectors.referral_for(
            people["other_partnership_staff"], world["referral"].pk
        ),
        "a plan that does not exist": lambda: selectors.plan_for(people["keyworker"], plan.pk + 1000),
        "another organisation's service": lambda: selectors.service_to_manage(
            people["other_worker"], world["service"].pk
        ),
        "a team place that is not a number": lambda: selectors.team_member_for(plan, "abc"),
        "another partnership's outcome area": lambda: selectors.outcome_area_for(
            people["other_partnership_staff"], world["area"].pk
        ),
    }
    found = []
    for what, lookup in refused.items():
        try:
            lookup()
        except NotPermitted:
            continue
        found.append(what)
    assert found == []
