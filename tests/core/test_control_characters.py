"""NUL and the other control characters (except tab, line feed and carriage return) are refused in one
place, for every page: a 400 with the plain error page and a sentence saying what to do, never a 500
(PostgreSQL cannot store NUL), and nothing saved. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse

from coproduce.voice.models import Idea
from tests import test_url_access
from tests.conftest import signed_in
from tests.test_url_access import EXPECTED, all_url_names, url_for

world = test_url_access.world  # the access table's partnership, with every page's objects

pytestmark = pytest.mark.django_db

REFUSED = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f"]
MESSAGE = "hidden control character"

# The pages that search or filter on what the person types, with the parameter they read.
SEARCHES = [
    ("voice:ideas", "q"),
    ("improvement:register", "q"),
    ("improvement:board", "measure"),
    ("support:directory", "need"),
]


def refused(response: Any) -> bool:
    return response.status_code == 400 and MESSAGE in response.content.decode()


@pytest.mark.parametrize("role", ["member", "coordinator"])
def test_every_page_refuses_nul_in_the_query_string(role: str, world: dict[str, Any]) -> None:
    client = signed_in(world["people"][role].user)
    wrong = []
    for name in all_url_names():
        if EXPECTED[name][role] != 200:
            continue
        address = url_for(name, world)
        response = client.get(address, {"q": "job\x00fair"})
        if not refused(response):
            wrong.append(f"{name} ({address}): {response.status_code}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(("name", "parameter"), SEARCHES)
@pytest.mark.parametrize("character", REFUSED)
def test_search_pages_refuse_control_characters_also_from_htmx(
    name: str, parameter: str, character: str, world: dict[str, Any]
) -> None:
    client = signed_in(world["people"]["member"].user)
    address = url_for(name, world)
    assert client.get(address, {parameter: "childcare"}).status_code == 200
    assert refused(client.get(address, {parameter: f"child{character}care"}))
    assert refused(client.get(address, {parameter: f"child{character}care"}, headers={"HX-Request": "true"}))
    # A percent-encoded NUL typed into the address bar, and one in a parameter's name.
    assert refused(client.get(f"{address}?{parameter}=%00"))
    assert refused(client.get(f"{address}?{quote(parameter + chr(0))}=x"))


def test_tab_line_feed_and_carriage_return_are_ordinary_text(world: dict[str, Any]) -> None:
    client = signed_in(world["people"]["member"].user)
    response = client.get(url_for("voice:ideas", world), {"q": "job\tfair\r\nin May"})
    assert response.status_code == 200


@pytest.mark.parametrize("character", ["\x00", "\x1b"])
def test_a_form_with_a_control_character_saves_nothing(character: str, world: dict[str, Any]) -> None:
    client = signed_in(world["people"]["member"].user)
    count = Idea.objects.count()
    address = reverse("voice:idea-new", kwargs={"slug": world["partnership"].slug})
    form = {"title": f"Breakfast club{character}", "body": "Before school, on the bus route."}
    assert refused(client.post(address, form))
    assert refused(client.post(address, form, headers={"HX-Request": "true"}))
    assert Idea.objects.count() == count
    # The same form without it is saved.
    response = client.post(address, {**form, "title": "Breakfast club"})
    assert response.status_code == 302 and Idea.objects.count() == count + 1


def test_nul_in_the_address_is_refused(world: dict[str, Any]) -> None:
    client = signed_in(world["people"]["member"].user)
    assert refused(client.get("/p/here%00/"))
    assert refused(Client().get("/accounts/login/", {"next": "/\x00"}))
