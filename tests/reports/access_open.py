"""Rows of the URL × role table in tests/test_url_access.py: open data (the /open/<slug>/ page and its setting).

``build`` turns open data on for the world's partnership, so the open addresses answer everyone, signed in or
not, with 200 (tests/reports/test_open_data.py checks the 404 when it is off)."""

from __future__ import annotations

from typing import Any

from coproduce.partnerships.models import Partnership

ROLES = ["anonymous", "member", "observer", "worker", "partner_lead", "coordinator", "outsider", "staff_no_mfa"]
OPEN_TO_EVERYONE = dict.fromkeys(ROLES, 200)
COORDINATOR_PAGE = {**dict.fromkeys(ROLES, 404), "anonymous": 302, "coordinator": 200, "staff_no_mfa": 302}

ROWS: dict[str, dict[str, int]] = {
    "reports:open": OPEN_TO_EVERYONE,
    "reports:open-settings": COORDINATOR_PAGE,
}


def publish(partnership: Partnership) -> None:
    """Open data on for ``partnership`` (the open addresses answer 404 otherwise)."""
    Partnership.objects.filter(pk=partnership.pk).update(open_data=True)
    partnership.open_data = True


def build(world: dict[str, Any]) -> dict[str, dict[str, Any]]:
    publish(world["partnership"])
    return {}
