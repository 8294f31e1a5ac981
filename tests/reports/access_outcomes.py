"""Rows of the URL × role table in tests/test_url_access.py: employability outcomes.

In the world below the worker is the member's agreed keyworker (support's rows make that plan); the worker
recorded a job with her and she asked for it to be corrected. Her pages are hers alone; her keyworker's pages
are the worker's alone: the coordinator, the partner lead and the observer get the same 404 as a missing page
(coordinators see counts only, in reports). Every member and every staff member has the "My outcomes" page
(staff see the people they keywork there)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from tests.test_url_access import PARTNERSHIP_PAGE, only

MEMBER = only("member")
KEYWORKER = only("worker")

ROWS: dict[str, dict[str, int]] = {
    "reports:outcomes": {**PARTNERSHIP_PAGE, "observer": 404},
    "reports:outcome-new": MEMBER,
    "reports:outcome-priority-groups": MEMBER,
    "reports:outcome-correction-ask": MEMBER,
    "reports:outcome-person": KEYWORKER,
    "reports:outcome-person-new": KEYWORKER,
    "reports:outcome-person-groups": KEYWORKER,
    "reports:outcome-correction": KEYWORKER,
}


def build(world: dict[str, Any]) -> dict[str, dict[str, Any]]:
    from coproduce.reports.services import outcomes as services

    member, worker = world["people"]["member"], world["people"]["worker"]
    job = services.outcome_record(
        actor=worker,
        member=member,
        kind="job_started",
        on=timezone.localdate() - dt.timedelta(days=3),
        hours_per_week=16,
        contract="permanent",
        hourly_pay_pence=1345,
        agreed_with_member=True,
    )
    asked = services.correction_ask(actor=member, outcome=job, text="It was 18 hours a week.")
    return {
        "reports:outcome-correction-ask": {"outcome_id": job.pk},
        "reports:outcome-person": {"membership_id": member.pk},
        "reports:outcome-person-new": {"membership_id": member.pk},
        "reports:outcome-person-groups": {"membership_id": member.pk},
        "reports:outcome-correction": {"correction_id": asked.pk},
    }
