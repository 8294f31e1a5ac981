from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from coproduce.improvement import services
from coproduce.improvement.models import Measure, TestOfChange


def fields(**overrides: Any) -> services.TestFields:
    today = timezone.localdate()
    values: dict[str, Any] = {
        "title": "Evening drop-in",
        "aim_what": "More working parents get support.",
        "aim_how_much": "From 6 to 12 a week",
        "aim_by_when": today + timedelta(days=60),
        "change_kind": TestOfChange.ChangeKind.TRY,
        "change": "Open the hub two evenings a week.",
        "predictions": "Attendance rises within three weeks.",
        "starts_on": today - timedelta(days=120),
        "ends_on": today + timedelta(days=30),
    }
    values.update(overrides)
    return services.TestFields(**values)


@pytest.fixture
def test_of_change(worker: Any, member: Any) -> TestOfChange:
    return services.pdsa_create(actor=worker, fields=fields(), people=[member])


@pytest.fixture
def measure(worker: Any, test_of_change: TestOfChange) -> Measure:
    return services.measure_create(
        actor=worker,
        test=test_of_change,
        name="Parents per week",
        kind="outcome",
        unit="parents",
        better="higher",
        source="Sign-in book",
    )


def weekly(count: int, *, end_days_ago: int = 7) -> list[Any]:
    last = timezone.localdate() - timedelta(days=end_days_ago)
    return [last - timedelta(weeks=count - 1 - i) for i in range(count)]
