"""The PostgreSQL backend's health check: no round trip for a connection the server still holds, and a new
connection when the server has ended the old one (a restart, an administrator, a timeout)."""

from __future__ import annotations

import time
from typing import Any

import psycopg
import pytest
from django.db import connection, connections

from coproduce.core.postgresql import base

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL backend is tested on PostgreSQL"),
]


def new_request() -> None:
    """What Django does between two requests: the next query checks the connection first."""
    connection.close_if_unusable_or_obsolete()
    assert connection.health_check_done is False  # type: ignore[attr-defined]  # not in django-stubs yet


def test_the_backend_is_in_use_with_health_checks_on() -> None:
    assert isinstance(connections["default"], base.DatabaseWrapper)
    connection.ensure_connection()
    assert connection.health_check_enabled  # type: ignore[attr-defined]  # not in django-stubs yet


def test_a_connection_the_server_still_holds_is_not_asked(monkeypatch: Any) -> None:
    connection.ensure_connection()
    asked: list[bool] = []

    def is_usable(self: base.DatabaseWrapper) -> bool:
        asked.append(True)
        return True

    monkeypatch.setattr(base.DatabaseWrapper, "is_usable", is_usable)
    held = connection.connection
    new_request()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    assert asked == [] and connection.connection is held and connection.health_check_done  # type: ignore[attr-defined]


def test_a_connection_in_the_middle_of_something_is_asked(monkeypatch: Any) -> None:
    connection.ensure_connection()
    raw = connection.connection
    raw.autocommit = False
    try:
        raw.execute("SELECT 1")  # a transaction is open
        assert base.quiet(raw) is False
    finally:
        raw.rollback()
        raw.autocommit = True
    assert base.quiet(raw) is True


def test_a_connection_the_server_ended_is_replaced_before_the_next_query() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (first_pid,) = cursor.fetchone()
    settings = connection.get_connection_params()
    settings.pop("cursor_factory", None)
    settings.pop("context", None)
    with psycopg.connect(**settings, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [first_pid])
    deadline = time.monotonic() + 5
    while base.quiet(connection.connection) and time.monotonic() < deadline:
        time.sleep(0.01)  # the server's goodbye arrives on the socket
    assert not base.quiet(connection.connection)
    new_request()
    with connection.cursor() as cursor:  # no error: the check replaced the connection
        cursor.execute("SELECT pg_backend_pid()")
        (second_pid,) = cursor.fetchone()
    assert second_pid != first_pid
