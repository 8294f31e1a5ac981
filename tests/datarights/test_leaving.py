"""Leaving, for every role and with data in every capability: a 302, never a server error, and the outcome
docs/data-rights.md describes."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from coproduce.conversations.models import Participant, Statement, Vote
from coproduce.core.models import AuditEvent
from coproduce.datarights import services
from coproduce.fund.models import Ballot, Proposal
from coproduce.improvement.models import MemberCheck
from coproduce.notifications.models import Notice
from coproduce.partnerships.models import Membership
from coproduce.support.models import Referral, Share, SupportPlan, TeamMember
from coproduce.voice.models import Comment, Follow, Idea, Support
from tests.conftest import signed_in
from tests.datarights.world import ROLE_SETS, build


def leave_url(world: dict[str, Any]) -> str:
    return reverse("datarights:leave", kwargs={"slug": world["partnership"].slug})


def assert_left(world: dict[str, Any]) -> None:
    person = world["person"]
    user = person.user
    assert not Membership.objects.filter(pk=person.pk).exists()
    # Support: a member's plan is closed and kept, seen by no one; sharing and open referrals end.
    if "plan" in world:
        plan = SupportPlan.objects.get(pk=world["plan"].pk)
        assert plan.member_id is None and plan.left_at is not None and plan.former_member_id == user.pk
        assert plan.what_matters == "PLAN-WORDS"  # kept until the retention period passes
        assert not Share.objects.filter(plan=plan, withdrawn_at__isnull=True).exists()
        assert not Referral.objects.filter(plan=plan, withdrawn_at__isnull=True).exists()
    # A worker is off every team; the member they supported and the coordinators are told.
    assert not TeamMember.objects.filter(membership_id=person.pk).exists()
    if person.is_staff_role:
        other = world["other_member"]
        assert Notice.objects.filter(user=other.user, text__contains="no keyworker").exists()
        assert Notice.objects.filter(user=world["coordinator"].user, text__contains=other.user.name).exists()
    assert not Notice.objects.filter(user=user).exists()
    # Voice: ideas and comments stay, unlinked; the support still counts; follows and notices go.
    idea = Idea.objects.get(pk=world["idea"].pk)
    assert idea.author_id is None and idea.title == "IDEA-TITLE"
    assert Comment.objects.filter(body="COMMENT-WORDS", author__isnull=True).exists()
    assert Support.objects.filter(idea=world["other_idea"], user__isnull=True).count() == 1
    assert Idea.objects.get(pk=world["other_idea"].pk).support_count == 1
    assert not Follow.objects.filter(user=user).exists() and not Notice.objects.filter(user=user).exists()
    # Conversations: the vote still counts; nothing links it or the statement to the person.
    assert Participant.objects.get(pk=world["participant"].pk).user_id is None
    assert Vote.objects.filter(participant=world["participant"]).count() == 1
    assert Statement.objects.get(pk=world["statement"].pk).author_id is None
    # Fund: the ballot still counts, unlinked; the proposal is kept with its proposer (money records).
    assert Ballot.objects.get(pk=world["ballot"].pk).voter_id is None
    assert Proposal.objects.get(pk=world["proposal"].pk).proposer_id == user.pk
    # Improvement: off the test's team; the answer still counts, unlinked.
    assert not world["test"].people.filter(pk=person.pk).exists()
    assert MemberCheck.objects.filter(test=world["test"], member__isnull=True).count() == 1
    event = AuditEvent.objects.get(action="membership.left")
    assert event.actor_id == user.pk and event.detail["roles"]


@pytest.mark.parametrize("roles", ROLE_SETS)
def test_everyone_can_leave_with_data_in_every_capability(db: Any, roles: str) -> None:
    world = build(ROLE_SETS[roles])
    client = signed_in(world["person"].user)
    page = client.get(leave_url(world))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Your ideas" in html and "Your votes in conversations" in html and "Your ballots" in html
    if "plan" in world:
        assert "Your support plan" in html
    if world["person"].is_staff_role:
        assert "Your places on members" in html
    response = client.post(leave_url(world))
    assert response.status_code == 302
    assert_left(world)
    # What they can still see: their account, not the partnership.
    assert client.get(reverse("partnerships:home", kwargs={"slug": world["partnership"].slug})).status_code == 404
    assert client.get(reverse("account_email")).status_code == 200


def test_the_last_coordinator_cannot_leave_and_nothing_changes(db: Any) -> None:
    world = build({"is_coordinator"})
    world["coordinator"].delete()
    response = signed_in(world["person"].user).post(leave_url(world))
    assert response.status_code == 200
    assert "only coordinator" in response.content.decode()
    assert Membership.objects.filter(pk=world["person"].pk).exists()
    assert Idea.objects.get(pk=world["idea"].pk).author_id == world["person"].user_id


def test_someone_waiting_for_erasure_is_told_to_wait_and_nothing_changes(db: Any) -> None:
    world = build({"is_member"})
    services.erasure_request(actor=world["person"])
    response = signed_in(world["person"].user).post(leave_url(world))
    assert response.status_code == 200
    assert "A coordinator will confirm it first" in response.content.decode()
    assert SupportPlan.objects.get(pk=world["plan"].pk).left_at is None


def test_a_half_done_leaving_leaves_nothing_behind(db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """One transaction: if a capability fails part-way, nothing has changed."""
    from coproduce.partnerships import personal_data

    world = build({"is_member"})

    def broken(_membership: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setitem(personal_data._DEPARTURES, "zz-broken", personal_data.Departure(key="zz-broken", leave=broken))
    with pytest.raises(RuntimeError):
        services.membership_leave(actor=world["person"])
    assert Membership.objects.filter(pk=world["person"].pk).exists()
    assert SupportPlan.objects.get(pk=world["plan"].pk).member_id == world["person"].pk
    assert Idea.objects.get(pk=world["idea"].pk).author_id == world["person"].user_id


def test_a_member_who_left_can_be_invited_back_and_start_again(db: Any) -> None:
    from coproduce.support import services as support

    world = build({"is_member"})
    services.membership_leave(actor=world["person"])
    back = Membership.objects.create(partnership=world["partnership"], user=world["person"].user, is_member=True)
    assert support.plan_start(actor=back).pk != world["plan"].pk
