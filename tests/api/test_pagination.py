"""Cursor pagination: pages follow each other without gaps or repeats, also while items are added."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import RequestFactory
from django.utils import timezone

from coproduce.api.framework import ProblemError, paginate
from coproduce.api.models import AccessToken
from coproduce.partnerships.models import Membership
from tests.api.conftest import make_token

pytestmark = pytest.mark.django_db


def page(url: str, order: str = "-id") -> dict[str, Any]:
    return paginate(
        RequestFactory().get(url), AccessToken.objects.all(), schema_fn=lambda token: token.name, order=order
    )


def walk(url: str, order: str = "-id") -> list[str]:
    names: list[str] = []
    while url:
        result = page(url, order)
        names += result["items"]
        url = result["next"] or ""
    return names


def test_pages_cover_every_item_once(member: Membership) -> None:
    for number in range(7):
        make_token(member, name=f"t{number}")
    first = page("/api/v1/x?limit=3")
    assert first["items"] == ["t6", "t5", "t4"] and first["next"].startswith("http://testserver/api/v1/x?")
    assert walk("/api/v1/x?limit=3") == [f"t{n}" for n in range(6, -1, -1)]
    assert len(page("/api/v1/x")["items"]) == 7  # 20 by default


def test_a_cursor_stays_right_while_items_are_added(member: Membership) -> None:
    for number in range(4):
        make_token(member, name=f"t{number}")
    first = page("/api/v1/x?limit=2")
    make_token(member, name="new")
    second = page(first["next"])
    assert first["items"] == ["t3", "t2"] and second["items"] == ["t1", "t0"] and second["next"] is None


def test_a_key_with_ties_goes_by_id(member: Membership) -> None:
    for number in range(5):
        make_token(member, name=f"t{number}")
    same = timezone.now() - timedelta(days=1)
    AccessToken.objects.update(created_at=same)
    assert walk("/api/v1/x?limit=2", order="created_at") == [f"t{n}" for n in range(5)]
    assert walk("/api/v1/x?limit=2", order="-created_at") == [f"t{n}" for n in range(4, -1, -1)]


@pytest.mark.parametrize(
    "query", ["limit=0", "limit=101", "limit=many", "cursor=%%%", "cursor=WzEsMl0x", "cursor=bm90IGpzb24"]
)
def test_bad_limits_and_cursors_are_a_400_naming_the_parameter(member: Membership, query: str) -> None:
    make_token(member)
    with pytest.raises(ProblemError) as refused:
        page(f"/api/v1/x?{query}", order="created_at")
    assert refused.value.status == 400
    assert [field for field, _ in refused.value.errors] == [query.split("=")[0]]


def test_a_list_endpoint_refuses_a_bad_cursor_as_a_problem(member: Membership) -> None:
    from tests.api.conftest import ApiClient

    response = ApiClient(make_token(member)).get("/api/v1/partnerships?cursor=nonsense")
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "cursor"
