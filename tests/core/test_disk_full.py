"""A full disk: the write fails, the person sees the plain error page, and nothing is acknowledged that was
not stored (no success message, no row, no half of one). Simulated on SQLite by capping the database's size
(``PRAGMA max_page_count``), which fails writes with the same error as a full disk (SQLITE_FULL)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from coproduce.voice.models import Idea
from tests.factories import MembershipFactory, PartnershipFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the disk is filled through SQLite's size cap"),
]


@pytest.fixture
def full_disk() -> Iterator[None]:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA max_page_count")
        (before,) = cursor.fetchone()
        # Pages freed by a migration that dropped a table would take new rows without growing the file:
        # use them up first (rolled back with the test's transaction).
        cursor.execute("PRAGMA freelist_count")
        (free,) = cursor.fetchone()
        if free:
            cursor.execute("PRAGMA page_size")
            (size,) = cursor.fetchone()
            cursor.execute("CREATE TABLE disk_full_filler (x BLOB)")
            cursor.execute("INSERT INTO disk_full_filler VALUES (zeroblob(%s))", [int(free) * int(size)])
        cursor.execute("PRAGMA page_count")
        (used,) = cursor.fetchone()
        cursor.execute(f"PRAGMA max_page_count = {int(used)}")
    yield
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA max_page_count = {int(before)}")


def test_nothing_is_acknowledged_that_is_not_stored(full_disk: Any) -> None:
    membership = MembershipFactory(partnership=PartnershipFactory(), is_member=True)
    client = Client(raise_request_exception=False)
    client.force_login(membership.user, backend="coproduce.accounts.backends.AuthenticationBackend")
    address = reverse("voice:idea-new", kwargs={"slug": membership.partnership.slug})
    ideas = Idea.objects.count()
    # A long idea needs new pages in the database file, which a full disk cannot give.
    body = "Breakfast club before school, on the bus route. " * 100
    response = client.post(address, {"title": "Breakfast club", "body": body[:5000]})
    assert response.status_code == 500
    assert "Sorry, something went wrong" in response.content.decode()
    assert Idea.objects.count() == ideas
    # No success message waits for the next page either.
    following = client.get(reverse("voice:ideas", kwargs={"slug": membership.partnership.slug}))
    assert "Your idea is" not in following.content.decode()
