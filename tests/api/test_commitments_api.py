"""The commitments board's endpoint: every commitment as the board shows it, in the board's order, a page at a
time by a cursor on that order."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coproduce.commitments import selectors
from coproduce.improvement.models import StoppedPractice
from tests.api.conftest import ApiClient, make_token
from tests.commitments.conftest import award, idea_we_will_do, stopped_practice
from tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db

BASE = "/api/v1/partnerships/{slug}/commitments"


def board(membership: Any, **query: Any) -> Any:
    return ApiClient(make_token(membership, scope="read")).get(BASE.format(slug=membership.partnership.slug), query)


def test_the_board_in_its_order_a_page_at_a_time(worker: Any, coordinator: Any, observer: Any) -> None:
    today = timezone.localdate()
    stopped_practice(worker, review_on=today + timedelta(days=90), what="The paper sign-in book")
    monday_forms = stopped_practice(worker, review_on=today + timedelta(days=5), what="Monday forms")
    StoppedPractice.objects.filter(pk=monday_forms.pk).update(review_on=today - timedelta(days=1))  # now due
    idea_we_will_do(coordinator)
    award(coordinator.partnership)
    expected = [(i.commitment.source, i.commitment.object_id) for i in selectors.board_for(observer)]
    assert len(expected) == 4
    client = ApiClient(make_token(observer, scope="read"))
    seen: list[tuple[str, int]] = []
    address: str | None = BASE.format(slug=observer.partnership.slug) + "?limit=3"
    while address:
        body = client.get(address).json()
        seen += [(item["source"], item["object_id"]) for item in body["items"]]
        address = body["next"]
    assert seen == expected
    items = board(observer).json()["items"]
    assert items[0]["source"] == "fund.award" and items[0]["status"] == "overdue"  # delivery was due 3 days ago
    monday = next(item for item in items if "Monday forms" in item["what"])
    assert monday["status"] == "review_due" and monday["latest_review"] is None


def test_one_kind_or_only_the_overdue(worker: Any, coordinator: Any) -> None:
    stopped_practice(worker)
    made = award(coordinator.partnership, delivery_in_days=-400)  # delivery due long ago: overdue
    only_awards = board(worker, kind="fund.award").json()["items"]
    assert [(i["source"], i["object_id"]) for i in only_awards] == [("fund.award", made.pk)]
    overdue = board(worker, overdue="true").json()["items"]
    assert {i["status"] for i in overdue} == {"overdue"}
    refused = board(worker, kind="nonsense")
    assert refused.status_code == 400 and [e["field"] for e in refused.json()["errors"]] == ["kind"]


def test_a_bad_cursor_is_refused_naming_it(worker: Any) -> None:
    for cursor in ("not-a-cursor", "WzEsMl0"):  # the second is [1,2]: base64 of the wrong shape
        response = board(worker, cursor=cursor)
        assert response.status_code == 400
        assert [e["field"] for e in response.json()["errors"]] == ["cursor"]


def test_another_partnerships_board_is_not_found(member: Any) -> None:
    there = PartnershipFactory()
    response = ApiClient(make_token(member, scope="read")).get(BASE.format(slug=there.slug))
    assert response.status_code == 404


def test_the_board_makes_the_same_queries_for_many_commitments(worker: Any) -> None:
    client = ApiClient(make_token(worker, scope="read"))
    address = BASE.format(slug=worker.partnership.slug)
    stopped_practice(worker)
    client.get(address)
    with CaptureQueriesContext(connection) as few:
        client.get(address)
    for n in range(10):
        stopped_practice(worker, what=f"Practice {n}")
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(address).json()["items"]) == 11
    assert len(many) <= len(few)  # no query per item (the token's bookkeeping may vary by a few)
