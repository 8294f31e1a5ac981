"""Figures one capability keeps that another may follow as a measure. A test of change (improvement) can
follow, month by month, what parents said about a service (evaluation) without either importing the other:
evaluation registers a ``MeasureSource`` here (in its AppConfig.ready), improvement stores the source's key
and reference on the measure and reads the points through this registry when it draws the run chart."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class MeasurePoint:
    on: date  # the first day of the period the value is for
    value: float  # a source gives a point only where it may be shown (evaluation: a month of at least five answers)


@dataclass(frozen=True)
class MeasureSource:
    key: str  # "evaluation.statement"
    label: Any  # in words (lazily translated): "What parents said about a service"
    # The points for one reference (e.g. "12:listened": subject 12, the statement "listened") in one partnership
    # (partnership id, reference), oldest first; one or two queries.
    points: Callable[[int, str], list[MeasurePoint]]
    # The reference in words, for the measure's page: "Money advice drop-in: I was listened to"; "" if unknown.
    describe: Callable[[int, str], str]


_SOURCES: dict[str, MeasureSource] = {}


def register_measure_source(source: MeasureSource) -> None:
    _SOURCES[source.key] = source


def measure_source(key: str) -> MeasureSource | None:
    return _SOURCES.get(key)
