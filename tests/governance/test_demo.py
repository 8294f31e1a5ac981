"""The agreement's demo data: what the issue asks for, consistent, shown beside a fund proposal, and
idempotent."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from coproduce.fund import demo as fund_demo
from coproduce.fund.models import Proposal
from coproduce.governance import demo as governance_demo
from coproduce.governance.models import DecisionRule, Group, Interest, Seat, SeatHolding, TermsVersion
from coproduce.partnerships import demo as partnership_demo
from coproduce.partnerships.demo import DEMO_SLUG, DemoContext
from tests.conftest import present, signed_in

pytestmark = pytest.mark.django_db


def load() -> DemoContext:
    ctx = DemoContext()
    partnership_demo.load(ctx)
    fund_demo.load(ctx)
    governance_demo.load(ctx)
    return ctx


def counts() -> dict[str, int]:
    models = (TermsVersion, Group, Seat, SeatHolding, DecisionRule, Interest)
    return {model.__name__: model.objects.count() for model in models}


def test_the_demo_agreement_is_complete_and_loads_twice_the_same(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        ctx = load()
    first = counts()
    with django_capture_on_commit_callbacks(execute=True):
        load()
    assert counts() == first
    assert first["TermsVersion"] == 2 and first["Group"] == 1 and first["Seat"] == 7
    current = SeatHolding.objects.filter(ended_on__isnull=True).select_related("seat", "membership")
    assert sum(1 for h in current if h.seat.kind == "member" and present(h.membership).is_member) == 2
    assert Seat.objects.exclude(pk__in=current.values("seat")).count() == 1  # one vacant
    assert SeatHolding.objects.filter(ended_on__isnull=False).exists()  # a past holder
    assert set(DecisionRule.objects.values_list("kind", flat=True)) == set(DecisionRule.Kind.values)

    # An interest shows beside a fund proposal of its proposer.
    jamie = ctx.memberships[(DEMO_SLUG, "jamie")]
    proposal = Proposal.objects.filter(proposer=jamie.user).first()
    assert proposal is not None
    page = signed_in(ctx.memberships[(DEMO_SLUG, "aisha")].user).get(
        reverse("fund:proposal", kwargs={"slug": DEMO_SLUG, "proposal_id": proposal.pk})
    )
    assert "I am employed as a keyworker" in page.content.decode()
    ruth = ctx.memberships[(DEMO_SLUG, "ruth")]
    agreement = signed_in(ruth.user).get(reverse("governance:agreement", kwargs={"slug": DEMO_SLUG})).content.decode()
    for text in ("Two seats for parents instead of one.", "Vacant", "Aisha", "Danielle M"):
        assert text in agreement
    assert (
        "Fund rules and budgets are decided by consent of the Steering group; at least half must take part."
        in agreement
    )
