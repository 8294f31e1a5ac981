"""The directory as an Open Referral UK API at /open/<slug>/oruk/: pages and search of /services and each
service at /services/{id}, valid against the standard's schemas, for anyone and with no key once the partnership
publishes open data; nothing about referrals or the people who use them, and no contact's own name."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from jsonschema import Draft202012Validator, FormatChecker

from coproduce.partnerships.models import Partnership
from coproduce.support import openreferral
from coproduce.support.models import Service, ServiceLocation
from tests.factories import OrganisationFactory
from tests.reports.access_open import publish

pytestmark = pytest.mark.django_db

SCHEMAS = Path(openreferral.__file__).parent / "schemas" / "openreferral-uk"
# The page fields of the standard's OpenAPI description (components/schemas/Page), all given by us.
PAGE_FIELDS = {
    "total_items": int,
    "total_pages": int,
    "page_number": int,
    "size": int,
    "first_page": bool,
    "last_page": bool,
    "empty": bool,
}


def schema_validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(json.loads((SCHEMAS / name).read_text()), format_checker=FormatChecker())


def schema_problems(validator: Draft202012Validator, data: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]


def page_problems(page: dict[str, Any]) -> list[str]:
    """Where an answer of /services breaks the standard: its page fields, then each item (service_list.json)."""
    problems = [
        f"{name}: missing or not {kind.__name__}"
        for name, kind in PAGE_FIELDS.items()
        if type(page.get(name)) is not kind
    ]
    if not isinstance(page.get("contents"), list):
        return [*problems, "contents: not a list"]
    item = schema_validator("service_list.json")
    for index, service in enumerate(page["contents"]):
        problems += [f"contents/{index}/{p}" for p in schema_problems(item, service)]
    return problems


@pytest.fixture
def directory() -> dict[str, Any]:
    partnership = Partnership.objects.create(name="Riverside", slug="riverside")
    college = OrganisationFactory(partnership=partnership, name="Riverside College")
    services = [
        Service.objects.create(
            partnership=partnership,
            organisation=college,
            name=name,
            description=description,
            contact_name="Euan Ross",
            email="courses@college.example",
            phone="0141 496 0000",
        )
        for name, description in [
            ("Maths in school hours", "Short maths courses between 9.30 and 2.30."),
            ("Money advice", "Help with benefits and debt."),
            ("Childcare places", "Funded places for two-year-olds."),
        ]
    ]
    ServiceLocation.objects.create(service=services[0], name="College", address="1 High Street", postcode="G1 1AA")
    Service.objects.create(
        partnership=partnership, organisation=college, name="Closed course", description="Gone.", active=False
    )
    imported = Service.objects.create(
        partnership=partnership,
        organisation=college,
        name="Imported service",
        description="From another directory.",
        external_id="0b8e7d3a-5a8f-4c73-9a47-0f4cfe3b1d11",
    )
    publish(partnership)
    return {"partnership": partnership, "services": services, "imported": imported}


def _get(name: str, **params: Any) -> Any:
    kwargs = {"slug": "riverside", **params.pop("kwargs", {})}
    return Client().get(reverse(f"support:{name}", kwargs=kwargs), params)


def test_the_root_says_which_standard(directory: dict[str, Any]) -> None:
    response = _get("oruk-root")
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    assert data["version"].startswith("3.") and data["profile"].startswith("https://")
    assert data["services_url"].endswith("/open/riverside/oruk/services")


def test_the_list_is_valid_and_holds_only_active_services(directory: dict[str, Any]) -> None:
    response = _get("oruk-services")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*" and "Set-Cookie" not in response.headers
    page = response.json()
    assert page_problems(page) == []
    assert [s["name"] for s in page["contents"]] == [
        "Childcare places",
        "Imported service",
        "Maths in school hours",
        "Money advice",
    ]
    assert (page["total_items"], page["total_pages"], page["first_page"], page["last_page"]) == (4, 1, True, True)


def test_pages(directory: dict[str, Any]) -> None:
    first = _get("oruk-services", per_page=3).json()
    second = _get("oruk-services", per_page=3, page=2).json()
    beyond = _get("oruk-services", per_page=3, page=9).json()
    assert (first["size"], first["total_pages"], first["first_page"], first["last_page"]) == (3, 2, True, False)
    assert (second["size"], second["page_number"], second["first_page"], second["last_page"]) == (1, 2, False, True)
    assert beyond["empty"] and beyond["contents"] == [] and page_problems(beyond) == []
    names = [s["name"] for s in first["contents"] + second["contents"]]
    assert len(set(names)) == 4


def test_at_most_a_hundred_a_page(directory: dict[str, Any]) -> None:
    page = _get("oruk-services", per_page=5000).json()
    assert page["total_pages"] == 1 and page["size"] == 4


@pytest.mark.parametrize("params", [{"page": "0"}, {"page": "two"}, {"per_page": "-1"}, {"page": "1" * 40}])
def test_a_page_that_is_not_a_whole_number_is_refused_by_name(
    directory: dict[str, Any], params: dict[str, str]
) -> None:
    response = _get("oruk-services", **params)
    assert response.status_code == 400
    assert response.json()["field"] == next(iter(params))


@pytest.mark.parametrize(
    ("param", "text", "found"),
    [
        ("text", "debt", ["Money advice"]),
        ("search", "MATHS", ["Maths in school hours"]),
        ("text", "nothing like it", []),
    ],
)
def test_search_on_name_and_description(directory: dict[str, Any], param: str, text: str, found: list[str]) -> None:
    page = _get("oruk-services", **{param: text}).json()
    assert [s["name"] for s in page["contents"]] == found
    assert page["total_items"] == len(found) and page["empty"] == (not found)


def test_each_service_by_its_id_is_valid_and_names_no_contact(directory: dict[str, Any]) -> None:
    validator = schema_validator("service.json")
    for listed in _get("oruk-services").json()["contents"]:
        response = _get("oruk-service", kwargs={"service_id": listed["id"]})
        assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
        service = response.json()
        assert schema_problems(validator, service) == []
        assert service["id"] == listed["id"] and service["name"] == listed["name"]
        assert "Euan Ross" not in response.content.decode()
    imported = _get("oruk-service", kwargs={"service_id": directory["imported"].external_id}).json()
    assert imported["name"] == "Imported service"
    maths = _get(
        "oruk-service", kwargs={"service_id": openreferral.service_id(directory["services"][0], "riverside")}
    ).json()
    assert maths["contacts"][0]["phones"][0]["number"] == "0141 496 0000"
    assert maths["service_at_locations"][0]["location"]["addresses"][0]["postal_code"] == "G1 1AA"


def test_unknown_and_inactive_services_are_missing(directory: dict[str, Any]) -> None:
    closed = Service.objects.get(name="Closed course")
    for service_id in ["not-an-id", openreferral.service_id(closed, "riverside")]:
        assert _get("oruk-service", kwargs={"service_id": service_id}).status_code == 404


def test_everything_is_missing_when_open_data_is_off(directory: dict[str, Any]) -> None:
    Partnership.objects.filter(pk=directory["partnership"].pk).update(open_data=False)
    service_id = openreferral.service_id(directory["services"][0], "riverside")
    for response in [_get("oruk-root"), _get("oruk-services"), _get("oruk-service", kwargs={"service_id": service_id})]:
        assert response.status_code == 404


def test_the_list_keeps_to_a_few_queries(directory: dict[str, Any], django_assert_max_num_queries: Any) -> None:
    Service.objects.bulk_create(
        Service(
            partnership=directory["partnership"],
            organisation=directory["services"][0].organisation,
            name=f"S{n}",
            description="x",
        )
        for n in range(30)
    )
    with django_assert_max_num_queries(6):
        assert _get("oruk-services").status_code == 200


def test_only_reading(directory: dict[str, Any]) -> None:
    response = Client().post(reverse("support:oruk-services", kwargs={"slug": "riverside"}))
    assert response.status_code == 405
