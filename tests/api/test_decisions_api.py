"""Decisions' endpoints: the list a page at a time, one decision with its counts, result and outcome, and
answering it with the same checks as the page's answer form (400 naming the field it rejects)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coproduce.decisions import services
from coproduce.decisions.models import Decision, Participation
from tests.api.conftest import ApiClient, make_token
from tests.decisions.conftest import option_ids, raise_decision
from tests.factories import MembershipFactory, PartnershipFactory, staff_membership

BASE = "/api/v1/partnerships/{slug}/decisions"


def client_for(membership: Any, scope: str = "write") -> ApiClient:
    return ApiClient(make_token(membership, scope=scope))


def address(decision: Decision, suffix: str = "") -> str:
    return BASE.format(slug=decision.partnership.slug) + f"/{decision.pk}{suffix}"


def vote(client: ApiClient, decision: Decision, body: dict[str, Any]) -> Any:
    return client.post(address(decision, "/vote"), data=body, content_type="application/json")


def fields_named(response: Any) -> list[str]:
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    return [error["field"] for error in response.json()["errors"]]


@pytest.mark.django_db
class TestReading:
    def test_the_list_pages_newest_first_and_says_whether_you_answered(self, worker: Any, member: Any) -> None:
        first = raise_decision(worker, "consent", title="First")
        second = raise_decision(worker, "yes_no", title="Second")
        services.answer_give(actor=member, decision=first, position="agree")
        client = client_for(member, "read")
        page = client.get(BASE.format(slug=member.partnership.slug), {"limit": 1}).json()
        assert [d["title"] for d in page["items"]] == ["Second"] and page["items"][0]["you_answered"] is False
        rest = client.get(page["next"]).json()
        assert [(d["title"], d["you_answered"], d["answer_count"]) for d in rest["items"]] == [("First", True, 1)]
        assert second.pk != first.pk

    def test_the_list_narrows_to_open_or_closed(self, worker: Any, coordinator: Any) -> None:
        kept_open = raise_decision(worker, "consent", title="Still open")
        closed = raise_decision(worker, "consent", title="Closed")
        services.decision_close(actor=coordinator, decision=closed)
        client = client_for(worker, "read")
        base = BASE.format(slug=worker.partnership.slug)
        assert [d["id"] for d in client.get(base, {"status": "open"}).json()["items"]] == [kept_open.pk]
        assert [d["id"] for d in client.get(base, {"status": "closed"}).json()["items"]] == [closed.pk]
        assert fields_named(client.get(base, {"status": "maybe"})) == ["status"]

    def test_the_list_makes_the_same_queries_for_many_decisions(self, worker: Any) -> None:
        client = client_for(worker, "read")
        base = BASE.format(slug=worker.partnership.slug)
        raise_decision(worker, "consent")
        client.get(base)
        with CaptureQueriesContext(connection) as few:
            client.get(base)
        for _ in range(10):
            raise_decision(worker, "score")
        with CaptureQueriesContext(connection) as many:
            assert len(client.get(base).json()["items"]) == 11
        assert len(many) <= len(few)  # no query per item (the token's bookkeeping may vary by a few)

    def test_a_decision_shows_its_options_turnout_and_your_answer_never_others(self, worker: Any, member: Any) -> None:
        decision = raise_decision(worker, "score")
        ids = option_ids(decision)
        services.answer_give(actor=member, decision=decision, values={ids[0]: 5, ids[1]: 2, ids[2]: 0})
        services.answer_give(actor=worker, decision=decision, values={ids[0]: 1, ids[1]: 1, ids[2]: 1})
        body = client_for(member, "read").get(address(decision)).json()
        assert [o["label"] for o in body["options"]] == ["Park", "Library", "Cafe"]
        assert body["max_score"] == 5 and body["method"] == "score" and body["status"] == "open"
        assert body["turnout"]["members_answered"] == 1 and body["turnout"]["staff_answered"] == 1
        assert body["your_answer"]["values"] == {str(ids[0]): 5, str(ids[1]): 2}
        assert body["you_may_answer"] is True and body["result"] is None and body["outcome"] is None
        assert "Someone" not in str(body) and member.user.display_name not in str(body)

    def test_a_closed_decision_gives_its_result_and_outcome(self, worker: Any, member: Any, coordinator: Any) -> None:
        decision = raise_decision(worker, "yes_no")
        services.answer_give(actor=member, decision=decision, position="yes")
        services.decision_close(actor=coordinator, decision=decision)
        services.decision_count(decision.pk)
        decision.refresh_from_db()
        today = timezone.localdate()
        services.outcome_record(
            actor=coordinator,
            decision=decision,
            statement="The hub opens on Saturdays from March.",
            owner_membership_id=None,
            due_on=today + timedelta(days=30),
            review_on=today + timedelta(days=60),
        )
        body = client_for(member, "read").get(address(decision)).json()
        assert body["status"] == "closed" and body["result_status"] == "ready"
        assert body["result"]["members"]["positions"] == {"yes": 1, "no": 0, "abstain": 0}
        assert body["result"]["everyone"]["taking_part"] == 1
        assert body["outcome"]["statement"] == "The hub opens on Saturdays from March."
        assert body["you_may_answer"] is False

    def test_another_partnerships_decision_is_not_found(self, member: Any) -> None:
        there = staff_membership(PartnershipFactory(), role="worker")
        elsewhere = raise_decision(there, "consent")
        client = client_for(member)
        url = BASE.format(slug=member.partnership.slug) + f"/{elsewhere.pk}"
        assert client.get(url).status_code == 404
        response = client.post(url + "/vote", data={"position": "agree"}, content_type="application/json")
        assert response.status_code == 404
        assert not Participation.objects.exists()


@pytest.mark.django_db
class TestAnswering:
    def test_a_member_answers_and_changes_her_answer(self, worker: Any, member: Any) -> None:
        decision = raise_decision(worker, "consent")
        client = client_for(member)
        first = vote(client, decision, {"position": "agree"})
        assert first.status_code == 200 and first.json()["position"] == "agree"
        changed = vote(client, decision, {"position": "disagree", "reason": "Saturday is the only family day."})
        assert changed.json() == {
            "position": "disagree",
            "reason": "Saturday is the only family day.",
            "values": {},
            "version": 1,
        }
        assert Participation.objects.get(decision=decision).position == "disagree"

    def test_a_concern_without_a_reason_is_refused_naming_the_reason(self, worker: Any, member: Any) -> None:
        decision = raise_decision(worker, "consent")
        assert fields_named(vote(client_for(member), decision, {"position": "block"})) == ["reason"]
        assert fields_named(vote(client_for(member), decision, {"position": "maybe"})) == ["position"]
        assert fields_named(vote(client_for(member), decision, {"values": {"1": 1}})) == ["values"]
        assert not Participation.objects.exists()

    def test_scores_are_checked_as_the_page_checks_them(self, worker: Any, member: Any) -> None:
        decision = raise_decision(worker, "score")
        a, b, c = option_ids(decision)
        client = client_for(member)
        assert fields_named(vote(client, decision, {"values": {str(a): 9, str(b): 1, str(c): 1}})) == [f"values.{a}"]
        # Every option is scored on the page's form
        assert fields_named(vote(client, decision, {"values": {str(a): 3}})) == [f"values.{b}", f"values.{c}"]
        assert fields_named(vote(client, decision, {"values": {"999999": 1}})) == ["values.999999"]
        assert fields_named(vote(client, decision, {"position": "agree"})) == ["position"]
        answered = vote(client, decision, {"values": {str(a): 5, str(b): 0, str(c): 3}})
        assert answered.status_code == 200 and answered.json()["values"] == {str(a): 5, str(c): 3}

    def test_dots_and_ranks_are_checked_as_the_page_checks_them(self, worker: Any, member: Any) -> None:
        dots = raise_decision(worker, "dot")
        a, b, _c = option_ids(dots)
        client = client_for(member)
        assert fields_named(vote(client, dots, {"values": {str(a): 4, str(b): 4}})) == ["values"]  # 5 dots
        assert vote(client, dots, {"values": {str(a): 3, str(b): 2}}).status_code == 200
        ranked = raise_decision(worker, "ranked_irv")
        x, y, _z = option_ids(ranked)
        assert fields_named(vote(client, ranked, {"values": {str(x): 1, str(y): 1}})) == ["values"]
        # Gaps are closed up, as on the page: only the order counts.
        assert vote(client, ranked, {"values": {str(x): 3, str(y): 1}}).json()["values"] == {str(x): 2, str(y): 1}

    def test_bad_bodies_are_refused_naming_the_field(self, worker: Any, member: Any) -> None:
        decision = raise_decision(worker, "consent")
        client = client_for(member)
        assert fields_named(vote(client, decision, {"position": "agree", "colour": "red"})) == ["colour"]
        assert fields_named(vote(client, decision, {"position": 3})) == ["position"]
        score = raise_decision(worker, "score")
        assert fields_named(vote(client, score, {"values": {str(option_ids(score)[0]): "5"}}))[0].startswith("values")
        malformed = client.post(address(decision, "/vote"), data="{not json", content_type="application/json")
        assert malformed.status_code == 400

    def test_a_closed_decision_takes_no_answer(self, worker: Any, member: Any, coordinator: Any) -> None:
        decision = raise_decision(worker, "consent")
        services.decision_close(actor=coordinator, decision=decision)
        response = vote(client_for(member), decision, {"position": "agree"})
        assert response.status_code == 400 and "closed" in response.json()["detail"]

    def test_only_the_people_it_is_for_answer_and_only_with_a_write_token(self, worker: Any, member: Any) -> None:
        for_staff = raise_decision(worker, "consent", participants="staff")
        assert vote(client_for(member), for_staff, {"position": "agree"}).status_code == 404
        assert vote(client_for(worker), for_staff, {"position": "agree"}).status_code == 200
        everyone = raise_decision(worker, "consent")
        assert vote(client_for(member, "read"), everyone, {"position": "agree"}).status_code == 403
        assert not Participation.objects.filter(decision=everyone).exists()


pg_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent transactions are tested on PostgreSQL"
)


@pg_only
@pytest.mark.django_db(transaction=True)
def test_the_same_vote_sent_twice_at_once_leaves_one_answer() -> None:
    partnership = PartnershipFactory()
    worker = staff_membership(partnership, role="worker")
    decision = raise_decision(worker, "yes_no")
    voters = [MembershipFactory(partnership=partnership, is_member=True) for _ in range(10)]
    secrets = {voter.pk: make_token(voter) for voter in voters}

    def send(job: tuple[int, str]) -> int:
        voter_id, position = job
        try:
            return vote(ApiClient(secrets[voter_id]), decision, {"position": position}).status_code
        finally:
            connections.close_all()

    jobs = [(voter.pk, position) for voter in voters for position in ("yes", "no")]
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(send, jobs))
    assert statuses == [200] * len(jobs)
    assert Participation.objects.filter(decision=decision).count() == 10
