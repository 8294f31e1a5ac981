"""The fund's open 360Giving file: contributions as grants to the fund, awards from it, payments to people only in
monthly batches of at least five, valid against the standard, for anyone once the partnership publishes."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coproduce.fund.models import Award, Contribution, Spending
from coproduce.fund.opendata import grants_package, individual_batches, validation_errors
from coproduce.partnerships.models import Partnership
from tests.factories import OrganisationFactory
from tests.fund.helpers import make_proposal, make_round
from tests.reports.access_open import publish


def _at(year: int, month: int, day: int = 10) -> datetime:
    return timezone.make_aware(datetime(year, month, day, 12))


def _pay(partnership: Partnership, when: datetime, pence: int, key: str) -> Spending:
    return Spending.objects.create(
        partnership=partnership,
        category="participation",
        amount_pence=pence,
        description="Paid time",
        source_key=key,
        paid_at=when,
    )


def _open(partnership: Partnership) -> Any:
    return Client().get(reverse("fund:open-grants", kwargs={"slug": partnership.slug}))


class TestBatches:
    def test_a_month_of_five_stands_alone_and_a_short_month_is_carried_into_the_next(self) -> None:
        payments = [(_at(2026, 1), 100)] * 5 + [(_at(2026, 2), 10)] * 3 + [(_at(2026, 3), 1)] * 2
        batches = individual_batches(payments, before=date(2026, 6, 1))
        assert [(b.first_month, b.last_month, b.count, b.total_pence) for b in batches] == [
            (date(2026, 1, 1), date(2026, 1, 1), 5, 500),
            (date(2026, 2, 1), date(2026, 3, 1), 5, 32),
        ]

    def test_months_still_short_of_five_and_the_month_not_yet_over_are_left_out(self) -> None:
        payments = [(_at(2026, 1), 100)] * 4 + [(_at(2026, 2), 100)] * 9
        assert individual_batches(payments, before=date(2026, 2, 1)) == []
        assert [b.count for b in individual_batches(payments, before=date(2026, 3, 1))] == [13]

    def test_a_published_batch_never_changes_when_later_payments_come(self) -> None:
        early = [(_at(2026, 1), 100)] * 6
        later = early + [(_at(2026, 2), 7)] * 2
        assert individual_batches(early, before=date(2026, 3, 1)) == individual_batches(later, before=date(2026, 3, 1))


@pytest.fixture
def fund(member: Any) -> dict[str, Any]:
    partnership = member.partnership
    council = OrganisationFactory(partnership=partnership, name="Riverside Council", org_id="GB-LAS-GLG")
    charity = OrganisationFactory(partnership=partnership, name="Little Steps Childcare")
    money = Contribution.objects.create(
        partnership=partnership,
        organisation=council,
        kind="money",
        description="Core grant for the year",
        value_pence=2_000_050,
        received_at=timezone.now(),
    )
    in_kind = Contribution.objects.create(
        partnership=partnership,
        organisation=charity,
        kind="in_kind",
        description="A room on Tuesdays",
        value_pence=90_000,
    )
    round_ = make_round(partnership, phase="delivery", title="Spring round")
    to_org = make_proposal(
        round_, title="Crèche for the job club", description="Written by Orla.", delivered_by=charity
    )
    award = Award.objects.create(
        partnership=partnership, round=round_, proposal=to_org, amount_pence=180_000, organisation=charity
    )
    long_ago = timezone.now() - timedelta(days=120)
    people = []
    for n in range(5):
        proposal = make_proposal(
            round_, title=f"Laptop loan {n}", description="Written by a member.", proposer=member.user
        )
        people.append(
            Award.objects.create(
                partnership=partnership,
                round=round_,
                proposal=proposal,
                amount_pence=20_000,
                holder=member.user,
                awarded_at=long_ago,
            )
        )
    for n in range(6):
        _pay(partnership, long_ago, 1_500, f"claim-{n}")
    _pay(partnership, timezone.now(), 999, "claim-this-month")
    publish(partnership)
    return {"partnership": partnership, "money": money, "in_kind": in_kind, "award": award, "council": council}


class TestOpenFile:
    def test_anyone_gets_a_valid_file_with_contributions_and_awards(self, fund: dict[str, Any]) -> None:
        response = _open(fund["partnership"])
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "Set-Cookie" not in response.headers
        package = json.loads(response.content)
        assert validation_errors(package) == []
        money = next(g for g in package["grants"] if g["id"].endswith(f"contribution-{fund['money'].pk}"))
        assert money["fundingOrganization"] == [{"id": "GB-LAS-GLG", "name": "Riverside Council"}]
        assert money["recipientOrganization"][0]["name"] == fund["partnership"].name
        assert money["amountAwarded"] == 20000.5 and money["amountDisbursed"] == 20000.5
        in_kind = next(g for g in package["grants"] if g["id"].endswith(f"contribution-{fund['in_kind'].pk}"))
        assert in_kind["amountDisbursed"] == 0 and in_kind["description"] == "A room on Tuesdays"

    def test_an_award_says_nothing_its_proposer_wrote(self, fund: dict[str, Any]) -> None:
        text = _open(fund["partnership"]).content.decode()
        assert "Crèche for the job club" not in text and "Written by" not in text and "Laptop loan" not in text
        package = json.loads(text)
        award = next(g for g in package["grants"] if g["id"].endswith(f"award-{fund['award'].pk}"))
        assert "Spring round" in award["title"]
        assert award["recipientOrganization"][0]["name"] == "Little Steps Childcare"

    def test_awards_and_payments_to_people_come_only_in_batches(self, fund: dict[str, Any]) -> None:
        package = json.loads(_open(fund["partnership"]).content)
        to_people = [g for g in package["grants"] if "recipientIndividual" in g]
        assert {g["recipientIndividual"]["name"] for g in to_people} == {"Individual Recipients"}
        # five awards of £200 in one month, six payments of £15 in one month; this month's payment waits
        assert sorted((g["amountAwarded"], "5 payments" in g["description"]) for g in to_people) == [
            (90, False),
            (1000, True),
        ]
        assert not any("-individual-" in g["id"] for g in package["grants"])  # no award to a person on its own

    def test_the_signed_in_file_keeps_the_proposals_words(self, fund: dict[str, Any], member: Any) -> None:
        response = Client()
        response.force_login(member.user)
        package = json.loads(
            response.get(reverse("fund:grants-json", kwargs={"slug": fund["partnership"].slug})).content
        )
        assert validation_errors(package) == []
        titles = {g["title"] for g in package["grants"]}
        assert "Crèche for the job club" in titles and "Laptop loan 0" in titles

    def test_the_file_is_missing_when_open_data_is_off(self, fund: dict[str, Any]) -> None:
        Partnership.objects.filter(pk=fund["partnership"].pk).update(open_data=False)
        assert _open(fund["partnership"]).status_code == 404


def test_an_empty_fund_is_an_empty_package_and_nothing_else_is_wrong_with_it(partnership: Partnership) -> None:
    package = grants_package(partnership, public=True)
    # 360Giving's package schema asks for at least one grant; a fund with none yet says so with an empty list.
    assert package["grants"] == [] and validation_errors(package) == ["grants: [] should be non-empty"]
