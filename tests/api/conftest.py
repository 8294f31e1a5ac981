"""A partnership with a person in each role, each holding a read and write token (and the member a read one)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from coproduce.api.services.tokens import token_create
from coproduce.partnerships.models import Membership
from tests.factories import MembershipFactory, PartnershipFactory, staff_membership


def make_token(membership: Membership, *, scope: str = "write", days: int = 30, name: str = "tests") -> str:
    return token_create(actor=membership, name=name, scope=scope, days=days).secret


class ApiClient(Client):
    """A test client that sends a token with every request, and JSON bodies."""

    def __init__(self, secret: str | None = None, **defaults: Any) -> None:
        if secret:
            defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
        super().__init__(**defaults)


def api_world_for(slug: str = "here") -> dict[str, Any]:
    partnership = PartnershipFactory(slug=slug)
    people = {
        "member": MembershipFactory(partnership=partnership, is_member=True),
        "observer": MembershipFactory(partnership=partnership, is_member=False, is_observer=True),
        "worker": staff_membership(partnership, role="worker"),
        "partner_lead": staff_membership(partnership, role="partner_lead"),
        "coordinator": staff_membership(partnership, role="coordinator"),
        "outsider": MembershipFactory(partnership=PartnershipFactory(slug=f"{slug}-not"), is_member=True),
    }
    observer = people["observer"]
    tokens: dict[str, str | None] = {role: make_token(m) for role, m in people.items() if role != "observer"}
    tokens["observer"] = make_token(observer, scope="read")
    tokens["read_only"] = make_token(people["member"], scope="read", name="read only")
    tokens["anonymous"] = None
    return {"partnership": partnership, "people": people, "tokens": tokens}


@pytest.fixture
def api_world(db: None) -> dict[str, Any]:
    return api_world_for()
