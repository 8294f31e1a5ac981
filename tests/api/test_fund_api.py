"""The fund's endpoints: rounds a page at a time, one round with its projects, and the results as the results
page shows them (the same figures, money in pence, each person's own share only)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coproduce.fund import services
from coproduce.fund.models import Award, ResultSnapshot, Round
from tests.api.conftest import ApiClient, make_token
from tests.factories import MembershipFactory, PartnershipFactory
from tests.fund.helpers import make_proposal, make_round, move_to

pytestmark = pytest.mark.django_db

BASE = "/api/v1/partnerships/{slug}/fund/rounds"


def client_for(membership: Any, scope: str = "read") -> ApiClient:
    return ApiClient(make_token(membership, scope=scope))


def rounds_url(partnership: Any, suffix: str = "") -> str:
    return BASE.format(slug=partnership.slug) + suffix


@pytest.fixture
def voting_round(member: Any) -> Round:
    round_ = make_round(member.partnership, phase="voting", budget=3_000, max_choices=2)
    for cost, title in ((1_000, "Crèche"), (1_500, "Bus passes"), (2_000, "Laptops")):
        make_proposal(round_, cost=cost, title=title)
    return round_


def test_rounds_come_a_page_at_a_time_latest_voting_first(member: Any) -> None:
    made = [make_round(member.partnership, phase=phase, title=phase) for phase in ("proposals", "voting", "delivery")]
    client = client_for(member)
    first = client.get(rounds_url(member.partnership), {"limit": 2})
    assert first.status_code == 200
    body = first.json()
    # proposals opened last, so it votes latest; delivery voted first
    assert [item["title"] for item in body["items"]] == ["proposals", "voting"]
    assert body["items"][1]["phase"] == "voting" and body["items"][1]["budget_pence"] == made[1].budget_pence
    assert body["next"]
    second = client.get(body["next"]).json()
    assert [item["title"] for item in second["items"]] == ["delivery"] and second["next"] is None


def test_the_list_makes_the_same_queries_for_many_rounds(member: Any) -> None:
    client = client_for(member)
    address = rounds_url(member.partnership)
    make_round(member.partnership)
    client.get(address)  # the token and the partnership warmed once
    with CaptureQueriesContext(connection) as few:
        assert client.get(address).status_code == 200
    for _ in range(12):
        make_round(member.partnership)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(address).json()["items"]) == 13
    assert len(many) <= len(few)  # no query per item (the token's bookkeeping may vary by a few)


def test_a_round_shows_its_projects_and_whether_you_voted(member: Any, voting_round: Round) -> None:
    client = client_for(member)
    body = client.get(rounds_url(member.partnership, f"/{voting_round.pk}")).json()
    assert [p["title"] for p in body["projects"]] == ["Bus passes", "Crèche", "Laptops"]
    assert {p["cost_pence"] for p in body["projects"]} == {100_000, 150_000, 200_000}
    assert body["you_may_vote"] is True and body["you_voted"] is False
    crèche = voting_round.proposals.get(title="Crèche")
    services.ballot_submit(actor=member, round_=voting_round, choices={crèche.pk: 1})
    body = client.get(rounds_url(member.partnership, f"/{voting_round.pk}")).json()
    assert body["you_voted"] is True and body["ballot_count"] == 1


def test_another_partnerships_round_is_not_found(member: Any) -> None:
    elsewhere = make_round(PartnershipFactory())
    client = client_for(member)
    for suffix in (f"/{elsewhere.pk}", f"/{elsewhere.pk}/results"):
        response = client.get(rounds_url(member.partnership, suffix))
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"


def test_results_are_not_given_before_voting_closes(member: Any, voting_round: Round) -> None:
    body = client_for(member).get(rounds_url(member.partnership, f"/{voting_round.pk}/results")).json()
    assert body["status"] == "not_yet" and body["projects"] == [] and body["ballots"] is None
    assert not ResultSnapshot.objects.exists()


def test_results_as_the_page_shows_them_with_your_own_share(member: Any, coordinator: Any, voting_round: Round) -> None:
    crèche, bus, _laptops = voting_round.proposals.order_by("cost_pence")
    services.ballot_submit(actor=member, round_=voting_round, choices={crèche.pk: 1})
    others = [MembershipFactory(partnership=member.partnership) for _ in range(3)]
    for voter in others:
        services.ballot_submit(actor=voter, round_=voting_round, choices={bus.pk: 1})
    move_to(voting_round, "results")
    client = client_for(member)
    address = rounds_url(member.partnership, f"/{voting_round.pk}/results")
    assert client.get(address).json()["status"] == "pending"  # asked for, never waited on
    services.results_compute(snapshot_id=ResultSnapshot.objects.get().pk)
    body = client.get(address).json()
    assert body["status"] == "ready" and body["ballots"] == 4
    funded = {p["title"] for p in body["projects"] if p["funded"]}
    assert funded == {"Crèche", "Bus passes"}
    assert body["spent_pence"] == 250_000 and body["left_over_pence"] == 50_000
    # Add1 raised each share until nothing more fitted: the crèche's one backer paid all of its £1,000.
    assert body["yours"] == {"share_pence": 100_000, "spent_pence": 100_000, "funded": [crèche.pk]}
    # Another voter sees her own share, never the member's.
    theirs = client_for(others[0]).get(address).json()["yours"]
    assert theirs["funded"] == [bus.pk]
    # Once the awards are made, they are listed with the results.
    services.awards_make(actor=coordinator, round_=Round.objects.get(pk=voting_round.pk))
    awards = client.get(address).json()["awards"]
    assert sorted((a["title"], a["amount_pence"], a["paid_pence"]) for a in awards) == [
        ("Bus passes", 150_000, 0),
        ("Crèche", 100_000, 0),
    ]
    assert Award.objects.count() == 2
