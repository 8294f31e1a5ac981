"""The directory in Open Referral UK JSON: our export is valid against the standard's schema, and an import
of it (into another partnership with the same organisations) gives the same services."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from coproduce.core.exceptions import NotPermitted
from coproduce.core.models import AuditEvent
from coproduce.support import openreferral, services
from coproduce.support.defaults import ensure_defaults
from coproduce.support.models import NeedTag, Service, ServiceLocation
from tests.factories import OrganisationFactory, PartnershipFactory, staff_membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory() -> dict[str, Any]:
    partnership = PartnershipFactory()
    ensure_defaults(partnership)
    college = OrganisationFactory(partnership=partnership, name="Riverside College")
    service = Service.objects.create(
        partnership=partnership,
        organisation=college,
        name="Maths in school hours",
        description="Short maths courses between 9.30 and 2.30.",
        who_for="Parents returning to learning",
        how_to_get="Ask your keyworker or phone the college",
        cost="Free",
        languages="English, Polish",
        contact_name="Euan Ross",
        email="courses@college.example",
        phone="01234 567890",
        url="https://college.example/maths",
    )
    service.needs.set(NeedTag.objects.filter(partnership=partnership, key__in=["skills", "confidence"]))
    ServiceLocation.objects.create(
        service=service, name="The hub", address="1 Mill Street", postcode="RV1 2AB", opening_times="Mon–Thu 9.30–2.30"
    )
    return {"partnership": partnership, "service": service}


def test_the_export_is_valid_open_referral_uk(directory: dict[str, Any]) -> None:
    page = openreferral.export_services(Service.objects.filter(pk=directory["service"].pk))
    [item] = page["contents"]
    assert openreferral.service_problems(item) == []
    assert item["organization"]["name"] == "Riverside College"
    assert {a["taxonomy_term"]["term"] for a in item["attributes"]} == {"skills", "confidence"}
    assert item["schedules"][0]["description"] == "Mon–Thu 9.30–2.30"
    assert [lang["name"] for lang in item["languages"]] == ["English", "Polish"]
    # Stable identifiers: exporting twice gives the same document.
    assert openreferral.export_services(Service.objects.filter(pk=directory["service"].pk)) == page


def test_import_of_an_export_round_trips(directory: dict[str, Any]) -> None:
    page = openreferral.export_services(Service.objects.filter(pk=directory["service"].pk))
    other = PartnershipFactory()
    OrganisationFactory(partnership=other, name="Riverside College")
    [imported] = services.directory_import(actor=None, partnership=other, document=page)
    original = directory["service"]
    for field in (
        "name",
        "description",
        "who_for",
        "how_to_get",
        "languages",
        "contact_name",
        "phone",
        "email",
        "url",
        "is_free",
    ):
        assert getattr(imported, field) == getattr(original, field), field
    assert sorted(imported.needs.values_list("key", flat=True)) == ["confidence", "skills"]
    [location] = imported.locations.all()
    assert (location.address, location.postcode, location.opening_times) == (
        "1 Mill Street",
        "RV1 2AB",
        "Mon–Thu 9.30–2.30",
    )
    # A second import updates rather than duplicates.
    services.directory_import(actor=None, partnership=other, document=page)
    assert Service.objects.filter(partnership=other).count() == 1


def test_an_invalid_file_is_refused_whole(directory: dict[str, Any]) -> None:
    page = openreferral.export_services(Service.objects.filter(pk=directory["service"].pk))
    good = copy.deepcopy(page["contents"][0])
    good["name"] = "A second service"
    bad = copy.deepcopy(page["contents"][0])
    bad["id"] = "not-a-uuid"
    del bad["status"]
    other = PartnershipFactory()
    OrganisationFactory(partnership=other, name="Riverside College")
    with pytest.raises(openreferral.DirectoryImportError) as error:
        services.directory_import(actor=None, partnership=other, document={"contents": [good, bad]})
    assert any("status" in p for p in error.value.problems)
    assert not Service.objects.filter(partnership=other).exists()


def test_an_unknown_organisation_is_refused(directory: dict[str, Any]) -> None:
    page = openreferral.export_services(Service.objects.filter(pk=directory["service"].pk))
    with pytest.raises(openreferral.DirectoryImportError):
        services.directory_import(actor=None, partnership=PartnershipFactory(), document=page)


@pytest.mark.parametrize(
    ("role", "same_partnership", "allowed"),
    [
        ("coordinator", True, True),
        ("partner_lead", True, False),
        ("worker", True, False),
        ("coordinator", False, False),
    ],
)
def test_an_import_by_a_person_takes_a_coordinator_of_that_partnership(
    directory: dict[str, Any], role: str, same_partnership: bool, allowed: bool
) -> None:
    page = openreferral.export_services(Service.objects.filter(pk=directory["service"].pk))
    other = PartnershipFactory()
    OrganisationFactory(partnership=other, name="Riverside College")
    actor = staff_membership(other if same_partnership else PartnershipFactory(), role=role)
    if allowed:
        [imported] = services.directory_import(actor=actor, partnership=other, document=page)
        assert imported.partnership_id == other.pk
        event = AuditEvent.objects.get(action="support.directory_imported")
        assert (event.actor_id, event.partnership_id, event.detail) == (actor.user_id, other.pk, {"services": 1})
    else:
        with pytest.raises(NotPermitted):
            services.directory_import(actor=actor, partnership=other, document=page)
        assert not Service.objects.filter(partnership=other).exists()
        assert not AuditEvent.objects.filter(action="support.directory_imported").exists()


def test_an_import_from_the_command_line_is_audited_without_a_person(directory: dict[str, Any]) -> None:
    page = openreferral.export_services(Service.objects.filter(pk=directory["service"].pk))
    other = PartnershipFactory()
    OrganisationFactory(partnership=other, name="Riverside College")
    services.directory_import(actor=None, partnership=other, document=page)
    event = AuditEvent.objects.get(action="support.directory_imported")
    assert (event.actor_id, event.partnership_id, event.detail) == (None, other.pk, {"services": 1})


def _item(directory: dict[str, Any]) -> dict[str, Any]:
    return openreferral.export_services(Service.objects.filter(pk=directory["service"].pk))["contents"][0]


def _refused(document: Any) -> list[str]:
    other = PartnershipFactory()
    OrganisationFactory(partnership=other, name="Riverside College")
    with pytest.raises(openreferral.DirectoryImportError) as error:
        services.directory_import(actor=None, partnership=other, document=document)
    assert not Service.objects.filter(partnership=other).exists()
    return error.value.problems


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://files.example/leaflet.pdf",
        "//evil.example/",
        "https:/\\evil.example",
        "https://",
    ],
)
def test_a_website_that_is_not_an_http_address_is_refused(directory: dict[str, Any], url: str) -> None:
    item = _item(directory)
    item["url"] = url
    problems = _refused(item)
    assert any("url" in problem for problem in problems), problems


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (lambda item: item.update(name="N" * 100_000), "name: 100,000 characters, more than the 200 it may have"),
        (lambda item: item.update(description="D" * 2001), "description: 2,001 characters, more than the 2000"),
        (lambda item: item.update(email="x" * 300 + "@college.example"), "email: 316 characters, more than the 254"),
        (
            lambda item: item["service_at_locations"][0]["location"]["addresses"][0].update(postal_code="RV1 2AB" * 3),
            "location 1 postcode: 21 characters, more than the 12",
        ),
        (
            lambda item: item["attributes"][0]["taxonomy_term"].update(term="not a slug!"),
            "need 'not a slug!' key: Enter a valid “slug”",
        ),
        (lambda item: item.update(name="Maths\x00"), "a NUL character"),
        (lambda item: item.update(name="   "), "name: This field cannot be blank."),
    ],
)
def test_what_does_not_fit_our_fields_is_refused_in_words(directory: dict[str, Any], edit: Any, words: str) -> None:
    item = _item(directory)
    edit(item)
    problems = _refused({"contents": [item]})
    assert any(words in problem for problem in problems), problems
    assert all(len(problem) < 300 for problem in problems)  # a long value is not repeated back in full


def test_json_nested_very_deep_is_refused_before_it_is_parsed() -> None:
    deep = "[" * 100_000 + "]" * 100_000
    with pytest.raises(openreferral.DirectoryImportError) as error:
        openreferral.load_document(deep.encode())
    assert error.value.problems == ["the JSON is nested more than 32 levels deep"]
    # brackets inside strings are text, not nesting
    assert openreferral.load_document(json.dumps({"name": "[" * 1000})) == {"name": "[" * 1000}


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"\xff\xfe{}", "not UTF-8"),
        (b'{"name": ', "not JSON"),
        (b'{"minimum_age": ' + b"9" * 5000 + b"}", "not JSON"),
        (b" " * (openreferral.MAX_FILE_BYTES + 1), "larger than 20 MB"),
    ],
)
def test_a_file_that_cannot_be_read_says_why(data: bytes, words: str) -> None:
    with pytest.raises(openreferral.DirectoryImportError) as error:
        openreferral.load_document(data)
    assert words in error.value.problems[0] and len(error.value.problems[0]) < 300


def test_the_command_gives_one_line_for_a_file_nested_too_deep(directory: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("support_directory", "import", directory["partnership"].slug, str(path), stdout=io.StringIO())
    assert str(error.value) == f"Could not read {path}: the JSON is nested more than 32 levels deep"


def test_the_command_imports_a_good_file(directory: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "services.json"
    out = io.StringIO()
    call_command("support_directory", "export", directory["partnership"].slug, stdout=out)
    path.write_text(out.getvalue(), encoding="utf-8")
    other = PartnershipFactory(slug="other-place")
    OrganisationFactory(partnership=other, name="Riverside College")
    out = io.StringIO()
    call_command("support_directory", "import", "other-place", str(path), stdout=out)
    assert out.getvalue().startswith("Imported 1 services")
    assert Service.objects.get(partnership=other).url == "https://college.example/maths"
