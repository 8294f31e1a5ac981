"""A measure's run chart, ready to draw: the signals from ``methods.runchart`` and the coordinates of an SVG
drawn in the page (no script, no inline style), plus the rows of its data table."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coproduce.improvement.models import Measure
from coproduce.methods.runchart import RunChart, analyse

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 40
MIN_POINTS = 2


@dataclass
class ChartPoint:
    index: int
    day: date
    value: float
    x: float
    y: float
    shift: bool = False
    trend: bool = False
    astronomical: bool = False
    labels: list[str] = field(default_factory=list)

    # Corners of the square (shift) and the diamond (trend) marks centred on the point.
    @property
    def square(self) -> tuple[float, float]:
        return round(self.x - 6, 1), round(self.y - 6, 1)

    @property
    def diamond(self) -> tuple[float, float]:
        return round(self.x - 5, 1), round(self.y - 5, 1)


@dataclass
class Chart:
    measure: Measure
    points: list[ChartPoint]
    reading: RunChart | None
    summaries: list[str]
    width: int = WIDTH
    height: int = HEIGHT
    median_y: float = 0.0
    upper_y: float | None = None
    lower_y: float | None = None
    baseline_x: float | None = None
    polyline: str = ""
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    x_ticks: list[tuple[float, str]] = field(default_factory=list)

    @property
    def has_signals(self) -> bool:
        return bool(self.reading and self.reading.signals)


def _number(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _short(day: date) -> str:
    return date_format(day, "j M")


def build(measure: Measure) -> Chart:
    observations = list(measure.observations.all())
    if len(observations) < MIN_POINTS:
        points = [
            ChartPoint(index=i, day=o.observed_on, value=float(o.value), x=0, y=0) for i, o in enumerate(observations)
        ]
        return Chart(measure=measure, points=points, reading=None, summaries=[])
    values = [float(o.value) for o in observations]
    baseline = measure.baseline_points if measure.baseline_points and measure.baseline_points <= len(values) else None
    reading = analyse(values, baseline=baseline)
    has_limits = reading.mean_moving_range > 0
    scale_values = [*values, reading.median]
    if has_limits:
        scale_values += [reading.upper_limit, reading.lower_limit]
    low, high = min(scale_values), max(scale_values)
    if high == low:
        low, high = low - 1, high + 1
    pad = (high - low) * 0.05
    low, high = low - pad, high + pad
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / (len(values) - 1)

    def y_of(value: float) -> float:
        return round(TOP + (high - value) / (high - low) * plot_h, 1)

    points = [
        ChartPoint(index=i, day=o.observed_on, value=values[i], x=round(LEFT + i * step, 1), y=y_of(values[i]))
        for i, o in enumerate(observations)
    ]
    better = 1 if measure.better == Measure.Better.HIGHER else -1
    summaries: list[str] = []
    for signal in reading.signals:
        way = ""
        if signal.direction:
            way = _("better") if signal.direction == better else _("worse")
        if signal.rule == "shift":
            first, last = points[signal.points[0]], points[signal.points[-1]]
            side = _("above") if signal.direction > 0 else _("below")
            summaries.append(
                _("A shift: %(n)d points in a row %(side)s the median, %(start)s to %(end)s (%(way)s).")
                % {
                    "n": len(signal.points),
                    "side": side,
                    "start": _short(first.day),
                    "end": _short(last.day),
                    "way": way,
                }
            )
            for i in signal.points:
                points[i].shift = True
                points[i].labels.append(_("shift (%(way)s)") % {"way": way})
        elif signal.rule == "trend":
            first, last = points[signal.points[0]], points[signal.points[-1]]
            rising = _("rising") if signal.direction > 0 else _("falling")
            summaries.append(
                _("A trend: points %(rising)s from %(start)s to %(end)s (%(way)s).")
                % {"rising": rising, "start": _short(first.day), "end": _short(last.day), "way": way}
            )
            for i in signal.points:
                points[i].trend = True
                points[i].labels.append(_("trend (%(way)s)") % {"way": way})
        elif signal.rule in ("too_few_runs", "too_many_runs") and reading.runs_limits is not None:
            summaries.append(
                (_("Too few runs") if signal.rule == "too_few_runs" else _("Too many runs"))
                + ": "
                + _("%(runs)d runs where %(low)d to %(high)d are expected by chance for %(n)d points off the median.")
                % {
                    "runs": reading.runs,
                    "low": reading.runs_limits[0],
                    "high": reading.runs_limits[1],
                    "n": reading.useful,
                }
            )
        elif signal.rule == "astronomical":
            point = points[signal.points[0]]
            point.astronomical = True
            point.labels.append(_("astronomical (%(way)s)") % {"way": way})
            summaries.append(
                _("An astronomical point on %(day)s: %(value)s is outside the limits %(low)s to %(high)s (%(way)s).")
                % {
                    "day": _short(point.day),
                    "value": _number(point.value),
                    "low": _number(reading.lower_limit),
                    "high": _number(reading.upper_limit),
                    "way": way,
                }
            )
    chart = Chart(measure=measure, points=points, reading=reading, summaries=summaries)
    chart.median_y = y_of(reading.median)
    if has_limits:
        chart.upper_y, chart.lower_y = y_of(reading.upper_limit), y_of(reading.lower_limit)
    if baseline is not None and baseline < len(values):
        chart.baseline_x = round(LEFT + (baseline - 0.5) * step, 1)
    chart.polyline = " ".join(f"{p.x},{p.y}" for p in points)
    chart.y_ticks = [(y_of(v), _number(v)) for v in sorted({min(values), reading.median, max(values)})]
    chart.x_ticks = [(points[0].x, _short(points[0].day)), (points[-1].x, _short(points[-1].day))]
    return chart


def build_all(measures: list[Measure]) -> list[Chart]:
    return [build(measure) for measure in measures]


def describe(chart: Chart) -> dict[str, Any]:
    """A one-line text alternative for the SVG."""
    reading = chart.reading
    if reading is None:
        return {"text": _("Not enough observations for a chart yet.")}
    return {
        "text": _("Run chart of %(name)s: %(n)d observations, median %(median)s. %(signals)s")
        % {
            "name": chart.measure.name,
            "n": len(chart.points),
            "median": _number(reading.median),
            "signals": " ".join(chart.summaries) or _("No signals."),
        }
    }
