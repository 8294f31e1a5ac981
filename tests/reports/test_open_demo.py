"""The demo publishes open data: signed out, /open/riverside/ and every dataset it lists answer, and the fund's
file and the directory's API are valid against the 360Giving and Open Referral UK schemas."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from coproduce.demo_data import load_demo
from coproduce.fund.opendata import validation_errors
from coproduce.partnerships.open_data import open_datasets
from tests.support.test_oruk_api import page_problems, schema_problems, schema_validator

pytestmark = pytest.mark.django_db


def test_the_demo_partnership_publishes_valid_open_data() -> None:
    load_demo()
    client = Client()
    assert client.get(reverse("reports:open", kwargs={"slug": "riverside"})).status_code == 200
    for dataset in open_datasets():
        for d in dataset.distributions:
            response = client.get(reverse(d.url_name, kwargs={"slug": "riverside", **d.url_kwargs}))
            assert response.status_code == 200, d.url_name
    grants = json.loads(client.get(reverse("fund:open-grants", kwargs={"slug": "riverside"})).content)
    assert grants["grants"] and validation_errors(grants) == []
    services = client.get(reverse("support:oruk-services", kwargs={"slug": "riverside"}), {"per_page": 100}).json()
    assert services["total_items"] > 0 and page_problems(services) == []
    one = schema_validator("service.json")
    for item in services["contents"]:
        service = client.get(reverse("support:oruk-service", kwargs={"slug": "riverside", "service_id": item["id"]}))
        assert service.status_code == 200 and schema_problems(one, service.json()) == []
