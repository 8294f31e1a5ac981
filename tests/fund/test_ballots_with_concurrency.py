"""A ballot recorded with a member, or entered from paper, racing her own ballot and the same paper form
entered twice at once, on PostgreSQL with real concurrent transactions."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from coproduce.core.exceptions import ServiceError
from coproduce.fund import services
from coproduce.fund.models import Ballot, Round
from coproduce.partnerships.models import Membership
from tests.factories import MembershipFactory, PartnershipFactory, staff_membership
from tests.fund.helpers import make_proposal, make_round
from tests.partnerships.test_concurrency import run_at_once

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL"),
]

PAIRS = 12


def _membership(pk: int) -> Membership:
    return Membership.objects.select_related("user", "partnership").get(pk=pk)


def test_her_own_ballot_racing_one_recorded_with_her_leaves_one_ballot_and_it_is_hers() -> None:
    partnership = PartnershipFactory()
    round_ = make_round(partnership, phase="voting", min_choices=1, max_choices=1)
    hers, theirs = make_proposal(round_, cost=1_000).pk, make_proposal(round_, cost=1_200).pk
    worker = staff_membership(partnership, role="worker")
    members = [MembershipFactory(partnership=partnership, is_member=True) for _ in range(PAIRS)]

    def own(member_id: int) -> Any:
        return lambda: services.ballot_submit(
            actor=_membership(member_id), round_=Round.objects.get(pk=round_.pk), choices={hers: 1}
        )

    def assisted(member_id: int) -> Any:
        return lambda: services.ballot_record_with(
            actor=_membership(worker.pk),
            round_=Round.objects.get(pk=round_.pk),
            member=_membership(member_id),
            choices={theirs: 1},
            agreed=True,
        )

    functions = [f for m in members for f in (own(m.pk), assisted(m.pk))]
    results = run_at_once(functions)
    unexpected = [r for r in results if not isinstance(r, (Ballot, ServiceError))]
    assert not unexpected, unexpected[:3]
    refused = [r for r in results if isinstance(r, ServiceError)]
    assert all(r.code == "exists" for r in refused)
    assert Ballot.objects.filter(round=round_).count() == PAIRS
    for ballot in Ballot.objects.filter(round=round_).prefetch_related("choices"):
        # Whoever came first, her own ballot is the one that stands, and it is marked as her own.
        assert ballot.channel == "self" and ballot.recorded_by_id is None
        assert [c.proposal_id for c in ballot.choices.all()] == [hers]


def test_the_same_paper_form_entered_at_once_for_different_members_is_entered_once() -> None:
    partnership = PartnershipFactory()
    round_ = make_round(partnership, phase="voting")
    project = make_proposal(round_).pk
    workers = [staff_membership(partnership, role="worker") for _ in range(3)]
    members = [MembershipFactory(partnership=partnership, is_member=True) for _ in range(6)]

    def enter(worker_id: int, member_id: int) -> Any:
        return lambda: services.ballot_record_with(
            actor=_membership(worker_id),
            round_=Round.objects.get(pk=round_.pk),
            member=_membership(member_id),
            choices={project: 1},
            agreed=True,
            channel="paper",
            paper_ref="B1-0001",
        )

    results = run_at_once([enter(workers[i % 3].pk, m.pk) for i, m in enumerate(members)])
    assert sum(isinstance(r, Ballot) for r in results) == 1
    assert all(r.code == "paper_ref_used" for r in results if isinstance(r, ServiceError))
    assert Ballot.objects.filter(round=round_, paper_ref="B1-0001").count() == 1
