"""The directory in Open Referral UK JSON: our export is valid against the standard's schema, and an import
of it (into another partnership with the same organisations) gives the same services."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from coproduce.support import openreferral
from coproduce.support.defaults import ensure_defaults
from coproduce.support.models import NeedTag, Service, ServiceLocation
from tests.factories import OrganisationFactory, PartnershipFactory

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
    [imported] = openreferral.import_services(other, page)
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
    openreferral.import_services(other, page)
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
        openreferral.import_services(other, {"contents": [good, bad]})
    assert any("status" in p for p in error.value.problems)
    assert not Service.objects.filter(partnership=other).exists()


def test_an_unknown_organisation_is_refused(directory: dict[str, Any]) -> None:
    page = openreferral.export_services(Service.objects.filter(pk=directory["service"].pk))
    with pytest.raises(openreferral.DirectoryImportError):
        openreferral.import_services(PartnershipFactory(), page)
