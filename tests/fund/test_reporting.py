"""The fund's report figures (``fund.reporting``): money in, money out, awarded and paid, in pence; inside
the period only, for the partnership asked about only, narrowed to one organisation, in a fixed number of
queries, never with a proposal's or a description's words."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest

from coproduce.fund.models import Award, AwardPayment, Contribution, Spending
from coproduce.partnerships.models import Organisation, Partnership
from tests.factories import OrganisationFactory, PartnershipFactory
from tests.fund.helpers import make_proposal, make_round
from tests.reports.figures_support import (
    AFTER,
    BEFORE,
    FIRST_MOMENT,
    INSIDE,
    LAST_MOMENT,
    bases,
    queries_for,
    query,
    section,
    values,
    words,
)

pytestmark = pytest.mark.django_db

KEY = "fund"
_keys = itertools.count(1)


def _contribution(
    organisation: Organisation, pence: int, received_at: dt.datetime | None, kind: str = "money"
) -> Contribution:
    return Contribution.objects.create(
        partnership=organisation.partnership,
        organisation=organisation,
        kind=kind,
        description="Zzyzx contribution",
        value_pence=pence,
        received_at=received_at,
    )


def _award(partnership: Partnership, pence: int, at: dt.datetime, organisation: Organisation | None = None) -> Award:
    round_ = make_round(partnership, phase="delivery")
    proposal = make_proposal(round_, title="Quixotic project a parent proposed")
    return Award.objects.create(
        partnership=partnership,
        round=round_,
        proposal=proposal,
        amount_pence=pence,
        organisation=organisation,
        awarded_at=at,
    )


def _pay(award: Award, pence: int, at: dt.datetime) -> AwardPayment:
    return AwardPayment.objects.create(award=award, amount_pence=pence, paid_at=at)


def _spend(partnership: Partnership, pence: int, at: dt.datetime) -> Spending:
    return Spending.objects.create(
        partnership=partnership,
        category="participation",
        amount_pence=pence,
        description="Paid time",
        source_key=f"test:{next(_keys)}",
        paid_at=at,
    )


@pytest.fixture
def world(partnership: Partnership) -> dict[str, Any]:
    council, charity = OrganisationFactory(partnership=partnership), OrganisationFactory(partnership=partnership)
    _contribution(council, 10_000_00, FIRST_MOMENT)
    _contribution(charity, 2_500_00, LAST_MOMENT, kind="in_kind")
    _contribution(charity, 1_000_00, INSIDE)
    _contribution(council, 99_00, BEFORE)
    _contribution(council, 98_00, AFTER)
    _contribution(council, 97_00, None)  # pledged, not received
    held = _award(partnership, 3_000_00, INSIDE, organisation=charity)
    earlier = _award(partnership, 700_00, BEFORE)
    _award(partnership, 600_00, AFTER)
    _pay(held, 1_000_00, INSIDE)
    _pay(earlier, 200_00, LAST_MOMENT)
    _pay(earlier, 500_00, BEFORE)
    _pay(held, 300_00, AFTER)
    for _ in range(3):
        _spend(partnership, 25_00, INSIDE)
    _spend(partnership, 40_00, AFTER)
    # Another partnership's money never counts.
    other = PartnershipFactory()
    _contribution(OrganisationFactory(partnership=other), 5_000_00, INSIDE)
    _pay(_award(other, 400_00, INSIDE), 400_00, INSIDE)
    _spend(other, 10_00, INSIDE)
    return {"council": council, "charity": charity}


def test_partnership_figures_in_pence(partnership: Partnership, world: dict[str, Any]) -> None:
    tables = section(KEY).tables(query(partnership.pk))
    found = values(tables)

    assert (found["fund.in/money"], found["fund.in/in_kind"], found["fund.in/total"]) == (
        11_000_00,
        2_500_00,
        13_500_00,
    )
    assert found["fund.out/award_payments"] == 1_200_00
    assert found["fund.out/participation"] == 75_00
    assert bases(tables)["fund.out/participation"] == 3  # three payments: the builder will not show it alone
    assert found["fund.out/total"] == 1_275_00
    assert (found["fund.awards/awarded"], found["fund.awards/paid"]) == (3_000_00, 1_200_00)
    assert found["fund.awards_made/awards"] == 1
    assert all(isinstance(v, int) for k, v in found.items())
    assert all(not row.counts_people for table in tables for row in table.rows)


def test_narrowed_to_an_organisation(partnership: Partnership, world: dict[str, Any]) -> None:
    charity = world["charity"]
    found = values(section(KEY).tables(query(partnership.pk, scope="organisation", organisation_id=charity.pk)))

    assert (found["fund.in/money"], found["fund.in/in_kind"]) == (1_000_00, 2_500_00)
    assert (found["fund.awards/awarded"], found["fund.awards/paid"]) == (3_000_00, 1_000_00)
    assert found["fund.out/total"] == 1_000_00
    assert "fund.out/participation" not in found  # paid to parents: not an organisation's to report
    assert "service" not in section(KEY).scopes


def test_no_proposal_or_description_words_in_the_tables(partnership: Partnership, world: dict[str, Any]) -> None:
    seen = words(section(KEY).tables(query(partnership.pk)))

    assert "Zzyzx" not in seen
    assert "Quixotic" not in seen
    assert world["charity"].name not in seen


def _activity(partnership: Partnership, n: int) -> None:
    organisation = OrganisationFactory(partnership=partnership)
    for _ in range(n):
        _contribution(organisation, 100_00, INSIDE)
        _pay(_award(partnership, 100_00, INSIDE, organisation=organisation), 50_00, INSIDE)
        _spend(partnership, 10_00, INSIDE)


def test_the_number_of_queries_does_not_grow_with_the_data(partnership: Partnership) -> None:
    bigger = PartnershipFactory()
    _activity(partnership, 1)
    _activity(bigger, 50)

    one = queries_for(lambda: section(KEY).tables(query(partnership.pk)))
    fifty = queries_for(lambda: section(KEY).tables(query(bigger.pk)))

    assert one == fifty <= 4
    assert values(section(KEY).tables(query(bigger.pk)))["fund.out/total"] == 50 * 60_00
