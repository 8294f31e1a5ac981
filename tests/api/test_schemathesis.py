"""The OpenAPI description fuzzed against the live API: for every operation it lists (the capabilities' too, once
registered), schemathesis makes requests from the schema and checks that none is a server error and that every
answer matches the description (status, content type, body). It runs with a member's read and write token and
a coordinator's, on a world where the path's partnership is the token's about half the time."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from importlib import import_module
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from coproduce.api.services import limits
from coproduce.wsgi import application
from tests.api.conftest import api_world_for
from tests.api.test_api_access import API_TABLES

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

CHECKS = [
    schemathesis.checks.not_a_server_error,
    response_schema_conformance,
    content_type_conformance,
]


@pytest.fixture
def fuzz_world(db: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    # The WSGI handler would close the test's connection (and its transaction) at each request's end.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    # Many requests a second: the limits are tested on their own (test_limits.py).
    monkeypatch.setattr(limits, "READS_PER_MINUTE", 10**6)
    monkeypatch.setattr(limits, "WRITES_PER_MINUTE", 10**6)
    world = api_world_for("here")
    for module in API_TABLES:
        import_module(module).build(world)
    yield world
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_as_its_description_says(case: Any, fuzz_world: dict[str, Any]) -> None:
    if (
        "slug" in (case.path_parameters or {})
        and zlib.crc32(repr(sorted(case.path_parameters.items())).encode()) % 2 == 0
    ):
        case.path_parameters["slug"] = fuzz_world["partnership"].slug
    for role in ("member", "coordinator"):
        case.call_and_validate(headers={"Authorization": f"Bearer {fuzz_world['tokens'][role]}"}, checks=CHECKS)
