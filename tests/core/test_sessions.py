"""The session store reads sessions with its own SQL; these tests hold it to Django's database store."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coproduce.core.sessions import SessionStore

pytestmark = pytest.mark.django_db


def saved(**data: Any) -> str:
    store = DjangoStore()
    store.update(data)
    store.save()
    assert store.session_key is not None
    return store.session_key


def test_a_session_reads_as_djangos_store_reads_it() -> None:
    key = saved(_auth_user_id="7", note="Grüße – 🙂", numbers=[1, 2, 3])
    ours, django = SessionStore(key), DjangoStore(key)
    expected = {"_auth_user_id": "7", "note": "Grüße – 🙂", "numbers": [1, 2, 3]}
    assert dict(ours.items()) == dict(django.items()) == expected
    assert ours.session_key == key


def test_an_expired_session_is_empty_and_gets_a_new_key_when_saved() -> None:
    key = saved(_auth_user_id="7")
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    store = SessionStore(key)
    assert dict(store.items()) == dict(DjangoStore(key).items()) == {}
    assert store.session_key is None
    store["fresh"] = True
    store.save()
    assert store.session_key not in (None, key)


@pytest.mark.parametrize("key", ["", "no-such-session-key-0123456789abcdef", "x' OR '1'='1"])
def test_a_missing_or_forged_key_gives_an_empty_session(key: str) -> None:
    saved(_auth_user_id="7")
    store = SessionStore(key or None)
    assert dict(store.items()) == {}
    assert store.session_key is None


@pytest.mark.parametrize("key", ["abcdefgh\x00ijklmnop", "abcdefgh\x1bijklmnop"])
def test_a_session_cookie_with_a_control_character_is_no_session_not_an_error(key: str) -> None:
    assert dict(SessionStore(key).items()) == {}
    client = Client(raise_request_exception=False)
    client.cookies[settings.SESSION_COOKIE_NAME] = key
    assert client.get(reverse("account_login")).status_code == 200


def test_tampered_data_gives_an_empty_session(caplog: Any) -> None:
    key = saved(_auth_user_id="7")
    Session.objects.filter(session_key=key).update(session_data="not-signed-data")
    assert dict(SessionStore(key).items()) == dict(DjangoStore(key).items()) == {}


def test_signing_in_and_out_uses_it(client: Any, member: Any) -> None:
    from django.conf import settings

    assert settings.SESSION_ENGINE == "coproduce.core.sessions"
    client.force_login(member.user)
    assert client.get(f"/p/{member.partnership.slug}/").status_code == 200
    client.logout()
    assert client.get(f"/p/{member.partnership.slug}/").status_code == 302


# --- The person read with the session (ADR 16) ----------------------------------------------------


def _person_reads(queries: Any) -> list[str]:
    """The queries that read the accounts table: with the session (one query) or on their own."""
    return [q["sql"] for q in queries if "accounts_user" in q["sql"]]


def test_once_a_process_has_read_a_session_the_person_comes_with_it(member: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.conftest import signed_in

    client = signed_in(member.user)
    home = f"/p/{member.partnership.slug}/"
    with CaptureQueriesContext(connection) as first:
        assert client.get(home).status_code == 200
    with CaptureQueriesContext(connection) as second:
        response = client.get(home)
    assert response.status_code == 200 and response.wsgi_request.user == member.user
    reads = _person_reads(second)
    assert len(reads) == 1 and "django_session" in reads[0]  # one query for both
    assert [sql for sql in second if "django_session" in sql["sql"]] == [q for q in second if q["sql"] in reads]
    first_reads = _person_reads(first)
    assert len(first_reads) == 1 and "django_session" not in first_reads[0]  # the first time: on their own


def test_a_person_read_with_the_session_is_still_checked(member: Any) -> None:
    from django.contrib.auth import get_user_model

    from tests.conftest import signed_in

    home = f"/p/{member.partnership.slug}/"
    client = signed_in(member.user)
    assert client.get(home).status_code == 200
    get_user_model().objects.filter(pk=member.user.pk).update(is_active=False)
    assert client.get(home).status_code == 302  # an inactive account is not signed in
    client = signed_in(member.user)  # (force_login does not check)
    get_user_model().objects.filter(pk=member.user.pk).update(is_active=True)
    assert client.get(home).status_code == 200
    get_user_model().objects.filter(pk=member.user.pk).update(password="changed-elsewhere")
    assert client.get(home).status_code == 302  # the session no longer matches the password


def test_a_wrong_guess_of_whose_session_it_is_reads_the_right_person(member: Any, worker: Any) -> None:
    from coproduce.core import sessions
    from tests.conftest import signed_in

    client = signed_in(member.user)
    home = f"/p/{member.partnership.slug}/"
    assert client.get(home).status_code == 200
    key = client.cookies["sessionid"].value
    assert sessions._hints[key] == member.user.pk
    sessions._hints[key] = worker.user.pk  # as if the process had it wrong
    response = client.get(home)
    assert response.status_code == 200 and response.wsgi_request.user == member.user
    assert sessions._hints[key] == member.user.pk
    assert sessions.take_person(worker.user.pk) is None  # nothing was handed on


def test_the_person_is_handed_on_once_and_only_to_the_session_that_read_it(member: Any) -> None:
    from coproduce.core import sessions

    key = saved(_auth_user_id=str(member.user.pk))
    sessions._hints[key] = member.user.pk
    store = SessionStore(key)
    assert store.get("_auth_user_id") == str(member.user.pk)
    assert sessions.take_person(member.user.pk) == member.user
    assert sessions.take_person(member.user.pk) is None
    SessionStore(saved(note="nobody signed in")).load()
    assert sessions.take_person(member.user.pk) is None
