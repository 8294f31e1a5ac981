"""Every error is a problem (RFC 9457): bad bodies name the field, a read token cannot write, a body over the
limit is refused before it is read. A small API of test endpoints, built by the same ``build_api``, stands in
for a capability's router."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.http import HttpRequest
from ninja import Status
from ninja.testing import TestClient

from coproduce.api.framework import Input, build_api, router, writer
from coproduce.api.services import limits
from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.partnerships.models import Membership
from tests.api.conftest import ApiClient, make_token

pytestmark = pytest.mark.django_db

things = router("things")


class ThingIn(Input):
    name: str
    count: int


@things.post("/partnerships/{slug}/things", response={201: dict[str, Any]})
def make_thing(request: HttpRequest, slug: str, payload: ThingIn) -> Status:
    writer(request, slug)
    if payload.name == "taken":
        raise ServiceError("That name is taken.", field="name")
    if payload.name == "secret":
        raise NotPermitted()
    return Status(201, {"name": payload.name})


TEST_API = build_api(urls_namespace="tests-things", routers=[("things", things)])


def post(member: Membership, body: Any, *, scope: str = "write", raw: bool = False) -> Any:
    client = TestClient(TEST_API, headers={"Authorization": f"Bearer {make_token(member, scope=scope)}"})
    data: Any = body if raw else json.dumps(body)  # the test client sends a text body as it is
    return client.post(f"/partnerships/{member.partnership.slug}/things", data=data, content_type="application/json")


def problem(response: Any) -> dict[str, Any]:
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = json.loads(response.content)
    assert body["status"] == response.status_code
    return body


def fields(response: Any) -> dict[str, str]:
    return {error["field"]: error["message"] for error in problem(response)["errors"]}


def test_a_good_body_is_taken(member: Membership) -> None:
    response = post(member, {"name": "Tea", "count": 2})
    assert response.status_code == 201 and json.loads(response.content) == {"name": "Tea"}


def test_an_unknown_field_is_refused_by_name(member: Membership) -> None:
    response = post(member, {"name": "Tea", "count": 2, "colour": "red"})
    assert response.status_code == 400
    assert set(fields(response)) == {"colour"}


def test_a_wrong_type_or_a_missing_field_is_named(member: Membership) -> None:
    wrong = post(member, {"name": "Tea", "count": "many"})
    assert wrong.status_code == 400 and set(fields(wrong)) == {"count"}
    missing = post(member, {"count": 1})
    assert missing.status_code == 400 and set(fields(missing)) == {"name"}


def test_malformed_json_is_a_400_problem(member: Membership) -> None:
    response = post(member, '{"name": ', raw=True)
    assert response.status_code == 400
    problem(response)


def test_a_service_refusal_names_its_field(member: Membership) -> None:
    response = post(member, {"name": "taken", "count": 1})
    assert response.status_code == 400 and fields(response) == {"name": "That name is taken."}


def test_out_of_reach_is_a_404_problem(member: Membership) -> None:
    assert post(member, {"name": "secret", "count": 1}).status_code == 404


def test_a_read_token_cannot_write(member: Membership) -> None:
    response = post(member, {"name": "Tea", "count": 2}, scope="read")
    assert response.status_code == 403 and "only reads" in problem(response)["detail"]


def test_operation_ids_carry_the_router_prefix_and_errors_are_declared() -> None:
    operation = TEST_API.get_openapi_schema(path_prefix="")["paths"]["/partnerships/{slug}/things"]["post"]
    assert operation["operationId"] == "things_make_thing"
    for status in ("400", "401", "403", "404", "413", "429"):
        assert "application/problem+json" in operation["responses"][status]["content"]


def test_a_body_over_64_kib_is_refused_before_it_is_read(member: Membership) -> None:
    client = ApiClient(make_token(member))
    big = json.dumps({"name": "x" * (65 * 1024)})
    response = client.post("/api/v1/me", data=big, content_type="application/json")
    assert response.status_code == 413
    assert "64 KiB" in problem(response)["detail"]
    small = client.post("/api/v1/me", data=json.dumps({"name": "x"}), content_type="application/json")
    assert small.status_code == 405  # heard, and refused for its method (a GET-only address), as a problem
    assert problem(small)["status"] == 405 and small["Allow"] == "GET"


def test_writes_are_counted_apart_from_reads(member: Membership, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "WRITES_PER_MINUTE", 1)
    secret = make_token(member)
    client = TestClient(TEST_API, headers={"Authorization": f"Bearer {secret}"})
    url = f"/partnerships/{member.partnership.slug}/things"
    body = {"name": "Tea", "count": 2}
    assert client.post(url, json=body).status_code == 201
    refused = client.post(url, json=body)
    assert refused.status_code == 429 and refused["Retry-After"]
    assert ApiClient(secret).get("/api/v1/me").status_code == 200


def test_answers_given_before_the_api_are_problems_too(client: Any, member: Membership) -> None:
    # A control character is refused by the site's middleware before the API sees the request, and an address
    # the API does not have is answered by the site's 404 handler: an API client still gets problem details.
    token = make_token(member, scope="read")
    refused = client.get("/api/v1/partnerships?q=a%1Cb", headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 400
    assert "control character" in problem(refused)["detail"]
    assert problem(client.get("/api/v1/nothing-here"))["status"] == 404
    # The pages keep their HTML.
    page = client.get("/p/nowhere/?q=a%1Cb")
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")
