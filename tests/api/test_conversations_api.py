"""Conversations in the public API: the conversations, statements, opinion-map figures and votes a token's holder
sees and casts, with the same rules as the conversation pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coproduce.conversations import services, snapshots
from coproduce.conversations.models import Conversation, Participant, Statement, Vote
from coproduce.partnerships.models import Membership
from tests.api.conftest import ApiClient, api_world_for, make_token
from tests.conversations.voting import assert_counts_match, two_sided_conversation
from tests.factories import MembershipFactory
from tests.partnerships.test_concurrency import run_at_once

BASE = "/api/v1/partnerships/here/conversations"


def client(world: dict[str, Any], role: str) -> ApiClient:
    return ApiClient(world["tokens"][role])


def person(world: dict[str, Any], role: str) -> Membership:
    membership: Membership = world["people"][role]
    return membership


def all_pages(api: ApiClient, url: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    next_url: str | None = url
    while next_url:
        response = api.get(next_url)
        assert response.status_code == 200, response.content
        items.extend(response.json()["items"])
        next_url = response.json()["next"]
    return items


def vote(api: ApiClient, statement: Statement, value: Any) -> Any:
    url = f"{BASE}/{statement.conversation_id}/statements/{statement.pk}/vote"
    return api.post(url, data={"vote": value}, content_type="application/json")


def start(world: dict[str, Any], seeds: int = 3, **fields: Any) -> Conversation:
    return services.conversation_create(
        actor=person(world, "coordinator"), topic="Job fairs", seeds=[f"Statement {n}" for n in range(seeds)], **fields
    )


# --- Reading ------------------------------------------------------------------------------------


def test_the_list_pages_through_every_conversation_with_its_counts(api_world: dict[str, Any]) -> None:
    made = [start(api_world, seeds=n + 1) for n in range(5)]
    member = person(api_world, "member")
    services.vote_cast(actor=member, statement_id=made[0].statements.first().pk, vote="agree")  # type: ignore[union-attr]
    listed = all_pages(client(api_world, "member"), f"{BASE}?limit=2")
    assert [item["id"] for item in listed] == [c.pk for c in reversed(made)]  # newest first
    by_id = {item["id"]: item for item in listed}
    assert [by_id[c.pk]["statement_count"] for c in made] == [1, 2, 3, 4, 5]
    assert (by_id[made[0].pk]["my_vote_count"], by_id[made[0].pk]["participant_count"]) == (1, 1)
    assert all(item["is_open"] for item in listed)


def test_a_conversation_says_what_you_vote_on_next_and_how_many_are_left(api_world: dict[str, Any]) -> None:
    conversation = start(api_world, seeds=2, description="About the spring fair")
    first, second = conversation.statements.order_by("number")
    member = person(api_world, "member")
    services.vote_cast(actor=member, statement_id=first.pk, vote="agree")
    body = client(api_world, "member").get(f"{BASE}/{conversation.pk}").json()
    assert (body["description"], body["vote_count"], body["remaining"]) == ("About the spring fair", 1, 1)
    assert body["next_statement"] == {"id": second.pk, "number": second.number, "text": second.text}
    # An observer reads but does not vote: nothing is offered to vote on.
    seen = client(api_world, "observer").get(f"{BASE}/{conversation.pk}").json()
    assert (seen["next_statement"], seen["remaining"]) == (None, 0)


def test_another_partnerships_conversation_and_statements_are_not_found(api_world: dict[str, Any]) -> None:
    theirs = start(api_world_for("there"))
    statement = theirs.statements.first()
    assert statement is not None
    api = client(api_world, "member")
    for path in ("", "/statements", "/snapshots"):
        assert api.get(f"{BASE}/{theirs.pk}{path}").status_code == 404
    assert vote(api, statement, "agree").status_code == 404
    assert not Vote.objects.exists()


def test_statements_waiting_for_a_coordinator_are_shown_to_their_author_and_coordinators(
    api_world: dict[str, Any],
) -> None:
    conversation = start(api_world, seeds=1, moderation=Conversation.Moderation.BEFORE)
    member = person(api_world, "member")
    waiting = services.statement_add(actor=member, conversation=conversation, text="Mornings are hard")
    assert waiting.status == Statement.Status.PENDING
    seed = conversation.statements.get(is_seed=True)
    services.vote_cast(actor=member, statement_id=seed.pk, vote="disagree")

    def seen(role: str) -> dict[int, dict[str, Any]]:
        return {s["id"]: s for s in all_pages(client(api_world, role), f"{BASE}/{conversation.pk}/statements")}

    mine = seen("member")
    assert set(mine) == {seed.pk, waiting.pk}
    assert (mine[waiting.pk]["status"], mine[waiting.pk]["mine"], mine[waiting.pk]["my_vote"]) == (
        "pending",
        True,
        None,
    )
    assert (mine[seed.pk]["my_vote"], mine[seed.pk]["mine"]) == ("disagree", False)
    assert set(seen("coordinator")) == {seed.pk, waiting.pk}
    assert seen("worker")[seed.pk]["my_vote"] is None  # nobody's vote but your own
    assert set(seen("worker")) == {seed.pk}
    # And nobody votes on it before a coordinator publishes it.
    assert vote(client(api_world, "worker"), waiting, "agree").status_code == 404


def test_before_any_map_the_figures_say_so(api_world: dict[str, Any]) -> None:
    conversation = start(api_world)
    body = client(api_world, "member").get(f"{BASE}/{conversation.pk}/snapshots").json()
    assert (body["map_status"], body["latest"]) == ("none", None)
    assert body["members_and_staff_differ_most"] == body["members_and_staff_agree_most"] == []


def test_the_figures_are_the_reports_without_anyones_place_on_the_map(api_world: dict[str, Any]) -> None:
    conversation, people, statements = two_sided_conversation(
        person(api_world, "coordinator"), api_world["partnership"]
    )
    snapshots.snapshot_compute(conversation.pk)
    response = ApiClient(make_token(people[0])).get(f"{BASE}/{conversation.pk}/snapshots")
    body = response.json()
    latest = body["latest"]
    assert body["map_status"] == "ready"
    assert (latest["participant_count"], latest["vote_count"]) == (16, 16 * 8)
    assert sum(group["size"] for group in latest["groups"]) == latest["in_map"] == 16
    assert [group["you_are_in_it"] for group in latest["groups"]].count(True) == 1
    assert all(group["shown"] == (group["size"] >= body["min_group_size"]) for group in latest["groups"])
    assert all(group["statements"] or not group["shown"] for group in latest["groups"])
    texts = {s.pk: s.text for s in statements}
    for group in latest["groups"]:
        for item in group["statements"]:
            assert texts[item["statement_id"]] == item["text"]
    for item in latest["most_agree"] + latest["most_disagree"]:
        assert item["voters"] >= body["min_group_size"]
    # No participant's number, id or position: only group sizes.
    participant_ids = {str(pk) for pk in Participant.objects.values_list("pk", flat=True)}
    assert "participants" not in latest and "dots" not in latest
    assert not participant_ids & set(latest)
    # Someone who has not voted is in no group.
    coordinator_view = client(api_world, "coordinator").get(f"{BASE}/{conversation.pk}/snapshots").json()
    assert not any(group["you_are_in_it"] for group in coordinator_view["latest"]["groups"])


# --- Voting ---------------------------------------------------------------------------------------


def test_voting_again_changes_the_one_vote(api_world: dict[str, Any]) -> None:
    conversation = start(api_world)
    statement = conversation.statements.order_by("number").first()
    assert statement is not None
    api = client(api_world, "member")
    first, second = vote(api, statement, "agree"), vote(api, statement, "disagree")
    assert first.status_code == second.status_code == 200
    assert second.json()["vote"] == "disagree"
    assert (second.json()["statement_id"], second.json()["conversation_id"]) == (statement.pk, conversation.pk)
    assert list(Vote.objects.filter(statement=statement).values_list("value", flat=True)) == [Vote.Value.DISAGREE]
    assert_counts_match(conversation)


@pytest.mark.parametrize(
    ("body", "field"),
    [({"vote": "maybe"}, "vote"), ({"vote": 1}, "vote"), ({}, "vote"), ({"vote": "agree", "weight": 2}, "weight")],
)
def test_a_bad_vote_is_refused_naming_the_field(api_world: dict[str, Any], body: dict[str, Any], field: str) -> None:
    statement = start(api_world).statements.first()
    assert statement is not None
    url = f"{BASE}/{statement.conversation_id}/statements/{statement.pk}/vote"
    response = client(api_world, "member").post(url, data=body, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert field in [error["field"] for error in response.json()["errors"]]
    assert not Vote.objects.exists()


def test_a_closed_conversation_or_a_statement_taken_out_takes_no_vote(api_world: dict[str, Any]) -> None:
    conversation = start(api_world, seeds=2)
    first, second = conversation.statements.order_by("number")
    services.statement_moderate(actor=person(api_world, "coordinator"), statement=second, publish=False, reason="x")
    api = client(api_world, "member")
    refused = vote(api, second, "agree")
    assert refused.status_code == 400
    assert "taken out" in refused.json()["detail"]
    Conversation.objects.filter(pk=conversation.pk).update(
        opens_at=timezone.now() - timedelta(days=2), closes_at=timezone.now() - timedelta(days=1)
    )
    closed = vote(api, first, "agree")
    assert closed.status_code == 400
    assert "closed" in closed.json()["detail"]
    assert not Vote.objects.exists()


def test_a_statement_of_another_conversation_is_not_found_under_this_one(api_world: dict[str, Any]) -> None:
    here, other = start(api_world), start(api_world)
    statement = other.statements.first()
    assert statement is not None
    url = f"{BASE}/{here.pk}/statements/{statement.pk}/vote"
    response = client(api_world, "member").post(url, data={"vote": "agree"}, content_type="application/json")
    assert response.status_code == 404
    assert not Vote.objects.exists()


def test_a_read_token_casts_no_vote(api_world: dict[str, Any]) -> None:
    statement = start(api_world).statements.first()
    assert statement is not None
    assert vote(client(api_world, "read_only"), statement, "agree").status_code == 403
    assert vote(client(api_world, "observer"), statement, "agree").status_code == 403
    assert not Vote.objects.exists()


# --- Query counts ---------------------------------------------------------------------------------


def _queries(api: ApiClient, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert api.get(url).status_code == 200
    return len(queries)


def test_the_lists_take_as_many_queries_for_thirty_as_for_one(api_world: dict[str, Any]) -> None:
    member = person(api_world, "member")
    api = client(api_world, "member")
    first = start(api_world, seeds=1)
    services.vote_cast(actor=member, statement_id=first.statements.get().pk, vote="agree")
    api.get(BASE)  # the first request of a token (its rate-limit row) is not what is measured
    conversations_one = _queries(api, f"{BASE}?limit=100")
    statements_one = _queries(api, f"{BASE}/{first.pk}/statements?limit=100")
    for n in range(29):
        services.statement_seed(actor=person(api_world, "coordinator"), conversation=first, text=f"More {n}")
        start(api_world, seeds=2)
    for statement in first.statements.all():
        services.vote_cast(actor=member, statement_id=statement.pk, vote="pass")
    assert _queries(api, f"{BASE}?limit=100") <= conversations_one
    assert _queries(api, f"{BASE}/{first.pk}/statements?limit=100") <= statements_one


# --- At the same moment (PostgreSQL) --------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL")
def test_votes_sent_at_once_leave_one_vote_per_person() -> None:
    world = api_world_for("here")
    conversation = start(world, seeds=1)
    statement = conversation.statements.get()
    people = [person(world, "member")] + [
        MembershipFactory(partnership=world["partnership"], is_member=True) for _ in range(3)
    ]
    secrets = [make_token(membership) for membership in people]
    choices = ["agree", "disagree", "pass", "agree"]
    results = run_at_once(
        [lambda s=s, v=v: vote(ApiClient(s), statement, v).status_code for s in secrets for v in choices]
    )
    assert results == [200] * 16
    assert Vote.objects.filter(statement=statement).count() == 4
    assert Participant.objects.filter(conversation=conversation).count() == 4
    assert_counts_match(conversation)
