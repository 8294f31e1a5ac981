"""Erasure across every capability (asked for, listed with its one-month deadline, confirmed), and a
coordinator removing someone; every POST as every role."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from coproduce.conversations.models import Participant, Statement, Vote
from coproduce.core.models import AuditEvent, OutgoingEmail
from coproduce.datarights import services
from coproduce.datarights.models import ErasureRequest, one_month_after
from coproduce.fund.models import Ballot, Proposal
from coproduce.improvement.models import MemberCheck
from coproduce.learning.models import CalendarFeed, Claim
from coproduce.partnerships.models import Membership, MyDataExport
from coproduce.support.models import SupportPlan
from coproduce.voice.models import Comment, Idea, Support
from tests.conftest import signed_in
from tests.datarights.world import build
from tests.factories import MembershipFactory, PartnershipFactory, staff_membership

REMOVED = "Removed at the person's request"


def rights(world: dict[str, Any], name: str, **kwargs: Any) -> str:
    return reverse(f"datarights:{name}", kwargs={"slug": world["partnership"].slug, **kwargs})


@pytest.mark.parametrize(
    ("asked", "due"),
    [
        (datetime.date(2027, 1, 31), datetime.date(2027, 2, 28)),
        (datetime.date(2028, 1, 31), datetime.date(2028, 2, 29)),
        (datetime.date(2026, 12, 15), datetime.date(2027, 1, 15)),
        (datetime.date(2027, 3, 31), datetime.date(2027, 4, 30)),
    ],
)
def test_the_deadline_is_one_calendar_month(asked: datetime.date, due: datetime.date) -> None:
    assert one_month_after(asked) == due


def test_erasure_from_asking_to_confirming_covers_every_capability(db: Any) -> None:
    world = build({"is_member", "is_worker"})
    person, coordinator = world["person"], world["coordinator"]
    client = signed_in(person.user)
    page = client.get(rights(world, "erasure")).content.decode()
    for line in (
        "The words of your ideas and comments",
        "Your votes in conversations",
        "Your support plan",
        "Your claims for paid time and expenses",
        "Your private calendar link",
    ):
        assert line in page
    assert client.post(rights(world, "erasure")).status_code == 302
    erasure = ErasureRequest.objects.get()
    assert erasure.due_on == one_month_after(timezone.localdate())
    sent = [m for m in mail.outbox if "asked for their data to be erased" in m.subject]
    assert [m.to for m in sent] == [[coordinator.user.email]]
    assert "A coordinator must confirm it by" in client.get(rights(world, "erasure")).content.decode()

    prepared = MyDataExport.objects.create(
        partnership=person.partnership,
        membership=person,
        status="ready",
        json_file=b'{"ideas": ["IDEA-WORDS"]}',
        expires_at=timezone.now() + datetime.timedelta(hours=24),
    )
    boss = signed_in(coordinator.user)
    listed = boss.get(rights(world, "erasures")).content.decode()
    assert person.user.name in listed and "Waiting" in listed
    assert boss.post(rights(world, "erasure-confirm", erasure_id=erasure.pk)).status_code == 302

    # Everything the person wrote is gone or anonymous; what counts still counts.
    plan = SupportPlan.objects.get(pk=world["plan"].pk)
    assert plan.erased_at is not None and plan.member_id is None and plan.what_matters == ""
    idea = Idea.objects.get(pk=world["idea"].pk)
    assert idea.title == idea.body == REMOVED and idea.author_id is None and "IDEA-WORDS" not in idea.search_text
    assert not Comment.objects.filter(body="COMMENT-WORDS").exists()
    assert Support.objects.filter(idea=world["other_idea"], user__isnull=True).count() == 1
    statement = Statement.objects.get(pk=world["statement"].pk)
    assert statement.text.startswith(REMOVED) and statement.author_id is None
    assert Participant.objects.get(pk=world["participant"].pk).user_id is None
    assert Vote.objects.count() == 1
    proposal = Proposal.objects.get(pk=world["proposal"].pk)
    assert proposal.description == REMOVED and proposal.proposer_id is None
    assert Ballot.objects.get(pk=world["ballot"].pk).voter_id is None
    assert MemberCheck.objects.get(test=world["test"]).words == ""
    assert not MyDataExport.objects.filter(pk=prepared.pk).exists()  # a prepared copy held the erased words
    claim = Claim.objects.get(pk=world["claim"].pk)  # money records keep the amounts, without the person
    assert claim.user_id is None and claim.receipt_reference == "" and claim.time_pence > 0
    assert not CalendarFeed.objects.filter(user=person.user).exists()
    # The person stays in the partnership; the request stays, with no name on it; the confirmation is audited.
    assert Membership.objects.filter(pk=person.pk).exists()
    erasure.refresh_from_db()
    assert erasure.confirmed_at is not None and erasure.membership_id is None and erasure.requested_by_id is None
    assert AuditEvent.objects.filter(action="datarights.erasure_confirmed", actor=coordinator.user).exists()
    assert not AuditEvent.objects.filter(actor=person.user, action__startswith="voice.").exists()
    assert not AuditEvent.objects.filter(actor=person.user, action__startswith="datarights.").exists()
    after = boss.get(rights(world, "erasures")).content.decode()
    assert person.user.name not in after and "Not shown (erased)" in after and "Done" in after
    # Now they may leave.
    assert client.post(rights(world, "leave")).status_code == 302


def test_an_overdue_request_is_marked(db: Any) -> None:
    world = build({"is_member"})
    erasure = services.erasure_request(actor=world["person"])
    ErasureRequest.objects.filter(pk=erasure.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=1))
    assert "Overdue" in signed_in(world["coordinator"].user).get(rights(world, "erasures")).content.decode()


def test_asking_twice_is_a_clear_message_not_an_error(db: Any) -> None:
    world = build({"is_member"})
    client = signed_in(world["person"].user)
    client.post(rights(world, "erasure"))
    response = client.post(rights(world, "erasure"), follow=True)
    assert response.status_code == 200 and "already asked" in response.content.decode()
    assert ErasureRequest.objects.count() == 1


ROLES = ["member", "observer", "worker", "partner_lead", "coordinator"]


def people_of(world: dict[str, Any]) -> dict[str, Membership]:
    partnership = world["partnership"]
    return {
        "member": world["other_member"],
        "observer": MembershipFactory(partnership=partnership, is_member=False, is_observer=True),
        "worker": staff_membership(partnership, role="worker", organisation=world["org"]),
        "partner_lead": staff_membership(partnership, role="partner_lead", organisation=world["org"]),
        "coordinator": world["coordinator"],
    }


@pytest.mark.parametrize("role", ROLES)
def test_confirming_an_erasure_is_for_coordinators_only(db: Any, role: str) -> None:
    world = build({"is_member"})
    erasure = services.erasure_request(actor=world["person"])
    response = signed_in(people_of(world)[role].user).post(rights(world, "erasure-confirm", erasure_id=erasure.pk))
    erasure.refresh_from_db()
    if role == "coordinator":
        assert response.status_code == 302 and erasure.confirmed_at is not None
    else:
        assert response.status_code == 404 and erasure.confirmed_at is None


@pytest.mark.parametrize("role", ROLES)
def test_removing_someone_is_for_coordinators_only(db: Any, role: str) -> None:
    world = build({"is_member"})
    response = signed_in(people_of(world)[role].user).post(rights(world, "remove", membership_id=world["person"].pk))
    still_there = Membership.objects.filter(pk=world["person"].pk).exists()
    if role == "coordinator":
        assert response.status_code == 302 and not still_there
    else:
        assert response.status_code == 404 and still_there


@pytest.mark.parametrize("role", ROLES)
def test_asking_for_erasure_and_leaving_are_for_everyone_in_the_partnership(db: Any, role: str) -> None:
    world = build({"is_member"})
    actor = people_of(world)[role]
    extra = staff_membership(world["partnership"], role="coordinator", organisation=world["org"])  # never the last
    client = signed_in(actor.user)
    assert client.post(rights(world, "erasure")).status_code == 302
    assert ErasureRequest.objects.filter(membership=actor).exists()
    erasure = ErasureRequest.objects.get(membership=actor)
    services.erasure_confirm(actor=extra, erasure=erasure)
    assert client.post(rights(world, "leave")).status_code == 302
    assert not Membership.objects.filter(pk=actor.pk).exists()


def test_removing_a_member_with_a_plan_tells_them_and_shows_what_happens_first(db: Any) -> None:
    world = build({"is_member"})
    person = world["person"]
    boss = signed_in(world["coordinator"].user)
    page = boss.get(rights(world, "remove", membership_id=person.pk)).content.decode()
    assert "Your support plan" in page  # each line as the person is told it
    assert "Your ideas" in page
    assert boss.post(rights(world, "remove", membership_id=person.pk)).status_code == 302
    plan = SupportPlan.objects.get(pk=world["plan"].pk)
    assert plan.left_at is not None and plan.member_id is None
    assert OutgoingEmail.objects.filter(kind="datarights.removed").count() == 1
    (email,) = [m for m in mail.outbox if m.to == [person.user.email]]
    assert world["partnership"].name in email.subject and "taken you out" in email.body
    event = AuditEvent.objects.get(action="membership.removed")
    assert event.actor_id == world["coordinator"].user_id and event.target_label == person.user.name


def test_a_coordinator_cannot_remove_themselves_or_reach_another_partnership(db: Any) -> None:
    world = build({"is_member"})
    boss = signed_in(world["coordinator"].user)
    response = boss.post(rights(world, "remove", membership_id=world["coordinator"].pk))
    assert response.status_code == 200 and "leave it instead" in response.content.decode()
    elsewhere = MembershipFactory(partnership=PartnershipFactory(), is_member=True)
    assert boss.get(rights(world, "remove", membership_id=elsewhere.pk)).status_code == 404
    assert boss.post(rights(world, "remove", membership_id=elsewhere.pk)).status_code == 404
    assert Membership.objects.filter(pk=elsewhere.pk).exists()
    other_world = build({"is_member"})
    theirs = services.erasure_request(actor=other_world["person"])
    assert boss.post(rights(world, "erasure-confirm", erasure_id=theirs.pk)).status_code == 404
    assert boss.get(rights(world, "erasure-confirm", erasure_id=theirs.pk)).status_code == 404


def test_removing_someone_waiting_for_erasure_asks_to_confirm_it_first(db: Any) -> None:
    world = build({"is_member"})
    services.erasure_request(actor=world["person"])
    response = signed_in(world["coordinator"].user).post(rights(world, "remove", membership_id=world["person"].pk))
    assert response.status_code == 200 and "Confirm the erasure first" in response.content.decode()


def test_the_requests_page_costs_the_same_however_many_ask(db: Any, django_assert_max_num_queries: Any) -> None:
    world = build({"is_member"})
    boss = signed_in(world["coordinator"].user)
    address = rights(world, "erasures")
    services.erasure_request(actor=world["person"])
    boss.get(address)  # warm the caches (sessions, the navigation)
    with django_assert_max_num_queries(30) as few:
        assert boss.get(address).status_code == 200
    for _ in range(8):
        services.erasure_request(actor=MembershipFactory(partnership=world["partnership"], is_member=True))
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = boss.get(address).content.decode()
    assert html.count("Waiting") == 9


def test_someone_outside_the_partnership_or_signed_out_changes_nothing(db: Any) -> None:
    from django.test import Client

    world = build({"is_member"})
    erasure = services.erasure_request(actor=MembershipFactory(partnership=world["partnership"], is_member=True))
    outsider = signed_in(MembershipFactory(partnership=PartnershipFactory(), is_member=True).user)
    addresses = [
        rights(world, "leave"),
        rights(world, "erasure"),
        rights(world, "remove", membership_id=world["person"].pk),
        rights(world, "erasure-confirm", erasure_id=erasure.pk),
    ]
    for address in addresses:
        assert outsider.post(address).status_code == 404, address
        assert Client().post(address).status_code == 302, address  # to sign in
    assert Membership.objects.filter(pk=world["person"].pk).exists()
    assert ErasureRequest.objects.get().confirmed_at is None
