"""Run charts and XmR (individuals) charts, read by the standard rules.

Pure: plain numbers in, plain data out; no Django. The rules are those of Perla, Provost & Murray,
"The run chart: a simple analytical tool for learning from variation in healthcare processes",
BMJ Quality & Safety 2011;20:46–51:

* **shift** – six or more consecutive points all above, or all below, the median. Points that fall on the
  median neither break a shift nor count towards it.
* **trend** – five or more consecutive points all going up, or all going down. When neighbours are equal,
  the like points count once (they neither break the trend nor add to it).
* **runs** – a run is one or more consecutive points on the same side of the median (points on the median
  are ignored). Too few or too many runs for the number of useful observations (points not on the median)
  signal non-random variation. The paper reads the limits from its Table 1, which is based on Swed &
  Eisenhart, "Tables for testing randomness of grouping in a sequence of alternatives", Annals of
  Mathematical Statistics 1943;14:66–87. We compute them from Swed and Eisenhart's exact distribution of
  the number of runs (two-sided, 5 % risk: 2.5 % in each tail, with the useful observations split as evenly
  as possible above and below the median) rather than transcribing a printed table; see
  :func:`runs_limits`. Printed tables may differ from these limits by one run at some lengths (ADR 0007).
  The paper's table starts at 10 useful observations; fewer are not tested.
* **astronomical point** – the paper leaves this to judgement ("obviously, even to a relatively
  inexperienced observer, different"). Our stated rule: a point outside the natural process limits of the
  XmR chart of the baseline, mean ± 2.66 × mean moving range (about three standard deviations).

The XmR chart: centre line the mean of the baseline, limits mean ± 2.66 × the mean moving range of the
baseline (2.66 = 3 / d2 with d2 = 1.128 for moving ranges of two), and the moving-range chart's upper limit
3.267 × the mean moving range (Wheeler & Chambers, *Understanding Statistical Process Control*).

The baseline period is the first ``baseline`` points (all points when None): the median, the mean and the
limits come from it, and the rules are read over every point against them.

:func:`signals_batch` reads many series of equal length at once with whole-array numpy operations;
:func:`analyse` reads one series (through the same code) and returns a readable summary.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from math import comb

import numpy as np
import numpy.typing as npt

SHIFT_LENGTH = 6
TREND_LENGTH = 5
XMR_FACTOR = 2.66
MR_FACTOR = 3.267
RUNS_RISK = 0.05
RUNS_TABLE_MIN = 10  # the smallest number of useful observations the runs rule is read for
RUNS_TABLE_MAX = 500  # beyond this the limits are not tabulated and the rule is not read

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]


@lru_cache(maxsize=1024)
def runs_distribution(above: int, below: int) -> tuple[float, ...]:
    """Swed & Eisenhart's exact probability of each number of runs ``r`` (index ``r``) when ``above``
    points lie above and ``below`` points below the median, in random order.

    >>> [round(p, 4) for p in runs_distribution(2, 2)]
    [0.0, 0.0, 0.3333, 0.3333, 0.3333]
    """
    if above < 0 or below < 0:
        raise ValueError("counts must not be negative")
    total = above + below
    probabilities = [0.0] * (total + 1)
    if total == 0:
        return tuple(probabilities)
    if above == 0 or below == 0:
        probabilities[1] = 1.0
        return tuple(probabilities)
    arrangements = comb(total, above)
    for runs in range(2, total + 1):
        if runs % 2 == 0:
            k = runs // 2
            ways = 2 * comb(above - 1, k - 1) * comb(below - 1, k - 1)
        else:
            k = (runs - 1) // 2
            ways = comb(above - 1, k) * comb(below - 1, k - 1) + comb(above - 1, k - 1) * comb(below - 1, k)
        probabilities[runs] = ways / arrangements
    return tuple(probabilities)


@lru_cache(maxsize=1024)
def runs_limits(useful: int, risk: float = RUNS_RISK) -> tuple[int, int] | None:
    """The fewest and the most runs that are not a signal for ``useful`` observations not on the median:
    fewer than the first is "too few runs", more than the second "too many". None below
    :data:`RUNS_TABLE_MIN` (or above :data:`RUNS_TABLE_MAX`), where the rule is not read.

    The lower limit is the smallest number of runs whose lower tail probability exceeds ``risk / 2``,
    the upper the largest whose upper tail probability exceeds ``risk / 2``.

    >>> runs_limits(20)
    (7, 15)
    """
    if useful < RUNS_TABLE_MIN or useful > RUNS_TABLE_MAX:
        return None
    below = useful // 2
    above = useful - below
    probabilities = runs_distribution(above, below)
    tail = risk / 2
    cumulative = 0.0
    lower = 1
    for runs, p in enumerate(probabilities):
        if cumulative + p > tail:
            lower = runs
            break
        cumulative += p
    cumulative = 0.0
    upper = useful
    for runs in range(len(probabilities) - 1, -1, -1):
        if cumulative + probabilities[runs] > tail:
            upper = runs
            break
        cumulative += probabilities[runs]
    return lower, upper


@lru_cache(maxsize=4)
def _limit_arrays(length: int) -> tuple[IntArray, IntArray]:
    """Lower and upper runs limits indexed by the number of useful observations (0 … ``length``);
    -1 where the rule is not read."""
    lower = np.full(length + 1, -1, dtype=np.int64)
    upper = np.full(length + 1, -1, dtype=np.int64)
    for useful in range(length + 1):
        limits = runs_limits(useful)
        if limits is not None:
            lower[useful], upper[useful] = limits
    lower.setflags(write=False)
    upper.setflags(write=False)
    return lower, upper


def _runs_ignoring_zeros(
    sides: npt.NDArray[np.int8], *, want_inside: bool = False
) -> tuple[IntArray, IntArray, BoolArray]:
    """For each row of ``sides`` (values -1, 0, +1), group the non-zero entries into runs of equal sign,
    skipping zeros (a zero neither breaks a run nor counts in it).

    Returns the length of the run each non-zero entry belongs to (0 for zeros), the number of runs in each
    row, and (when ``want_inside``) for each zero whether it lies inside a run (between two entries of the
    same run); otherwise an all-False array."""
    rows, cols = sides.shape
    if cols == 0:
        empty = np.zeros((rows, 0), dtype=np.int64)
        return empty, np.zeros(rows, dtype=np.int64), empty.astype(np.bool_)
    nonzero = sides != 0
    index = np.arange(cols, dtype=np.int32)
    last_nonzero = np.maximum.accumulate(np.where(nonzero, index, np.int32(-1)), axis=1)
    # The side carried forward over zeros; the previous entry's carried side is the last non-zero before.
    carried_side = np.take_along_axis(sides, np.maximum(last_nonzero, 0), axis=1)
    carried_side[last_nonzero < 0] = 0
    previous_side = np.zeros_like(sides)
    previous_side[:, 1:] = carried_side[:, :-1]
    starts = nonzero & (previous_side != sides)
    run_id = np.cumsum(starts, axis=1, dtype=np.int32)  # 1-based in the row; zeros carry the run before them
    runs_per_row = run_id[:, -1].astype(np.int64)
    flat_id = (run_id + (np.arange(rows, dtype=np.int32) * np.int32(cols + 1))[:, None]).ravel()
    lengths = np.bincount(flat_id[nonzero.ravel()], minlength=rows * (cols + 1))
    carried = lengths[flat_id].reshape(rows, cols)
    member_length = np.where(nonzero, carried, 0).astype(np.int64)
    if not want_inside:
        return member_length, runs_per_row, np.zeros((rows, cols), dtype=np.bool_)
    # A zero is inside a run when the next non-zero entry after it belongs to the same run.
    next_nonzero = np.minimum.accumulate(np.where(nonzero, index, np.int32(cols))[:, ::-1], axis=1)[:, ::-1]
    next_id = np.take_along_axis(run_id, np.minimum(next_nonzero, cols - 1), axis=1)
    inside = ~nonzero & (run_id > 0) & (next_nonzero < cols) & (next_id == run_id)
    return member_length, runs_per_row, inside & (carried > 0)


@dataclass(frozen=True)
class BatchSignals:
    """Signals for ``series`` series of ``points`` points each (arrays indexed ``[series, point]``)."""

    median: FloatArray  # (series,) median of the baseline
    mean: FloatArray  # (series,) mean of the baseline (the XmR centre line)
    mean_moving_range: FloatArray  # (series,) of the baseline
    lower_limit: FloatArray  # (series,) XmR natural process limits
    upper_limit: FloatArray
    side: npt.NDArray[np.int8]  # (series, points): +1 above the median, -1 below, 0 on it
    shift: BoolArray  # (series, points): the point is part of a shift
    trend: BoolArray  # (series, points): the point is part of a trend
    astronomical: BoolArray  # (series, points): outside the XmR limits
    useful: IntArray  # (series,) points not on the median
    runs: IntArray  # (series,) number of runs
    runs_lower: IntArray  # (series,) limits for this many useful observations, -1 when not read
    runs_upper: IntArray
    too_few_runs: BoolArray  # (series,)
    too_many_runs: BoolArray  # (series,)


def signals_batch(values: npt.ArrayLike, baseline: int | None = None) -> BatchSignals:
    """Read every rule for each row of ``values`` (a 2-D array: one series per row, oldest point first).

    ``baseline`` is how many points at the start of each series set the median, mean and limits (all of
    them when None; at least 1). Values must be finite."""
    data = np.asarray(values, dtype=np.float64)
    if data.ndim != 2:
        raise ValueError("values must be a 2-D array: one series per row")
    rows, cols = data.shape
    if cols == 0:
        raise ValueError("each series needs at least one point")
    if not np.isfinite(data).all():
        raise ValueError("values must be finite numbers")
    base = cols if baseline is None else baseline
    if base < 1 or base > cols:
        raise ValueError("the baseline must be between 1 and the number of points")
    base_data = data[:, :base]
    median = np.median(base_data, axis=1)
    mean = base_data.mean(axis=1)
    mean_moving_range = np.abs(np.diff(base_data, axis=1)).mean(axis=1) if base > 1 else np.zeros(rows)
    lower_limit = mean - XMR_FACTOR * mean_moving_range
    upper_limit = mean + XMR_FACTOR * mean_moving_range

    side = np.sign(data - median[:, None]).astype(np.int8)
    side_run_length, runs, _inside = _runs_ignoring_zeros(side)
    shift = side_run_length >= SHIFT_LENGTH
    useful = (side != 0).sum(axis=1).astype(np.int64)

    trend = np.zeros((rows, cols), dtype=np.bool_)
    if cols > 1:
        steps = np.sign(np.diff(data, axis=1)).astype(np.int8)
        step_run_length, _step_runs, flat_inside = _runs_ignoring_zeros(steps, want_inside=True)
        # A trend of N points is N - 1 steps the same way, not counting flat steps (equal neighbours count
        # once); each step of a trend, flat ones inside it included, puts both its ends in the trend.
        long_enough = step_run_length >= TREND_LENGTH - 1
        run_of_flat = _carried_length(step_run_length, steps)
        in_trend = long_enough | (flat_inside & (run_of_flat >= TREND_LENGTH - 1))
        trend[:, :-1] |= in_trend
        trend[:, 1:] |= in_trend

    spread = mean_moving_range > 0
    astronomical = spread[:, None] & ((data > upper_limit[:, None]) | (data < lower_limit[:, None]))

    lower_table, upper_table = _limit_arrays(max(cols, RUNS_TABLE_MIN))
    runs_lower = lower_table[useful]
    runs_upper = upper_table[useful]
    read = runs_lower >= 0
    return BatchSignals(
        median=median,
        mean=mean,
        mean_moving_range=mean_moving_range,
        lower_limit=lower_limit,
        upper_limit=upper_limit,
        side=side,
        shift=shift,
        trend=trend,
        astronomical=astronomical,
        useful=useful,
        runs=runs,
        runs_lower=runs_lower,
        runs_upper=runs_upper,
        too_few_runs=read & (runs < runs_lower),
        too_many_runs=read & (runs > runs_upper),
    )


def _carried_length(member_length: IntArray, sides: npt.NDArray[np.int8]) -> IntArray:
    """For each zero entry, the length of the run before it (for non-zero entries, their own run's)."""
    _rows, cols = sides.shape
    nonzero = sides != 0
    last_nonzero = np.maximum.accumulate(np.where(nonzero, np.arange(cols), -1), axis=1)
    carried = np.take_along_axis(member_length, np.maximum(last_nonzero, 0), axis=1)
    return np.where(last_nonzero >= 0, carried, 0)


@dataclass(frozen=True)
class Signal:
    """One signal on a chart: which rule, which points (indices), and which way (+1 up/above, -1 down/below;
    0 for the runs rule, which has no direction)."""

    rule: str  # "shift", "trend", "too_few_runs", "too_many_runs", "astronomical"
    points: tuple[int, ...]
    direction: int


@dataclass(frozen=True)
class RunChart:
    """One series read by every rule."""

    values: tuple[float, ...]
    baseline: int
    median: float
    mean: float
    mean_moving_range: float
    lower_limit: float
    upper_limit: float
    moving_range_limit: float
    useful: int
    runs: int
    runs_limits: tuple[int, int] | None
    shift_points: tuple[int, ...]
    trend_points: tuple[int, ...]
    astronomical_points: tuple[int, ...]
    signals: tuple[Signal, ...]

    @property
    def too_few_runs(self) -> bool:
        return self.runs_limits is not None and self.runs < self.runs_limits[0]

    @property
    def too_many_runs(self) -> bool:
        return self.runs_limits is not None and self.runs > self.runs_limits[1]


def _shift_groups(series: tuple[float, ...], median: float, points: tuple[int, ...]) -> list[tuple[int, ...]]:
    """Split shift points into shifts: same side of the median, with only points on the median between."""
    groups: list[list[int]] = []
    for index in points:
        if groups:
            previous = groups[-1][-1]
            same_side = (series[index] > median) == (series[previous] > median)
            only_median_between = all(series[j] == median for j in range(previous + 1, index))
            if same_side and only_median_between:
                groups[-1].append(index)
                continue
        groups.append([index])
    return [tuple(group) for group in groups]


def _trend_groups(series: tuple[float, ...]) -> list[tuple[tuple[int, ...], int]]:
    """Each trend as (its points, +1 rising or -1 falling), read one step at a time (flat steps skipped)."""
    trends: list[tuple[tuple[int, ...], int]] = []
    start = 0  # first point of the current run of steps
    direction = 0
    steps = 0
    last_moving = 0  # the point that ends the last non-flat step of the current run
    for i in range(1, len(series)):
        step = (series[i] > series[i - 1]) - (series[i] < series[i - 1])
        if step == 0:
            continue
        if step != direction:
            if steps >= TREND_LENGTH - 1:
                trends.append((tuple(range(start, last_moving + 1)), direction))
            start, direction, steps = i - 1, step, 0
        steps += 1
        last_moving = i
    if steps >= TREND_LENGTH - 1:
        trends.append((tuple(range(start, last_moving + 1)), direction))
    return trends


def analyse(values: Sequence[float] | FloatArray, baseline: int | None = None) -> RunChart:
    """Read one series (oldest point first) by every rule; see :func:`signals_batch` for ``baseline``.

    >>> chart = analyse([5, 4, 6, 5, 4, 6, 9, 10, 9, 11, 10, 9], baseline=6)
    >>> chart.median, chart.shift_points
    (5.0, (5, 6, 7, 8, 9, 10, 11))
    """
    series = tuple(float(v) for v in values)
    batch = signals_batch(np.asarray([series], dtype=np.float64), baseline)
    median = float(batch.median[0])
    shift_points = tuple(int(i) for i in np.flatnonzero(batch.shift[0]))
    trend_points = tuple(int(i) for i in np.flatnonzero(batch.trend[0]))
    astronomical_points = tuple(int(i) for i in np.flatnonzero(batch.astronomical[0]))
    signals: list[Signal] = []
    for group in _shift_groups(series, median, shift_points):
        signals.append(Signal("shift", group, 1 if series[group[0]] > median else -1))
    for group, direction in _trend_groups(series):
        signals.append(Signal("trend", group, direction))
    runs_range = runs_limits(int(batch.useful[0]))
    if bool(batch.too_few_runs[0]):
        signals.append(Signal("too_few_runs", (), 0))
    if bool(batch.too_many_runs[0]):
        signals.append(Signal("too_many_runs", (), 0))
    for index in astronomical_points:
        signals.append(Signal("astronomical", (index,), 1 if series[index] > batch.mean[0] else -1))
    mean_moving_range = float(batch.mean_moving_range[0])
    return RunChart(
        values=series,
        baseline=len(series) if baseline is None else baseline,
        median=median,
        mean=float(batch.mean[0]),
        mean_moving_range=mean_moving_range,
        lower_limit=float(batch.lower_limit[0]),
        upper_limit=float(batch.upper_limit[0]),
        moving_range_limit=MR_FACTOR * mean_moving_range,
        useful=int(batch.useful[0]),
        runs=int(batch.runs[0]),
        runs_limits=runs_range,
        shift_points=shift_points,
        trend_points=trend_points,
        astronomical_points=astronomical_points,
        signals=tuple(signals),
    )
