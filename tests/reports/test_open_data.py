"""The open data page of a partnership (/open/<slug>/) and the coordinators' setting that turns it on."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.models import AuditEvent
from coproduce.partnerships.models import Membership, Partnership
from coproduce.partnerships.open_data import LICENCE_URLS, open_datasets
from coproduce.reports.services.open_data import open_data_set
from tests.conftest import signed_in
from tests.reports.access_open import publish

LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def _page(partnership: Partnership, client: Client | None = None) -> Any:
    return (client or Client()).get(reverse("reports:open", kwargs={"slug": partnership.slug}))


def _every_open_address(partnership: Partnership) -> list[str]:
    addresses = [reverse("reports:open", kwargs={"slug": partnership.slug})]
    for dataset in open_datasets():
        for d in dataset.distributions:
            addresses.append(reverse(d.url_name, kwargs={"slug": partnership.slug, **d.url_kwargs}))
    return addresses


def test_the_fund_and_the_directory_are_registered() -> None:
    keys = {d.key for d in open_datasets()}
    assert {"fund.grants", "support.directory"} <= keys


@pytest.mark.django_db
def test_every_open_address_is_missing_until_open_data_is_on(partnership: Partnership) -> None:
    for address in _every_open_address(partnership):
        assert Client().get(address).status_code == 404, address
    publish(partnership)
    for address in _every_open_address(partnership):
        assert Client().get(address).status_code == 200, address


@pytest.mark.django_db
def test_the_page_lists_each_dataset_with_its_licence_and_links(partnership: Partnership) -> None:
    publish(partnership)
    response = _page(partnership)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*" and "Set-Cookie" not in response.headers
    html = response.content.decode()
    assert LICENCE_URLS["OGL-UK-3.0"] in html and "Open Government Licence v3.0" in html
    for dataset in open_datasets():
        assert str(dataset.title) in html
        for d in dataset.distributions:
            assert reverse(d.url_name, kwargs={"slug": partnership.slug}) in html
    assert "Nothing published yet" in html  # an empty fund and directory


@pytest.mark.django_db
def test_the_page_describes_the_catalogue_in_json_ld(partnership: Partnership) -> None:
    Partnership.objects.filter(pk=partnership.pk).update(open_data_licence="CC-BY-4.0")
    partnership.open_data_licence = "CC-BY-4.0"
    publish(partnership)
    found = LD.findall(_page(partnership).content.decode())
    assert len(found) == 1
    catalogue = json.loads(found[0])
    assert catalogue["@type"] == "DataCatalog" and catalogue["license"] == LICENCE_URLS["CC-BY-4.0"]
    by_name = {d["name"]: d for d in catalogue["dataset"]}
    assert len(by_name) == len(open_datasets())
    fund = by_name[str(next(d.title for d in open_datasets() if d.key == "fund.grants"))]
    assert fund["@type"] == "Dataset" and fund["license"] == LICENCE_URLS["CC-BY-4.0"]
    assert fund["distribution"][0]["@type"] == "DataDownload"
    assert fund["distribution"][0]["contentUrl"].endswith(f"/open/{partnership.slug}/360giving.json")
    assert fund["distribution"][0]["encodingFormat"] == "application/json"
    assert fund["dct:conformsTo"]["@id"].startswith("https://")
    assert "dateModified" not in fund  # nothing published yet


@pytest.mark.django_db
def test_a_name_cannot_break_out_of_the_json_ld(partnership: Partnership) -> None:
    Partnership.objects.filter(pk=partnership.pk).update(name="</script><script>alert(1)</script> & Co")
    partnership.refresh_from_db()
    publish(partnership)
    html = _page(partnership).content.decode()
    catalogue = json.loads(LD.findall(html)[0])
    assert catalogue["publisher"]["name"] == "</script><script>alert(1)</script> & Co"
    assert "<script>alert(1)" not in html


@pytest.mark.django_db
def test_signed_in_people_find_it_from_the_partnership_home(member: Membership) -> None:
    home = reverse("partnerships:home", kwargs={"slug": member.partnership.slug})
    link = reverse("reports:open", kwargs={"slug": member.partnership.slug})
    assert link not in signed_in(member.user).get(home).content.decode()
    publish(member.partnership)
    assert link in signed_in(member.user).get(home).content.decode()
    assert _page(member.partnership, signed_in(member.user)).status_code == 200


class TestSetting:
    def test_a_coordinator_turns_it_on_and_off_and_it_is_audited(self, coordinator: Membership) -> None:
        client = signed_in(coordinator.user)
        address = reverse("reports:open-settings", kwargs={"slug": coordinator.partnership.slug})
        page = client.get(address).content.decode()
        assert "What is never published" in page
        response = client.post(address, {"publish": "yes", "licence": "CC0-1.0"})
        assert response.status_code == 302
        partnership = Partnership.objects.get(pk=coordinator.partnership_id)
        assert partnership.open_data and partnership.open_data_licence == "CC0-1.0"
        assert partnership.open_data_since is not None
        assert _page(partnership).status_code == 200
        client.post(address, {"publish": "no", "licence": "CC0-1.0"})
        assert _page(partnership).status_code == 404
        events = list(AuditEvent.objects.filter(action="reports.open_data_changed").order_by("id"))
        assert [e.detail["after"]["open_data"] for e in events] == [True, False]
        assert events[0].detail["before"] == {"open_data": False, "licence": "OGL-UK-3.0"}

    def test_saving_what_is_set_records_nothing(self, coordinator: Membership) -> None:
        open_data_set(actor=coordinator, publish=False, licence="OGL-UK-3.0")
        assert not AuditEvent.objects.filter(action="reports.open_data_changed").exists()

    def test_an_unknown_licence_is_refused_by_field(self, coordinator: Membership) -> None:
        with pytest.raises(ServiceError) as refused:
            open_data_set(actor=coordinator, publish=True, licence="MIT")
        assert refused.value.field == "licence"
        response = signed_in(coordinator.user).post(
            reverse("reports:open-settings", kwargs={"slug": coordinator.partnership.slug}),
            {"publish": "yes", "licence": "MIT"},
        )
        assert response.status_code == 200 and "Error:" in response.content.decode()
        assert not Partnership.objects.get(pk=coordinator.partnership_id).open_data

    @pytest.mark.parametrize("role", ["member", "observer", "worker", "partner_lead"])
    def test_only_a_coordinator_may(self, role: str, request: pytest.FixtureRequest) -> None:
        actor: Membership = request.getfixturevalue(role)
        with pytest.raises(NotPermitted):
            open_data_set(actor=actor, publish=True, licence="OGL-UK-3.0")
        assert not Partnership.objects.get(pk=actor.partnership_id).open_data

    def test_it_is_a_section_of_the_settings(self, coordinator: Membership) -> None:
        hub = signed_in(coordinator.user).get(
            reverse("partnerships:settings", kwargs={"slug": coordinator.partnership.slug})
        )
        assert reverse("reports:open-settings", kwargs={"slug": coordinator.partnership.slug}) in hub.content.decode()
