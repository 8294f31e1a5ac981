"""A run chart, ready to draw, from plain points (dates and values): the signals from ``methods.runchart``
and the coordinates of an SVG drawn in the page (no script, no inline style), plus the rows of its data table
and the signals in words. Improvement draws its measures with it, evaluation its statements by month."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from coproduce.methods.runchart import RunChart, analyse

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 72, 16, 16, 40
MIN_POINTS = 2
LINE_COLOUR = "#0065bd"
SHIFT_COLOUR = "#d32205"
TREND_COLOUR = "#592c82"


@dataclass(slots=True)
class ChartPoint:
    index: int
    day: date
    value: float
    x: float
    y: float
    observation_id: int = 0
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
    # What is charted (improvement's Measure, evaluation's statement): for the page's headings only.
    measure: Any
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
    # For those who may correct the observations: the address of the page that changes (or deletes) one,
    # with "{id}" standing for its id. Each row of the data table then links to it.
    edit_address: str | None = None
    # For figures another part of the platform keeps (a linked measure): where they come from, in words.
    source_words: str = ""
    # Points a month apart: the dates are written as months ("May 2026") in the summaries and the table.
    by_month: bool = False

    @property
    def has_signals(self) -> bool:
        return bool(self.reading and self.reading.signals)

    @property
    def marks(self) -> SafeString:
        """The points' marks as SVG. Built here rather than in the template: a chart has hundreds of points
        and a template loop costs far more. Only numbers and fixed markup go in, so nothing needs escaping."""
        parts: list[str] = []
        for p in self.points:
            if p.shift:
                x, y = p.square
                parts.append(
                    f'<rect x="{x}" y="{y}" width="12" height="12" fill="{SHIFT_COLOUR}" stroke="#ffffff" '
                    'stroke-width="1"/>'
                )
            elif p.trend:
                x, y = p.diamond
                parts.append(
                    f'<rect x="{x}" y="{y}" width="10" height="10" fill="{TREND_COLOUR}" '
                    f'transform="rotate(45 {p.x} {p.y})"/>'
                )
            else:
                parts.append(f'<circle cx="{p.x}" cy="{p.y}" r="4" fill="{LINE_COLOUR}"/>')
            if p.astronomical:
                parts.append(
                    f'<circle cx="{p.x}" cy="{p.y}" r="10" fill="none" stroke="{SHIFT_COLOUR}" stroke-width="2"/>'
                )
        # Reviewed: numbers and fixed markup only.
        return mark_safe("".join(parts))  # noqa: S308  # nosec

    @property
    def table_rows(self) -> SafeString:
        """The data table's rows, built here for the same reason as :attr:`marks`; the only words in them
        (month names, labels and the link's words) are escaped first. With :attr:`edit_address`, each row
        ends with a link to change or delete its observation (one link: a page with hundreds of rows)."""
        months = [escape(name) for name in _month_names()]
        escaped: dict[tuple[str, ...], str] = {}
        if self.edit_address is not None:
            address = escape(self.edit_address)
            change = escape(_("Change"))
        rows = []
        for p in self.points:
            key = tuple(p.labels)
            if key not in escaped:
                escaped[key] = escape(", ".join(key))
            day = f"{months[p.day.month - 1]} {p.day.year}"
            if not self.by_month:
                day = f"{p.day.day} {day}"
            row = f"<tr><td>{day}</td><td>{_number(p.value)}</td><td>{escaped[key]}</td>"
            if self.edit_address is not None:
                url = address.replace("{id}", str(p.observation_id))
                row += f'<td><a href="{url}">{change}<span class="visually-hidden"> – {day}</span></a></td>'
            rows.append(row + "</tr>")
        # Reviewed: numbers, and words and the address escaped above.
        return mark_safe("\n".join(rows))  # noqa: S308  # nosec


def _number(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _month_names() -> list[str]:
    """Short month names in the current language (date_format per point is slow)."""
    return _month_names_in(get_language() or "")


@lru_cache(maxsize=16)
def _month_names_in(language: str) -> list[str]:
    return [date_format(date(2000, month, 1), "M") for month in range(1, 13)]


def build(
    observations: list[tuple[date, float]],
    *,
    higher_is_better: bool = True,
    baseline: int | None = None,
    measure: Any = None,
    ids: list[int] | None = None,
    edit_address: str | None = None,
    by_month: bool = False,
) -> Chart:
    """The run chart of ``observations`` (date, value), oldest first; the median and limits from the first
    ``baseline`` points (all when None or more than there are). With ``edit_address`` (and ``ids``, the
    observations' ids in the same order) the data table links each row to its correction."""
    if edit_address is not None and (ids is None or len(ids) != len(observations)):
        raise ValueError("the rows' links need the id of every observation")
    ids = ids or [0] * len(observations)
    if len(observations) < MIN_POINTS:
        points = [
            ChartPoint(index=i, day=day, value=value, x=0, y=0, observation_id=ids[i])
            for i, (day, value) in enumerate(observations)
        ]
        return Chart(
            measure=measure, points=points, reading=None, summaries=[], edit_address=edit_address, by_month=by_month
        )
    values = [value for _day, value in observations]
    baseline = baseline if baseline and baseline <= len(values) else None
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
        ChartPoint(
            index=i,
            day=day,
            value=values[i],
            x=round(LEFT + i * step, 1),
            y=y_of(values[i]),
            observation_id=ids[i],
        )
        for i, (day, _value) in enumerate(observations)
    ]
    better = 1 if higher_is_better else -1
    ways = {better: _("better"), -better: _("worse"), 0: ""}
    astronomical_label = {way: _("far outside the usual range (%(way)s)") % {"way": way} for way in ways.values()}
    months = _month_names()

    def _short(day: date) -> str:
        return f"{months[day.month - 1]} {day.year}" if by_month else f"{day.day} {months[day.month - 1]}"

    summaries: list[str] = []
    astronomical: dict[str, list[ChartPoint]] = {}
    for signal in reading.signals:
        way = ways[signal.direction]
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
            label = _("shift (%(way)s)") % {"way": way}
            for i in signal.points:
                points[i].shift = True
                points[i].labels.append(label)
        elif signal.rule == "trend":
            first, last = points[signal.points[0]], points[signal.points[-1]]
            rising = _("rising") if signal.direction > 0 else _("falling")
            summaries.append(
                _("A trend: points %(rising)s from %(start)s to %(end)s (%(way)s).")
                % {"rising": rising, "start": _short(first.day), "end": _short(last.day), "way": way}
            )
            label = _("trend (%(way)s)") % {"way": way}
            for i in signal.points:
                points[i].trend = True
                points[i].labels.append(label)
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
            point.labels.append(astronomical_label[way])
            astronomical.setdefault(way, []).append(point)
    for way, found in astronomical.items():
        summaries.append(
            ngettext(
                "%(n)d point far outside the usual range of %(low)s to %(high)s (%(way)s): %(days)s.",
                "%(n)d points far outside the usual range of %(low)s to %(high)s (%(way)s): %(days)s.",
                len(found),
            )
            % {
                "n": len(found),
                "low": _number(reading.lower_limit),
                "high": _number(reading.upper_limit),
                "way": way,
                "days": ", ".join(_short(p.day) for p in found),
            }
        )
    chart = Chart(
        measure=measure,
        points=points,
        reading=reading,
        summaries=summaries,
        edit_address=edit_address,
        by_month=by_month,
    )
    chart.median_y = y_of(reading.median)
    if has_limits:
        chart.upper_y, chart.lower_y = y_of(reading.upper_limit), y_of(reading.lower_limit)
    if baseline is not None and baseline < len(values):
        chart.baseline_x = round(LEFT + (baseline - 0.5) * step, 1)
    chart.polyline = " ".join(f"{p.x},{p.y}" for p in points)
    chart.y_ticks = [(y_of(v), _number(v)) for v in sorted({min(values), reading.median, max(values)})]
    chart.x_ticks = [(points[0].x, _short(points[0].day)), (points[-1].x, _short(points[-1].day))]
    return chart
