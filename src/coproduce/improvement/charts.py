"""A measure's run chart, ready to draw: drawn by ``core.charts`` from the measure's observations, with the
measure's baseline and the direction that is better."""

from __future__ import annotations

from datetime import date

from coproduce.core.charts import BOTTOM, HEIGHT, LEFT, MIN_POINTS, RIGHT, TOP, WIDTH, Chart, ChartPoint
from coproduce.core.charts import build as build_chart
from coproduce.improvement.models import Measure

__all__ = [
    "BOTTOM",
    "HEIGHT",
    "LEFT",
    "MIN_POINTS",
    "RIGHT",
    "TOP",
    "WIDTH",
    "Chart",
    "ChartPoint",
    "build",
    "build_all",
]


def build(
    measure: Measure,
    observations: list[tuple[date, float]],
    *,
    ids: list[int] | None = None,
    edit_address: str | None = None,
) -> Chart:
    """The chart of ``measure`` from its ``observations`` (date, value), oldest first. With ``edit_address``
    (and ``ids``, the observations' ids in the same order) the data table links each row to its correction."""
    return build_chart(
        observations,
        higher_is_better=measure.better == Measure.Better.HIGHER,
        baseline=measure.baseline_points,
        measure=measure,
        ids=ids,
        edit_address=edit_address,
    )


def build_all(
    measures: list[Measure],
    series: dict[int, list[tuple[date, float]]],
    *,
    ids: dict[int, list[int]] | None = None,
    edit_address: str | None = None,
    linked: dict[int, str] | None = None,
) -> list[Chart]:
    """Every measure's chart. A linked measure's points are not observations (nothing to correct): its data
    table has no links, and ``linked`` says where its figures come from."""
    charts = []
    for measure in measures:
        chart = build(
            measure,
            series.get(measure.pk, []),
            ids=None if measure.is_linked else (ids or {}).get(measure.pk),
            edit_address=None if measure.is_linked else edit_address,
        )
        chart.source_words = (linked or {}).get(measure.pk, "")
        charts.append(chart)
    return charts
