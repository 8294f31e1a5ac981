"""The sign-in backend loads the person with its own SQL; these tests hold it to allauth's (Django's) lookup."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.conf import settings
from django.contrib.auth import get_user_model

from coproduce.accounts.backends import AuthenticationBackend
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def columns(user: Any) -> Any:
    if user is None:
        return None
    return {f.attname: getattr(user, f.attname) for f in user._meta.concrete_fields}


def test_the_person_loaded_is_the_one_allauth_loads() -> None:
    active = UserFactory(display_name="Zofia Quinlan-Abara")
    inactive = UserFactory(is_active=False)
    ours, theirs = AuthenticationBackend(), AllauthBackend()
    for user_id in (active.pk, str(active.pk), inactive.pk, 987654, None):
        assert columns(ours.get_user(user_id)) == columns(theirs.get_user(user_id)), user_id
    assert ours.get_user("not-a-number") is None  # Django's lookup raises here; a session can't hold one unforged
    loaded = ours.get_user(str(active.pk))
    assert loaded is not None and loaded.display_name == "Zofia Quinlan-Abara"
    assert loaded.check_password(PASSWORD)
    assert ours.get_user(inactive.pk) is None


def test_it_is_the_sign_in_backend(client: Any) -> None:
    assert "coproduce.accounts.backends.AuthenticationBackend" in settings.AUTHENTICATION_BACKENDS
    assert "allauth.account.auth_backends.AuthenticationBackend" not in settings.AUTHENTICATION_BACKENDS
    user = UserFactory()
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_backend"] == "coproduce.accounts.backends.AuthenticationBackend"
    assert get_user_model().objects.get(pk=client.session["_auth_user_id"]) == user
