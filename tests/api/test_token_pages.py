"""The token pages: make a token (shown once), see it and its uses, revoke it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from coproduce.api.models import AccessToken
from coproduce.partnerships.models import Membership
from tests.api.conftest import ApiClient
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def test_a_member_makes_a_token_sees_it_once_and_it_works(member: Membership) -> None:
    client = signed_in(member.user)
    url = reverse("api:tokens", kwargs={"slug": member.partnership.slug})
    response = client.post(url, {"name": "My spreadsheet", "scope": "write", "days": "30"})
    assert response.status_code == 200
    secret = re.search(rb'value="(cpt_[^"]+)"', response.content)
    assert secret is not None
    token = AccessToken.objects.get()
    assert token.scope == "write" and token.name == "My spreadsheet"
    assert ApiClient(secret.group(1).decode()).get("/api/v1/me").status_code == 200
    again = client.get(url)
    assert secret.group(1) not in again.content and token.prefix.encode() in again.content
    detail = client.get(reverse("api:token", kwargs={"slug": member.partnership.slug, "token_id": token.pk}))
    assert b"/api/v1/me" in detail.content  # its recent use


def test_a_bad_form_says_what_is_wrong(member: Membership) -> None:
    client = signed_in(member.user)
    url = reverse("api:tokens", kwargs={"slug": member.partnership.slug})
    response = client.post(url, {"name": "", "scope": "write", "days": "400"})
    assert response.status_code == 200 and not AccessToken.objects.exists()
    assert b"Give the token a name." in response.content


def test_an_observer_can_only_make_a_read_token(observer: Membership) -> None:
    client = signed_in(observer.user)
    url = reverse("api:tokens", kwargs={"slug": observer.partnership.slug})
    assert b'value="write"' not in client.get(url).content
    client.post(url, {"name": "Sneaky", "scope": "write", "days": "30"})
    assert not AccessToken.objects.exists()
    client.post(url, {"name": "Reader", "scope": "read", "days": "30"})
    assert AccessToken.objects.get().scope == "read"


def test_revoking_stops_the_token(member: Membership, worker: Membership) -> None:
    client = signed_in(member.user)
    slug = member.partnership.slug
    response = client.post(reverse("api:tokens", kwargs={"slug": slug}), {"name": "A", "scope": "read", "days": "5"})
    secret = re.search(rb'value="(cpt_[^"]+)"', response.content)
    assert secret is not None
    token = AccessToken.objects.get()
    revoke = reverse("api:token-revoke", kwargs={"slug": slug, "token_id": token.pk})
    assert signed_in(worker.user).post(revoke).status_code == 404  # not theirs
    assert client.post(revoke).status_code == 302
    assert ApiClient(secret.group(1).decode()).get("/api/v1/me").status_code == 401
