"""Rows of the URL × role table in tests/test_url_access.py: support as open data (the Open Referral UK API)."""

from __future__ import annotations

from typing import Any

from coproduce.support import openreferral
from coproduce.support.models import Service
from tests.factories import OrganisationFactory
from tests.reports.access_open import OPEN_TO_EVERYONE, publish

ROWS: dict[str, dict[str, int]] = {
    "support:oruk-root": OPEN_TO_EVERYONE,
    "support:oruk-services": OPEN_TO_EVERYONE,
    "support:oruk-service": OPEN_TO_EVERYONE,
}


def build(world: dict[str, Any]) -> dict[str, dict[str, Any]]:
    partnership = world["partnership"]
    publish(partnership)
    service = Service.objects.create(
        partnership=partnership,
        organisation=OrganisationFactory(partnership=partnership),
        name="Open advice sessions",
        description="Advice on money and work.",
    )
    return {"support:oruk-service": {"service_id": openreferral.service_id(service, partnership.slug)}}
