"""Laying out a run chart: odd series draw without error, inside the drawing, and the table says what the
chart marks."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from coproduce.improvement import charts
from coproduce.improvement.models import Measure

pytestmark = pytest.mark.django_db


def _series(values: list[float]) -> list[tuple[date, float]]:
    start = date(2026, 1, 5)
    return [(start + timedelta(weeks=i), v) for i, v in enumerate(values)]


@pytest.mark.parametrize(
    "values",
    [
        [5.0, 5.0],
        [3.0] * 30,
        [-4.5, -2.0, -8.25, 0.0, 1.0],
        [1e9, 2e9, 1.5e9, 3e9],
        [0.001, 0.002, 0.0015],
    ],
)
def test_odd_series_are_drawn_inside_the_chart(measure: Measure, values: list[float]) -> None:
    chart = charts.build(measure, _series(values))
    assert chart.reading is not None
    for point in chart.points:
        assert charts.LEFT <= point.x <= charts.WIDTH - charts.RIGHT
        assert charts.TOP <= point.y <= charts.HEIGHT - charts.BOTTOM
    assert charts.TOP <= chart.median_y <= charts.HEIGHT - charts.BOTTOM
    assert str(chart.marks).count("<") == len(chart.points) + len(chart.reading.astronomical_points)
    assert str(chart.table_rows).count("<tr>") == len(values)


def test_one_observation_gives_no_chart_but_a_table_row(measure: Measure) -> None:
    chart = charts.build(measure, _series([4.0]))
    assert chart.reading is None
    assert str(chart.table_rows).count("<tr>") == 1


def test_the_table_names_each_points_signals(measure: Any) -> None:
    values = [6, 5, 7, 6, 5, 7, 6, 6, 5, 6, 12, 11, 13, 12, 12, 11, 13]
    measure.baseline_points = 10
    chart = charts.build(measure, _series([float(v) for v in values]))
    rows = str(chart.table_rows).split("\n")
    assert "shift (better)" in rows[10] and "shift" not in rows[9]
    assert rows[0].startswith("<tr><td>5 Jan 2026</td><td>6</td>")
