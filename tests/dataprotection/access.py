"""Data protection's rows of the URL × role table in tests/test_url_access.py (see that file).

Everyone in the partnership reads the data sharing agreement (and each version) and the privacy notice;
only coordinators reach the settings, the retention periods, the runs and the dry run."""

from __future__ import annotations

from typing import Any

from tests.test_url_access import COORDINATOR_PAGE, PARTNERSHIP_PAGE

ROWS: dict[str, dict[str, int]] = {
    "dataprotection:settings": COORDINATOR_PAGE,
    "dataprotection:retention": COORDINATOR_PAGE,
    "dataprotection:runs": COORDINATOR_PAGE,
    # POST only: the coordinator's GET is refused with 405, everyone else learns nothing.
    "dataprotection:dry-run": {**COORDINATOR_PAGE, "coordinator": 405},
    "dataprotection:agreement": PARTNERSHIP_PAGE,
    "dataprotection:agreement-version": PARTNERSHIP_PAGE,
    "dataprotection:agreement-edit": COORDINATOR_PAGE,
    "dataprotection:privacy": PARTNERSHIP_PAGE,
}


def build(world: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A first version of the data sharing agreement, recorded by the coordinator."""
    from tests.dataprotection.helpers import record_agreement

    agreement = record_agreement(world["people"]["coordinator"])
    return {"dataprotection:agreement-version": {"version": agreement.version}}
