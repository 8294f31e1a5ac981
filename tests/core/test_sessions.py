"""The session store reads sessions with its own SQL; these tests hold it to Django's database store."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
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
