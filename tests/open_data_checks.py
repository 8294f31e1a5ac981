"""What every open dataset's tests check the same way: the three addresses answer anyone, are readable by
any site (CORS), set no cookie, parse as CSV and JSON with their stated columns, and answer 404 while the
partnership does not publish open data."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coproduce.partnerships.models import Partnership


def publish(partnership: Partnership, on: bool = True) -> Partnership:
    partnership.open_data = on
    partnership.save(update_fields=["open_data"])
    return partnership


def get(name: str, partnership: Partnership, client: Client | None = None) -> Any:
    return (client or Client()).get(reverse(name, kwargs={"slug": partnership.slug}))


def assert_open(response: Any, content_type: str) -> None:
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "public" in response["Cache-Control"]
    assert not response.cookies, f"an open answer set a cookie: {list(response.cookies)}"


def csv_rows(response: Any, columns: Sequence[str]) -> list[dict[str, str]]:
    assert_open(response, "text/csv")
    text = response.content.decode("utf-8")
    reader = csv.DictReader(io.StringIO(text))
    assert tuple(reader.fieldnames or ()) == tuple(columns)
    return list(reader)


def json_items(response: Any, partnership: Partnership) -> list[dict[str, Any]]:
    assert_open(response, "application/json")
    body = json.loads(response.content)
    assert set(body) == {"partnership", "licence", "generated", "items"}
    assert body["partnership"]["slug"] == partnership.slug
    assert body["licence"]["id"] == partnership.open_data_licence
    assert body["licence"]["url"].startswith("https://")
    items: list[dict[str, Any]] = body["items"]
    return items


def page_text(response: Any) -> str:
    assert_open(response, "text/html")
    return str(response.content.decode("utf-8"))


def all_text(names: Sequence[str], partnership: Partnership) -> str:
    """What the page, the CSV and the JSON say, together (to look for what must never be there)."""
    return "\n".join(get(name, partnership).content.decode("utf-8") for name in names)


def assert_not_published_when_off(names: Sequence[str], partnership: Partnership) -> None:
    publish(partnership, on=False)
    for name in names:
        assert get(name, partnership).status_code == 404, name
    missing = Client().get(reverse(names[0], kwargs={"slug": "no-such-partnership"}))
    assert missing.status_code == 404


def queries(name: str, partnership: Partnership) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert get(name, partnership).status_code == 200
    return len(captured)


def assert_constant_queries(names: Sequence[str], partnership: Partnership, add_more: Callable[[], None]) -> None:
    """Each address reads the same number of queries with more rows."""
    before = {name: queries(name, partnership) for name in names}
    add_more()
    after = {name: queries(name, partnership) for name in names}
    assert before == after
