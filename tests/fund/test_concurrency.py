"""Ballots and budgets under real concurrency on PostgreSQL: many threads, each with its own connection."""

from __future__ import annotations

import random
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection, connections
from django.db.models import Count

from coproduce.core.exceptions import ServiceError
from coproduce.fund import services
from coproduce.fund.models import Ballot, BallotChoice, Round
from coproduce.partnerships.models import Membership
from tests.conftest import present
from tests.factories import MembershipFactory, PartnershipFactory, UserFactory, staff_membership
from tests.fund.helpers import add_money, make_proposal, make_round, phase_dates
from tests.partnerships.test_concurrency import run_at_once

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL"),
]

VOTERS = 200
SUBMISSIONS = 10
THREADS = 40  # PostgreSQL allows 100 connections; other test databases share the server


def run_concurrently(functions: list[Callable[[], Any]], threads: int = THREADS) -> list[Any]:
    """Run every function on a pool of threads, many at the same moment; each result or exception."""

    def call(function: Callable[[], Any]) -> Any:
        try:
            return function()
        except Exception as error:
            return error
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(call, functions))


def test_200_voters_times_10_simultaneous_submissions_leave_exactly_200_ballots_within_limits() -> None:
    partnership = PartnershipFactory()
    round_ = make_round(partnership, phase="voting", budget=5_000, min_choices=1, max_choices=3, within_budget=True)
    proposals = [make_proposal(round_, cost=cost).pk for cost in (1_000, 1_500, 2_000, 2_500, 3_000)]
    users = UserFactory.create_batch(VOTERS)
    memberships = Membership.objects.bulk_create(
        [Membership(partnership=partnership, user=u, is_member=True) for u in users]
    )
    chooser = random.Random(2026)
    submissions = []
    wanted_last: dict[int, set[tuple[int, ...]]] = {}
    for membership in memberships:
        for _ in range(SUBMISSIONS):
            # Some valid, some over the limits (too many, or over the budget), some replays of the same ballot.
            size = chooser.choice([1, 2, 3, 4])
            choices = tuple(sorted(chooser.sample(proposals, size)))
            submissions.append((membership.pk, choices))
            wanted_last.setdefault(membership.pk, set()).add(choices)
    chooser.shuffle(submissions)

    def submit(membership_id: int, choices: tuple[int, ...]) -> Callable[[], Any]:
        return lambda: services.ballot_submit(
            actor=Membership.objects.select_related("user").get(pk=membership_id),
            round_=Round.objects.get(pk=round_.pk),
            choices=dict.fromkeys(choices, 1),
        )

    results = run_concurrently([submit(m, c) for m, c in submissions])
    unexpected = [r for r in results if not isinstance(r, (Ballot, ServiceError))]
    assert not unexpected, unexpected[:3]
    voters_with_a_valid_submission = {
        m for (m, _c), r in zip(submissions, results, strict=True) if isinstance(r, Ballot)
    }
    assert len(voters_with_a_valid_submission) == VOTERS  # with 10 tries each, every voter had a valid one
    assert Ballot.objects.filter(round=round_).count() == VOTERS
    assert Ballot.objects.values("voter").annotate(n=Count("id")).filter(n__gt=1).count() == 0
    costs = dict(round_.proposals.values_list("pk", "cost_pence"))
    for ballot in Ballot.objects.filter(round=round_).prefetch_related("choices"):
        chosen = [c.proposal_id for c in ballot.choices.all()]
        assert 1 <= len(chosen) <= 3
        assert sum(costs[p] for p in chosen) <= round_.budget_pence
        assert ballot.total_cost_pence == sum(costs[p] for p in chosen)
        # The ballot kept is one its voter sent, whole: never a mix of two submissions.
        assert (
            tuple(sorted(chosen))
            in wanted_last[Membership.objects.get(partnership=partnership, user_id=present(ballot.voter_id)).pk]
        )
        assert ballot.receipt == services.receipt_for(round_.pk, f"user:{ballot.voter_id}", dict.fromkeys(chosen, 1))
    assert BallotChoice.objects.filter(ballot__round=round_).count() == sum(
        b.choices.count() for b in Ballot.objects.filter(round=round_)
    )


def test_replaying_one_request_at_once_changes_nothing() -> None:
    partnership = PartnershipFactory()
    round_ = make_round(partnership, phase="voting")
    a = make_proposal(round_).pk
    voter = MembershipFactory(partnership=partnership)
    first = services.ballot_submit(actor=voter, round_=round_, choices={a: 1})
    results = run_at_once(
        [lambda: services.ballot_submit(actor=Membership.objects.get(pk=voter.pk), round_=round_, choices={a: 1})] * 8
    )
    assert all(isinstance(r, Ballot) and r.receipt == first.receipt for r in results), results
    ballot = Ballot.objects.get()
    assert ballot.version == 1 and ballot.updated_at == first.updated_at


def test_a_ballot_after_the_close_is_refused_while_others_vote() -> None:
    partnership = PartnershipFactory()
    round_ = make_round(partnership, phase="results")
    a = make_proposal(round_).pk
    voters = [MembershipFactory(partnership=partnership) for _ in range(6)]
    results = run_at_once(
        [
            lambda v=v: services.ballot_submit(actor=Membership.objects.get(pk=v.pk), round_=round_, choices={a: 1})
            for v in voters
        ]
    )
    assert all(isinstance(r, ServiceError) and r.code == "closed" for r in results), results
    assert not Ballot.objects.exists()


def test_two_rounds_set_up_at_once_cannot_both_take_the_last_of_the_money() -> None:
    partnership = PartnershipFactory()
    coordinator = staff_membership(partnership, role="coordinator")
    add_money(partnership, 5_000)

    def create() -> Any:
        return services.round_create(
            actor=Membership.objects.get(pk=coordinator.pk),
            settings_=services.RoundSettings(
                title="Round",
                description="",
                budget_pence=400_000,
                ballot_kind="approval",
                min_choices=1,
                max_choices=3,
                within_budget=False,
                points=10,
                voters="members",
                completion="add1",
                **phase_dates("proposals"),
            ),
        )

    results = run_at_once([create] * 4)
    assert sum(isinstance(r, Round) for r in results) == 1, results
    assert sum(isinstance(r, ServiceError) and r.code == "over_available" for r in results) == 3
