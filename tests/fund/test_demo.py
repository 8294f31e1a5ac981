"""The fund's demo data: complete, consistent with the ledger's rules, and idempotent."""

from __future__ import annotations

from typing import Any

import pytest

from coproduce.fund import demo as fund_demo
from coproduce.fund import selectors
from coproduce.fund.models import Award, Ballot, Contribution, Proposal, ResultSnapshot, Round
from coproduce.partnerships import demo as partnership_demo
from coproduce.partnerships.demo import DEMO_SLUG, DemoContext

pytestmark = pytest.mark.django_db


def load() -> DemoContext:
    ctx = DemoContext()
    partnership_demo.load(ctx)
    fund_demo.load(ctx)
    return ctx


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Contribution, Round, Proposal, Ballot, ResultSnapshot, Award)
    }


def test_the_demo_has_a_ledger_a_finished_round_and_an_open_one_and_loads_twice_the_same(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        ctx = load()
    first = counts()
    with django_capture_on_commit_callbacks(execute=True):
        load()
    assert counts() == first
    partnership = ctx.partnerships[DEMO_SLUG]
    assert set(Contribution.objects.values_list("organisation__name", flat=True)) == {
        org.name for key, org in ctx.organisations.items() if not key.startswith("nf-")
    }
    finished = Round.objects.get(title=fund_demo.FINISHED)
    assert finished.phase == "results"
    snapshot = ResultSnapshot.objects.get(round=finished)
    assert snapshot.status == "ready"
    assert sorted(str(a.proposal_id) for a in Award.objects.filter(round=finished)) == sorted(
        snapshot.data["mes"]["selected"]
    )
    assert Round.objects.get(title=fund_demo.OPEN).phase == "voting"
    totals = selectors.ledger_totals(partnership.pk)
    assert totals["available"] >= 0
    assert totals["in_kind_pledged"] > 0 and totals["paid"] > 0
