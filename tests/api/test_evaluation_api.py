"""Evaluation's endpoint: a quarter's results exactly as the results page shows them to the person asking,
groups under 5 never shown."""

from __future__ import annotations

from typing import Any

import pytest

from coproduce.evaluation.instrument import STATEMENT_KEYS
from coproduce.evaluation.models import PanelMember
from tests.api.conftest import ApiClient, make_token
from tests.evaluation.results_support import answers, months_back, quarter_code, release, subject, this_month
from tests.factories import OrganisationFactory, staff_membership

pytestmark = pytest.mark.django_db

BASE = "/api/v1/partnerships/{slug}/evaluation/results"


def results(membership: Any, **query: str) -> Any:
    return ApiClient(make_token(membership, scope="read")).get(BASE.format(slug=membership.partnership.slug), query)


def means(row: dict[str, Any]) -> dict[str, float | None]:
    return {mean["statement"]: mean["mean"] for mean in row["means"]}


def test_a_coordinator_sees_the_quarter_with_small_services_merged(coordinator: Any, partnership: Any) -> None:
    big = subject(partnership, "Money advice")
    small = subject(partnership, "Baby group")
    answers(big, 6, listened=5)
    answers(small, 3, listened=1)
    answers(subject(partnership, "Job club"), 2)
    response = results(coordinator)
    assert response.status_code == 200
    body = response.json()
    assert body["quarter"] == quarter_code(this_month()) and body["nothing_shown"] is False
    assert [(row["label"], row["answers"]) for row in body["services"]] == [("Money advice", 6)]
    assert body["other"]["answers"] == 5  # 3 and 2 together: neither is shown alone
    assert body["partnership"]["answers"] == 11
    assert means(body["services"][0])["listened"] == 5.0
    assert means(body["other"])["listened"] == pytest.approx((3 * 1 + 2 * 4) / 5)
    assert [s["key"] for s in body["statements"]] == list(STATEMENT_KEYS)
    assert "Baby group" not in str(body) and "Job club" not in str(body)


def test_a_quarter_with_fewer_than_five_answers_shows_nothing(coordinator: Any, partnership: Any) -> None:
    answers(subject(partnership, "Money advice"), 4)
    body = results(coordinator).json()
    assert body["nothing_shown"] is True and body["partnership"] is None and body["services"] == []


def test_a_statement_scored_by_fewer_than_five_has_no_mean(coordinator: Any, partnership: Any) -> None:
    thing = subject(partnership, "Money advice")
    answers(thing, 4, control=None)
    answers(thing, 2)
    row = results(coordinator).json()["services"][0]
    assert row["answers"] == 6 and means(row)["control"] is None and means(row)["listened"] == 4.0


def test_an_earlier_quarter_is_asked_for_by_its_code(coordinator: Any, partnership: Any) -> None:
    thing = subject(partnership, "Money advice")
    earlier = months_back(3)
    answers(thing, 5, period=earlier, listened=2)
    answers(thing, 5, listened=5)
    body = results(coordinator, quarter=quarter_code(earlier)).json()
    assert body["quarter"] == quarter_code(earlier) and means(body["services"][0])["listened"] == 2.0
    assert quarter_code(earlier) in body["quarters"]


def test_a_quarter_that_is_not_one_is_refused_naming_it(coordinator: Any) -> None:
    for wrong in ("2026-Q9", "spring", "0000-Q4", "9999-Q4"):
        response = results(coordinator, quarter=wrong)
        assert response.status_code == 400, wrong
        assert [e["field"] for e in response.json()["errors"]] == ["quarter"]


def test_members_and_observers_get_what_the_page_gives_them(member: Any, observer: Any, partnership: Any) -> None:
    answers(subject(partnership, "Money advice"), 6)
    assert results(member).status_code == 404
    assert results(observer).status_code == 404
    PanelMember.objects.create(partnership=partnership, user=member.user)
    assert results(member).json()["services"][0]["answers"] == 6


def test_staff_see_their_own_services_once_released(partnership: Any) -> None:
    ours = OrganisationFactory(partnership=partnership)
    worker = staff_membership(partnership, role="worker", organisation=ours)
    mine = subject(partnership, "Our drop-in", organisation_id=ours.pk)
    theirs = subject(partnership, "Their drop-in", organisation_id=OrganisationFactory(partnership=partnership).pk)
    answers(mine, 5)
    answers(theirs, 5)
    waiting = results(worker).json()
    assert waiting["quarter"] is None and waiting["nothing_shown"] is True
    release(mine)
    body = results(worker).json()
    assert [row["label"] for row in body["services"]] == ["Our drop-in"]
    assert body["whole_partnership"] is False
