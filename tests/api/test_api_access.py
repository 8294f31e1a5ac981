"""Every operation of the API, for every role: the status each gets (the URL × role table, for the API).

The table must name every operation in the OpenAPI description; a new operation without a row fails, so
nobody can add an endpoint without deciding who may use it.

How a capability adds its rows (one module per app, listed in ``API_TABLES``, e.g. ``tests/api/access_voice.py``):

    ROWS: dict[str, dict[str, int]] = {
        # operationId -> role -> status; tests/api/roles.py has the shared rows (READ, TAKING_PART,
        # taking_part(201), only(...), everyone(...)) and the roles:
        # anonymous (no token), member, observer (a read token: observers only read), worker, partner_lead,
        # coordinator (read and write tokens for "here"), outsider (a member of another partnership with a
        # token for it), read_only (the member's read token).
        "voice_list_ideas": READ,
        "voice_create_idea": taking_part(201),
    }

    def build(world) -> dict[str, dict[str, Any]]:
        # operationId -> the path parameters (``slug`` is the partnership's unless given) and, for a write,
        # an optional ``"json"`` body. ``world`` has "partnership", "people" (role -> Membership, as above)
        # and "tokens" (role -> secret); make what your operations need with your own services.
        idea = voice_services.idea_create(actor=world["people"]["member"], title="A", body="B")
        return {"voice_get_idea": {"idea_id": idea.pk}, "voice_create_idea": {"json": {"title": "T", "body": "B"}}}

Each role's walk runs in a fresh world, every operation in the order of the description (a write may follow
a read of the same thing). Each error must be a problem (``application/problem+json``)."""

from __future__ import annotations

import re
from importlib import import_module
from typing import Any

import pytest

from coproduce.api.framework import api_v1
from tests.api.conftest import ApiClient, api_world_for
from tests.api.roles import ROLES

API_TABLES = [
    "tests.api.access_core",
    "tests.api.access_voice",
    "tests.api.access_conversations",
    "tests.api.access_fund",
    "tests.api.access_decisions",
    "tests.api.access_learning",
    "tests.api.access_evaluation",
    "tests.api.access_commitments",
]

EXPECTED: dict[str, dict[str, int]] = {}
for _module in API_TABLES:
    _rows = import_module(_module).ROWS
    assert not set(_rows) & set(EXPECTED), f"{_module} repeats rows: {sorted(set(_rows) & set(EXPECTED))}"
    EXPECTED.update(_rows)


def operations() -> list[tuple[str, str, str]]:
    """(operationId, method, path) of every operation, with the description itself as ``openapi_json``."""
    schema = api_v1().get_openapi_schema()
    found = [("openapi_json", "get", "/api/v1/openapi.json")]
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            found.append((operation["operationId"], method, path))
    return found


def test_every_operation_is_in_the_table() -> None:
    ids = [operation_id for operation_id, _, _ in operations()]
    assert len(ids) == len(set(ids)), "two operations share an operationId"
    missing = sorted(set(ids) - set(EXPECTED))
    stale = sorted(set(EXPECTED) - set(ids))
    assert not missing, f"operations with no row in the API's access table: {missing}"
    assert not stale, f"rows for operations that no longer exist: {stale}"
    incomplete = sorted(name for name, row in EXPECTED.items() if set(row) != set(ROLES))
    assert not incomplete, f"rows without a status for every role: {incomplete}"


def fill(path: str, params: dict[str, Any]) -> str:
    def value(match: re.Match[str]) -> str:
        return str(params[match.group(1)])

    return re.sub(r"\{(\w+)\}", value, path)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer_from_every_operation(role: str, db: None) -> None:
    world = api_world_for("here")
    built: dict[str, dict[str, Any]] = {}
    for module in API_TABLES:
        built.update(import_module(module).build(world))
    client = ApiClient(world["tokens"][role])
    wrong = []
    for operation_id, method, path in operations():
        params = {"slug": world["partnership"].slug, **built.get(operation_id, {})}
        body = params.pop("json", None)
        url = fill(path, params)
        if body is None:
            response = getattr(client, method)(url)
        else:
            response = getattr(client, method)(url, data=body, content_type="application/json")
        expected = EXPECTED[operation_id][role]
        if response.status_code != expected:
            wrong.append(f"{operation_id} ({method.upper()} {url}): expected {expected}, got {response.status_code}")
        elif response.status_code >= 400 and response["Content-Type"] != "application/problem+json":
            wrong.append(f"{operation_id}: a {response.status_code} that is not a problem")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)
