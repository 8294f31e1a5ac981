"""Rows of the URL × role table in tests/test_url_access.py: the API token pages (everyone's own tokens)."""

from __future__ import annotations

from typing import Any

from coproduce.api.services.tokens import token_create

_PAGE = {"anonymous": 302, "outsider": 404, "staff_no_mfa": 302}
_IN = ["member", "observer", "worker", "partner_lead", "coordinator"]

ROWS: dict[str, dict[str, int]] = {
    "api:tokens": {**_PAGE, **dict.fromkeys(_IN, 200)},
    # The member's token: only she finds it; to anyone else it is missing.
    "api:token": {**_PAGE, **dict.fromkeys(_IN, 404), "member": 200},
    # POST only: a GET is refused with 405 before the token is looked up (a POST for another's token is a 404).
    "api:token-revoke": {**_PAGE, **dict.fromkeys(_IN, 405)},
}


def build(world: dict[str, Any]) -> dict[str, dict[str, Any]]:
    token = token_create(actor=world["people"]["member"], name="Script", scope="read", days=5).token
    return {"api:token": {"token_id": token.pk}, "api:token-revoke": {"token_id": token.pk}}
