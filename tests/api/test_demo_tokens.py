"""The demo prints a working API token for a coordinator and a member beside their sign-in lines."""

from __future__ import annotations

import re

import pytest

from coproduce.api import demo as api_demo
from coproduce.api.models import AccessToken
from coproduce.demo_data import sign_in_lines
from coproduce.partnerships import demo as partnerships_demo
from coproduce.partnerships.demo import DemoContext
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db


def test_the_demo_tokens_are_printed_and_work() -> None:
    ctx = DemoContext()
    partnerships_demo.load(ctx)
    api_demo.load(ctx)
    api_demo.load(ctx)  # a second run adds nothing
    assert AccessToken.objects.count() == 2
    lines = sign_in_lines()
    token_lines = [line for line in lines if re.search(r"cpt_\S+", line)]
    assert len(token_lines) == 2
    by_email = {line.split()[-2]: line.split()[-1] for line in token_lines}
    assert set(by_email) == {"morag@riverside.example", "aisha@riverside.example"}
    roles = {email: ApiClient(secret).get("/api/v1/me").json()["roles"] for email, secret in by_email.items()}
    assert roles == {"morag@riverside.example": ["coordinator"], "aisha@riverside.example": ["member"]}
    assert not any(secret in str(AccessToken.objects.values_list()) for secret in by_email.values())


def test_a_revoked_demo_token_is_made_again() -> None:
    ctx = DemoContext()
    partnerships_demo.load(ctx)
    api_demo.load(ctx)
    AccessToken.objects.update(revoked_at="2020-01-01T00:00:00Z")
    api_demo.load(ctx)
    assert [token.usable() for token in AccessToken.objects.all()] == [True, True]
