"""This capability's rows of the URL × role table in tests/test_url_access.py (see that file).

In the world below the worker owns the test of change and the member is involved in it; the partner lead
and the observer are not, and the coordinator runs any test."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from tests.test_url_access import (
    COORDINATOR_PAGE,
    PARTNERSHIP_PAGE,
    TAKING_PART_PAGE,
    TAKING_PART_POST_ONLY,
    everyone,
    only,
)

RUNNING = only("worker", "member", "coordinator")

ROWS: dict[str, dict[str, int]] = {
    "improvement:board": PARTNERSHIP_PAGE,
    "improvement:test-new": TAKING_PART_PAGE,
    "improvement:test": PARTNERSHIP_PAGE,
    "improvement:test-edit": RUNNING,
    "improvement:test-stage": TAKING_PART_POST_ONLY,
    "improvement:study": RUNNING,
    "improvement:measure-new": RUNNING,
    "improvement:check": only("member"),
    "improvement:decide": RUNNING,
    "improvement:cosign": {**everyone(404), "anonymous": 302, "staff_no_mfa": 302, "member": 405},
    "improvement:observation-new": RUNNING,
    "improvement:observation-import": RUNNING,
    "improvement:observation-edit": RUNNING,
    "improvement:observation-delete": RUNNING,
    "improvement:register": PARTNERSHIP_PAGE,
    "improvement:stopped-new": TAKING_PART_PAGE,
    "improvement:stopped": PARTNERSHIP_PAGE,
    "improvement:stopped-agree": TAKING_PART_POST_ONLY,
    "improvement:settings": COORDINATOR_PAGE,
}


def build(world: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A test of change owned by the worker (the member involved) with one measure and one observation, and a
    stopped practice."""
    from coproduce.improvement import services

    people = world["people"]
    today = timezone.localdate()
    test = services.pdsa_create(
        actor=people["worker"],
        fields=services.TestFields(
            title="Evening drop-in",
            aim_what="More working parents get support.",
            aim_how_much="From 6 to 12 a week",
            aim_by_when=today + timedelta(days=30),
            change_kind="try",
            change="Open two evenings a week.",
            predictions="More parents come.",
            starts_on=today - timedelta(days=60),
            ends_on=today + timedelta(days=30),
        ),
        people=[people["member"]],
    )
    measure = services.measure_create(
        actor=people["worker"],
        test=test,
        name="Parents",
        kind="outcome",
        unit="parents",
        better="higher",
        source="Book",
    )
    observation = services.observation_record(
        actor=people["worker"], measure=measure, observed_on=today - timedelta(days=7), value="6"
    )
    entry = services.stopped_create(actor=people["member"], what="Paper sign-in", why="Nobody reads it.")
    on_test = {"test_id": test.pk}
    on_measure = {"measure_id": measure.pk}
    on_observation = {"observation_id": observation.pk}
    on_entry = {"entry_id": entry.pk}
    return {
        "improvement:test": on_test,
        "improvement:test-edit": on_test,
        "improvement:test-stage": on_test,
        "improvement:study": on_test,
        "improvement:measure-new": on_test,
        "improvement:check": on_test,
        "improvement:decide": on_test,
        "improvement:cosign": on_test,
        "improvement:observation-new": on_measure,
        "improvement:observation-import": on_measure,
        "improvement:observation-edit": on_observation,
        "improvement:observation-delete": on_observation,
        "improvement:stopped": on_entry,
        "improvement:stopped-agree": on_entry,
    }
