"""Voice in the public API: the ideas, comments, supports and responses a token's holder sees and makes, with
the same rules as the idea pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coproduce.partnerships.models import Membership
from coproduce.voice import services
from coproduce.voice.models import Challenge, Comment, Idea, Support
from tests.api.conftest import ApiClient, api_world_for, make_token
from tests.conftest import present
from tests.factories import MembershipFactory
from tests.partnerships.test_concurrency import run_at_once
from tests.voice.factories import IdeaFactory

BASE = "/api/v1/partnerships/here"


def client(world: dict[str, Any], role: str) -> ApiClient:
    return ApiClient(world["tokens"][role])


def person(world: dict[str, Any], role: str) -> Membership:
    membership: Membership = world["people"][role]
    return membership


def post(api: ApiClient, url: str, body: dict[str, Any]) -> Any:
    return api.post(url, data=body, content_type="application/json")


def all_pages(api: ApiClient, url: str) -> list[dict[str, Any]]:
    """Every item of a paginated list, following ``next`` to the end."""
    items: list[dict[str, Any]] = []
    next_url: str | None = url
    while next_url:
        response = api.get(next_url)
        assert response.status_code == 200, response.content
        items.extend(response.json()["items"])
        next_url = response.json()["next"]
    return items


def problem_fields(response: Any) -> list[str]:
    assert response["Content-Type"] == "application/problem+json"
    return [error["field"] for error in response.json()["errors"]]


# --- Reading ideas ------------------------------------------------------------------------------


def test_the_list_pages_through_every_idea_once_newest_first(api_world: dict[str, Any]) -> None:
    worker = person(api_world, "worker")
    now = timezone.now()
    ideas = [
        IdeaFactory(partnership=api_world["partnership"], author=worker.user, created_at=now - timedelta(hours=n))
        for n in range(7)
    ]
    listed = all_pages(client(api_world, "member"), f"{BASE}/ideas?limit=3")
    assert [item["id"] for item in listed] == [idea.pk for idea in ideas]  # made newest first
    assert all(item["author"] == worker.user.name for item in listed)


def test_the_list_filters_by_status_and_challenge_and_searches(api_world: dict[str, Any]) -> None:
    member = person(api_world, "member")
    challenge = services.challenge_create(actor=member, title="How could job fairs work?")
    answer = services.idea_create(actor=member, title="A crèche", body="For toddlers", challenge=challenge)
    other = services.idea_create(actor=member, title="Evening sessions", body="After the school run")
    services.idea_respond(actor=person(api_world, "coordinator"), idea=other, status="considering", text="We look.")
    api = client(api_world, "member")

    def ids(query: str) -> list[int]:
        return [item["id"] for item in all_pages(api, f"{BASE}/ideas?{query}")]

    assert ids(f"challenge={challenge.pk}") == [answer.pk]
    assert ids("status=considering") == [other.pk]
    assert ids("q=school") == [other.pk]
    assert sorted(ids("")) == sorted([answer.pk, other.pk])
    assert problem_fields(api.get(f"{BASE}/ideas?status=finished")) == ["status"]


def test_an_idea_shows_its_text_responses_and_whether_you_support_it(api_world: dict[str, Any]) -> None:
    member = person(api_world, "member")
    idea = services.idea_create(actor=person(api_world, "worker"), title="A crèche", body="For **toddlers**")
    services.support_toggle(actor=member, idea=idea, support=True)
    services.idea_respond(
        actor=person(api_world, "coordinator"),
        idea=idea,
        status="in_progress",
        text="We asked the venue.",
        link_url="/p/here/tests/4/",
        link_label="The test",
    )
    body = client(api_world, "member").get(f"{BASE}/ideas/{idea.pk}").json()
    assert (body["body"], body["supported_by_me"], body["support_count"]) == ("For **toddlers**", True, 1)
    assert body["status"] == "in_progress"
    assert [(r["text"], r["previous_status"], r["status"], r["link_url"]) for r in body["responses"]] == [
        ("We asked the venue.", "new", "in_progress", "/p/here/tests/4/")
    ]
    assert client(api_world, "worker").get(f"{BASE}/ideas/{idea.pk}").json()["supported_by_me"] is False


def test_an_author_who_hides_their_name_is_named_only_as_the_pages_name_them(api_world: dict[str, Any]) -> None:
    member = person(api_world, "member")
    idea = services.idea_create(actor=member, title="A crèche", body="For toddlers", show_name=False)
    services.comment_create(actor=member, idea=idea, body="I would use it.")
    seen = {}
    for role in ("member", "worker", "coordinator"):
        api = client(api_world, role)
        response = api.get(f"{BASE}/ideas/{idea.pk}")
        comments = api.get(f"{BASE}/ideas/{idea.pk}/comments").json()["items"]
        seen[role] = (response.json()["author"], comments[0]["author"])
        for text in (response.content, api.get(f"{BASE}/ideas").content):
            assert member.user.email.encode() not in text
    assert seen["member"] == ("you", "you")
    assert member.user.name not in "".join(seen["worker"])
    assert seen["worker"][0] == str(Idea.AuthorKind.MEMBER.label)
    assert all(member.user.name in label for label in seen["coordinator"])  # coordinators moderate


def test_a_withdrawn_idea_is_found_by_its_author_alone(api_world: dict[str, Any]) -> None:
    member = person(api_world, "member")
    idea = services.idea_create(actor=member, title="A crèche", body="For toddlers")
    services.idea_withdraw(actor=member, idea=idea)
    assert client(api_world, "member").get(f"{BASE}/ideas/{idea.pk}").json()["withdrawn"] is True
    for role in ("worker", "coordinator", "observer"):
        assert client(api_world, role).get(f"{BASE}/ideas/{idea.pk}").status_code == 404
        assert client(api_world, role).get(f"{BASE}/ideas/{idea.pk}/comments").status_code == 404
    assert idea.pk not in [item["id"] for item in all_pages(client(api_world, "member"), f"{BASE}/ideas")]


def test_a_hidden_idea_is_found_by_its_author_and_coordinators_only(api_world: dict[str, Any]) -> None:
    member = person(api_world, "member")
    idea = services.idea_create(actor=member, title="A crèche", body="For toddlers")
    services.moderation_set_hidden(actor=person(api_world, "coordinator"), hidden=True, reason="Off topic", idea=idea)
    for role in ("member", "coordinator"):
        body = client(api_world, role).get(f"{BASE}/ideas/{idea.pk}").json()
        assert (body["hidden"], body["hidden_reason"]) == (True, "Off topic")
    for role in ("worker", "observer", "partner_lead"):
        assert client(api_world, role).get(f"{BASE}/ideas/{idea.pk}").status_code == 404
        listed = all_pages(client(api_world, role), f"{BASE}/ideas")
        assert idea.pk not in [item["id"] for item in listed]
    # It takes no support while hidden, even from a coordinator who sees it.
    refused = client(api_world, "coordinator").post(f"{BASE}/ideas/{idea.pk}/support")
    assert refused.status_code == 400
    assert refused["Content-Type"] == "application/problem+json"


def test_another_partnerships_idea_is_not_found_with_either_slug(api_world: dict[str, Any]) -> None:
    there = api_world_for("there")
    theirs = services.idea_create(actor=person(there, "member"), title="Theirs", body="Not yours")
    api = client(api_world, "member")
    assert api.get(f"{BASE}/ideas/{theirs.pk}").status_code == 404
    assert api.get(f"/api/v1/partnerships/there/ideas/{theirs.pk}").status_code == 404
    assert api.post(f"{BASE}/ideas/{theirs.pk}/support").status_code == 404
    assert post(api, f"{BASE}/ideas/{theirs.pk}/comments", {"body": "Hello"}).status_code == 404
    assert not Support.objects.filter(idea=theirs).exists()


# --- Comments and responses ---------------------------------------------------------------------


def test_comments_come_in_threads_and_a_removed_comments_words_stay_with_its_author(
    api_world: dict[str, Any],
) -> None:
    member, worker = person(api_world, "member"), person(api_world, "worker")
    idea = services.idea_create(actor=worker, title="A crèche", body="For toddlers")
    first = services.comment_create(actor=member, idea=idea, body="Yes, please.")
    reply = services.comment_create(actor=worker, idea=idea, body="Which days?", parent=first)
    services.comment_delete(actor=member, comment=first)
    later = [services.comment_create(actor=worker, idea=idea, body=f"Note {n}") for n in range(3)]
    seen_by_worker = all_pages(client(api_world, "worker"), f"{BASE}/ideas/{idea.pk}/comments?limit=2")
    assert [item["id"] for item in seen_by_worker] == [first.pk, *(c.pk for c in later)]
    assert (seen_by_worker[0]["removed"], seen_by_worker[0]["body"]) == (True, "")
    assert [(r["id"], r["parent_id"], r["body"]) for r in seen_by_worker[0]["replies"]] == [
        (reply.pk, first.pk, "Which days?")
    ]
    # Removing a comment empties it in the database too; a hidden one keeps its words for its author alone.
    services.moderation_set_hidden(actor=person(api_world, "coordinator"), hidden=True, reason="Rude", comment=later[0])
    by_worker = {i["id"]: i for i in all_pages(client(api_world, "worker"), f"{BASE}/ideas/{idea.pk}/comments")}
    by_member = {i["id"]: i for i in all_pages(client(api_world, "member"), f"{BASE}/ideas/{idea.pk}/comments")}
    assert (by_worker[later[0].pk]["hidden"], by_worker[later[0].pk]["body"]) == (True, "Note 0")
    assert by_member[later[0].pk]["body"] == ""


def test_you_said_we_did_lists_ideas_taken_up_with_their_responses(api_world: dict[str, Any]) -> None:
    member, coordinator = person(api_world, "member"), person(api_world, "coordinator")
    taken = services.idea_create(actor=member, title="A crèche", body="For toddlers")
    waiting = services.idea_create(actor=member, title="Evening sessions", body="After school")
    services.idea_respond(actor=coordinator, idea=taken, status="considering", text="We look into it.")
    services.idea_respond(actor=coordinator, idea=taken, status="done", text="The crèche opens in May.")
    services.idea_respond(actor=coordinator, idea=waiting, status="considering", text="We look into it.")
    listed = all_pages(client(api_world, "observer"), f"{BASE}/responses")
    assert [item["idea_id"] for item in listed] == [taken.pk]
    assert [r["text"] for r in listed[0]["responses"]] == ["We look into it.", "The crèche opens in May."]
    assert listed[0]["status"] == "done"


# --- Writing ------------------------------------------------------------------------------------


def test_sharing_an_idea_posts_it_once_and_answers_it_as_its_page_does(api_world: dict[str, Any]) -> None:
    member = person(api_world, "member")
    challenge = services.challenge_create(actor=member, title="How could job fairs work?")
    body = {"title": "A crèche", "body": "For toddlers", "challenge_id": challenge.pk, "show_name": False}
    api = client(api_world, "member")
    first, again = post(api, f"{BASE}/ideas", body), post(api, f"{BASE}/ideas", body)
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    idea = Idea.objects.get(pk=first.json()["id"])
    assert (idea.author_id, idea.challenge_id, idea.show_name) == (member.user_id, challenge.pk, False)
    assert first.json()["challenge"] == {"id": challenge.pk, "title": challenge.title}
    assert first.json()["author"] == "you"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "A crèche", "body": "For toddlers", "colour": "red"}, "colour"),
        ({"body": "For toddlers"}, "title"),
        ({"title": "   ", "body": "For toddlers"}, "title"),
        ({"title": "A crèche", "body": ["For toddlers"]}, "body"),
        ({"title": "A crèche", "body": "For toddlers", "challenge_id": "first"}, "challenge_id"),
        ({"title": "x" * 141, "body": "For toddlers"}, "title"),
        ({"title": "A crèche", "body": "For toddlers", "show_name": "perhaps"}, "show_name"),
    ],
)
def test_a_bad_idea_is_refused_naming_the_field(api_world: dict[str, Any], body: dict[str, Any], field: str) -> None:
    response = post(client(api_world, "member"), f"{BASE}/ideas", body)
    assert response.status_code == 400
    assert field in problem_fields(response)
    assert not Idea.objects.exists()


def test_malformed_json_is_refused(api_world: dict[str, Any]) -> None:
    response = client(api_world, "member").post(f"{BASE}/ideas", data="{title:", content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert not Idea.objects.exists()


def test_an_idea_for_a_closed_or_unknown_challenge_is_refused_naming_challenge_id(api_world: dict[str, Any]) -> None:
    member = person(api_world, "member")
    closed = services.challenge_create(actor=member, title="Closed", closes_at=timezone.now() + timedelta(days=1))
    Challenge.objects.filter(pk=closed.pk).update(closes_at=timezone.now() - timedelta(days=1))
    theirs = services.challenge_create(actor=person(api_world_for("there"), "member"), title="Theirs")
    api = client(api_world, "member")
    for challenge_id in (closed.pk, theirs.pk):
        response = post(api, f"{BASE}/ideas", {"title": "A", "body": "B", "challenge_id": challenge_id})
        assert (response.status_code, problem_fields(response)) == (400, ["challenge_id"])
    assert not Idea.objects.exists()


def test_supporting_twice_is_one_support_and_deleting_takes_it_back(api_world: dict[str, Any]) -> None:
    idea = services.idea_create(actor=person(api_world, "worker"), title="A crèche", body="For toddlers")
    api = client(api_world, "member")
    answers = [api.post(f"{BASE}/ideas/{idea.pk}/support").json() for _ in range(2)]
    assert answers == [{"idea_id": idea.pk, "supported": True, "support_count": 1}] * 2
    assert Support.objects.filter(idea=idea).count() == 1
    answers = [api.delete(f"{BASE}/ideas/{idea.pk}/support").json() for _ in range(2)]
    assert answers == [{"idea_id": idea.pk, "supported": False, "support_count": 0}] * 2
    assert not Support.objects.filter(idea=idea).exists()


def test_a_read_token_changes_nothing(api_world: dict[str, Any]) -> None:
    idea = services.idea_create(actor=person(api_world, "worker"), title="A crèche", body="For toddlers")
    api = client(api_world, "read_only")
    assert api.post(f"{BASE}/ideas/{idea.pk}/support").status_code == 403
    assert post(api, f"{BASE}/ideas/{idea.pk}/comments", {"body": "Hi"}).status_code == 403
    assert post(api, f"{BASE}/ideas", {"title": "A", "body": "B"}).status_code == 403
    assert (Support.objects.count(), Comment.objects.count(), Idea.objects.count()) == (0, 0, 1)


def test_a_comment_and_a_reply_to_a_reply_join_the_thread(api_world: dict[str, Any]) -> None:
    idea = services.idea_create(actor=person(api_world, "worker"), title="A crèche", body="For toddlers")
    api = client(api_world, "member")
    top = post(api, f"{BASE}/ideas/{idea.pk}/comments", {"body": "Yes, please."})
    assert top.status_code == 201
    assert (top.json()["author"], top.json()["parent_id"]) == ("you", None)
    reply = post(
        client(api_world, "worker"),
        f"{BASE}/ideas/{idea.pk}/comments",
        {"body": "Which days?", "parent_id": top.json()["id"]},
    )
    deeper = post(api, f"{BASE}/ideas/{idea.pk}/comments", {"body": "Mondays.", "parent_id": reply.json()["id"]})
    assert deeper.status_code == 201
    assert deeper.json()["parent_id"] == top.json()["id"]
    threads = all_pages(api, f"{BASE}/ideas/{idea.pk}/comments")
    assert [[r["body"] for r in t["replies"]] for t in threads] == [["Which days?", "Mondays."]]


def test_a_reply_to_a_comment_on_another_idea_is_refused_naming_parent_id(api_world: dict[str, Any]) -> None:
    worker = person(api_world, "worker")
    idea = services.idea_create(actor=worker, title="A crèche", body="For toddlers")
    elsewhere = services.comment_create(
        actor=worker, idea=services.idea_create(actor=worker, title="Other", body="Other"), body="Hi"
    )
    api = client(api_world, "member")
    for parent_id in (elsewhere.pk, elsewhere.pk + 1000):
        response = post(api, f"{BASE}/ideas/{idea.pk}/comments", {"body": "Hello", "parent_id": parent_id})
        assert (response.status_code, problem_fields(response)) == (400, ["parent_id"])
    response = post(api, f"{BASE}/ideas/{idea.pk}/comments", {"body": ""})
    assert (response.status_code, problem_fields(response)) == (400, ["body"])
    assert Comment.objects.filter(idea=idea).count() == 0


# --- Query counts ---------------------------------------------------------------------------------


def _queries(api: ApiClient, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_lists_take_as_many_queries_for_thirty_ideas_as_for_one(api_world: dict[str, Any]) -> None:
    member, worker = person(api_world, "member"), person(api_world, "worker")
    coordinator = person(api_world, "coordinator")
    api = client(api_world, "member")

    def add(n: int) -> Idea:
        idea = services.idea_create(actor=worker, title=f"Idea {n}", body="Text", show_name=bool(n % 2))
        services.support_toggle(actor=member, idea=idea, support=True)
        services.comment_create(actor=member, idea=idea, body=f"Comment {n}")
        services.idea_respond(actor=coordinator, idea=idea, status="in_progress", text="Started.")
        return idea

    first = add(0)
    api.get(f"{BASE}/ideas")  # the first request of a token (its rate-limit row) is not what is measured
    one = {path: _queries(api, f"{BASE}/{path}?limit=100") for path in ("ideas", "responses")}
    comments_one = _queries(api, f"{BASE}/ideas/{first.pk}/comments?limit=100")
    for n in range(1, 30):
        add(n)
        services.comment_create(actor=worker, idea=first, body=f"Reply {n}", parent=first.comments.first())
    for path, count in one.items():
        assert _queries(api, f"{BASE}/{path}?limit=100") <= count, path
    assert _queries(api, f"{BASE}/ideas/{first.pk}/comments?limit=100") <= comments_one


# --- At the same moment (PostgreSQL) --------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL")
def test_supports_sent_at_once_count_each_person_once() -> None:
    world = api_world_for("here")
    idea = services.idea_create(actor=person(world, "worker"), title="A crèche", body="For toddlers")
    people = [person(world, "member")] + [
        MembershipFactory(partnership=world["partnership"], is_member=True) for _ in range(4)
    ]
    secrets = [make_token(membership) for membership in people]
    url = f"{BASE}/ideas/{idea.pk}/support"
    results = run_at_once([lambda s=s: ApiClient(s).post(url).status_code for s in secrets for _ in range(3)])
    assert results == [200] * 15
    idea.refresh_from_db()
    assert Support.objects.filter(idea=idea).count() == idea.support_count == 5
    support_count = present(Idea.objects.filter(pk=idea.pk).values_list("support_count", flat=True).first())
    assert support_count == 5
