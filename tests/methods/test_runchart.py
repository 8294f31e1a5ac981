"""The run-chart rules, against worked examples from the literature and against a literal, loop-by-loop
reading of the rules (hypothesis).

Sources:
* Perla RJ, Provost LP, Murray SK. The run chart: a simple analytical tool for learning from variation in
  healthcare processes. BMJ Qual Saf 2011;20:46–51 (the four rules; Table 1, runs limits).
* Swed FS, Eisenhart C. Tables for testing randomness of grouping in a sequence of alternatives.
  Ann Math Stat 1943;14:66–87 (the distribution of the number of runs behind Table 1).
* Balestracci D. An underrated test for run charts. Quality Digest, October 2008 (16 points in runs of
  7, 7, 1 and 1: four runs, "too few").
* Wheeler DJ, Chambers DS. Understanding Statistical Process Control (XmR limits: mean ± 2.66 × mean
  moving range; moving-range limit 3.268, here 3.267, × mean moving range).
"""

from __future__ import annotations

import doctest
from fractions import Fraction
from math import comb

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coproduce.methods import runchart
from coproduce.methods.runchart import analyse, runs_distribution, runs_limits, signals_batch


def test_the_docstring_examples_hold() -> None:
    assert doctest.testmod(runchart).failed == 0


# --- The literal reading of the rules, one point at a time ----------------------------------------------


def reference_shift(values: list[float], median: float) -> set[int]:
    marked: set[int] = set()
    current: list[int] = []
    side = 0
    for i, value in enumerate(values):
        if value == median:
            continue  # neither breaks nor counts
        this = 1 if value > median else -1
        if this != side:
            if len(current) >= 6:
                marked.update(current)
            current, side = [], this
        current.append(i)
    if len(current) >= 6:
        marked.update(current)
    return marked


def reference_trend(values: list[float]) -> set[int]:
    # Equal neighbours count once: collapse them into one level holding all their indices.
    levels: list[tuple[float, list[int]]] = []
    for i, value in enumerate(values):
        if levels and levels[-1][0] == value:
            levels[-1][1].append(i)
        else:
            levels.append((value, [i]))
    marked: set[int] = set()
    start = 0
    while start < len(levels) - 1:
        direction = 1 if levels[start + 1][0] > levels[start][0] else -1
        end = start + 1
        while end + 1 < len(levels) and (levels[end + 1][0] > levels[end][0]) == (direction == 1):
            end += 1
        if end - start + 1 >= 5:
            # The trend leaves its first level from that level's last point and reaches its last level at
            # that level's first point; levels in between belong to it whole.
            marked.add(levels[start][1][-1])
            for level in levels[start + 1 : end]:
                marked.update(level[1])
            marked.add(levels[end][1][0])
        start = end
    return marked


def reference_runs(values: list[float], median: float) -> tuple[int, int]:
    sides = [1 if v > median else -1 for v in values if v != median]
    runs = sum(1 for i, s in enumerate(sides) if i == 0 or s != sides[i - 1])
    return runs, len(sides)


# --- Worked examples --------------------------------------------------------------------------------------


def test_balestracci_sixteen_points_in_four_runs_are_too_few_runs() -> None:
    # Quality Digest 2008: 16 points, runs of length 7 (above), 7 (below), 1 (above), 1 (below) – four runs,
    # where 5 to 12 are expected by chance (our exact limits: 5 to 13). The values are ours; the pattern is his.
    values = [30, 31, 29, 32, 30, 33, 31, 20, 19, 21, 18, 20, 22, 19, 30, 20]
    chart = analyse(values)
    assert chart.median == 25.5
    assert chart.useful == 16
    assert chart.runs == 4
    assert chart.runs_limits is not None
    assert chart.runs_limits[0] == 5
    assert chart.too_few_runs
    # With Perla's rule (6 or more), both runs of 7 are shifts, one above and one below.
    shifts = [s for s in chart.signals if s.rule == "shift"]
    assert [(s.points, s.direction) for s in shifts] == [(tuple(range(7)), 1), (tuple(range(7, 14)), -1)]


def test_points_on_the_median_neither_break_nor_count_in_a_shift() -> None:
    # Perla et al. 2011, rule 1: "values that fall on the median do not add to nor break a shift".
    # Median 10: five points above with one on the median among them is not yet a shift ...
    five = [9, 8, 9, 11, 12, 10, 11, 12, 11, 8, 9, 10, 10, 10]
    assert analyse(five).median == 10
    assert analyse(five).shift_points == ()
    # ... and a sixth point above, after the one on the median, makes one.
    six = [9, 8, 9, 11, 12, 10, 11, 12, 11, 13, 8, 9, 7, 10, 10, 10]
    chart = analyse(six)
    assert chart.median == 10
    assert chart.shift_points == (3, 4, 6, 7, 8, 9)
    assert 5 not in chart.shift_points  # the point on the median is not marked


def test_equal_neighbours_count_once_in_a_trend() -> None:
    # Perla et al. 2011, rule 2: "if the value of two or more successive points is the same, ignore the like
    # points when counting". 1, 2, 2, 3, 4 is four distinct levels: no trend; one more rise makes five.
    assert analyse([5, 1, 2, 2, 3, 4, 1]).trend_points == ()
    chart = analyse([5, 1, 2, 2, 3, 4, 5, 1])
    assert chart.trend_points == (1, 2, 3, 4, 5, 6)
    assert [(s.rule, s.direction) for s in chart.signals if s.rule == "trend"] == [("trend", 1)]


def test_a_falling_trend_right_after_a_rising_one_is_a_second_trend() -> None:
    chart = analyse([1, 2, 3, 4, 5, 4, 3, 2, 1])
    trends = [(s.points, s.direction) for s in chart.signals if s.rule == "trend"]
    assert trends == [((0, 1, 2, 3, 4), 1), ((4, 5, 6, 7, 8), -1)]


def test_runs_are_counted_as_crossings_plus_one() -> None:
    # Perla et al. 2011: count the runs by counting the times the line crosses the median, and add one.
    # Median 10; points on the median are ignored; 8 useful points in 3 runs.
    chart = analyse([10, 8, 6, 14, 16, 14, 18, 20, 8, 10, 10, 10])
    assert chart.median == 10
    assert (chart.useful, chart.runs) == (8, 3)
    assert chart.runs_limits is None  # fewer than 10 useful observations: the rule is not read


def test_xmr_limits_by_hand() -> None:
    # Mean 60 / 6 = 10; moving ranges 2, 4, 2, 4, 2 (mean 2.8); limits 10 ± 2.66 × 2.8 = 2.552 and 17.448.
    chart = analyse([9, 11, 7, 9, 13, 11])
    assert chart.mean == pytest.approx(10.0)
    assert chart.mean_moving_range == pytest.approx((2 + 4 + 2 + 4 + 2) / 5)
    assert chart.lower_limit == pytest.approx(2.552)
    assert chart.upper_limit == pytest.approx(17.448)
    assert chart.moving_range_limit == pytest.approx(3.267 * 2.8)


def test_an_astronomical_point_is_outside_the_baseline_limits() -> None:
    # Baseline of 8 points: mean 10, mean moving range 1, so limits 7.34 and 12.66; 13 is beyond, 12.5 is not.
    values = [10, 11, 10, 9, 10, 11, 10, 9, 12.5, 13, 10]
    chart = analyse(values, baseline=8)
    assert chart.mean == 10
    assert chart.mean_moving_range == pytest.approx(1.0)
    assert chart.astronomical_points == (9,)


def test_the_baseline_sets_the_median_and_the_rules_read_every_point() -> None:
    # A change after 8 points: the baseline median is 5, and the 6 points after it are all above.
    values = [5, 4, 6, 5, 4, 6, 5, 5, 8, 9, 8, 9, 10, 9]
    whole = analyse(values)
    based = analyse(values, baseline=8)
    assert based.median == 5
    assert based.shift_points == (5, 8, 9, 10, 11, 12, 13)
    assert whole.median != based.median


# --- Swed & Eisenhart ------------------------------------------------------------------------------------


def test_runs_distribution_small_cases_by_hand() -> None:
    # Two above and two below: AABB, ABBA, BBAA, BAAB, ABAB, BABA – 2, 3, 2, 3, 4, 4 runs.
    probabilities = runs_distribution(2, 2)
    assert probabilities[2] == pytest.approx(2 / 6)
    assert probabilities[3] == pytest.approx(2 / 6)
    assert probabilities[4] == pytest.approx(2 / 6)


@given(st.integers(1, 30), st.integers(1, 30))
def test_runs_distribution_sums_to_one_with_the_known_mean(above: int, below: int) -> None:
    probabilities = runs_distribution(above, below)
    assert sum(probabilities) == pytest.approx(1.0)
    mean = sum(r * p for r, p in enumerate(probabilities))
    assert mean == pytest.approx(1 + 2 * above * below / (above + below))


def brute_force_limits(useful: int) -> tuple[int, int]:
    """Count every arrangement of floor(n/2) below and ceil(n/2) above (exact fractions)."""
    below = useful // 2
    above = useful - below
    counts: dict[int, int] = {}
    for mask in range(1 << useful):
        if bin(mask).count("1") != above:
            continue
        bits = [(mask >> i) & 1 for i in range(useful)]
        runs = 1 + sum(1 for i in range(1, useful) if bits[i] != bits[i - 1])
        counts[runs] = counts.get(runs, 0) + 1
    total = comb(useful, above)
    tail = Fraction(1, 40)
    cumulative = Fraction(0)
    lower = next(r for r in sorted(counts) if (cumulative := cumulative + Fraction(counts[r], total)) > tail)
    cumulative = Fraction(0)
    upper = next(
        r for r in sorted(counts, reverse=True) if (cumulative := cumulative + Fraction(counts[r], total)) > tail
    )
    return lower, upper


@pytest.mark.parametrize("useful", [10, 11, 12, 13, 14, 15, 16])
def test_runs_limits_match_counting_every_arrangement(useful: int) -> None:
    assert runs_limits(useful) == brute_force_limits(useful)


def test_runs_limits_are_not_read_for_fewer_than_ten_points() -> None:
    assert runs_limits(9) is None
    assert runs_limits(10) is not None


def test_runs_limits_widen_with_more_points() -> None:
    limits = [runs_limits(n) for n in range(10, 61)]
    assert all(limit is not None for limit in limits)
    lowers = [limit[0] for limit in limits if limit]
    uppers = [limit[1] for limit in limits if limit]
    assert lowers == sorted(lowers)
    assert uppers == sorted(uppers)
    # Around the expected number of runs, n/2 + 1.
    for n, (low, high) in zip(range(10, 61), zip(lowers, uppers, strict=True), strict=True):
        assert low < n / 2 + 1 < high


# --- Properties -------------------------------------------------------------------------------------------

series = st.lists(st.integers(-20, 20), min_size=1, max_size=40)


@settings(max_examples=300)
@given(series, st.data())
def test_batch_agrees_with_the_literal_reading(values: list[int], data: st.DataObject) -> None:
    baseline = data.draw(st.one_of(st.none(), st.integers(1, len(values))))
    floats = [float(v) for v in values]
    batch = signals_batch(np.asarray([floats]), baseline)
    median = float(np.median(floats[: baseline or len(floats)]))
    assert batch.median[0] == median
    assert set(np.flatnonzero(batch.shift[0]).tolist()) == reference_shift(floats, median)
    assert set(np.flatnonzero(batch.trend[0]).tolist()) == reference_trend(floats)
    runs, useful = reference_runs(floats, median)
    assert (int(batch.runs[0]), int(batch.useful[0])) == (runs, useful)
    limits = runs_limits(useful)
    assert bool(batch.too_few_runs[0]) == (limits is not None and runs < limits[0])
    assert bool(batch.too_many_runs[0]) == (limits is not None and runs > limits[1])


@given(st.lists(series.filter(lambda v: len(v) >= 2), min_size=1, max_size=6).map(lambda rows: rows[0]))
def test_many_rows_at_once_give_the_same_as_one_at_a_time(row: list[int]) -> None:
    rows = [row, [v * 2 for v in row], list(reversed(row)), [-v for v in row]]
    batch = signals_batch(np.asarray(rows, dtype=float))
    for i, one in enumerate(rows):
        single = signals_batch(np.asarray([one], dtype=float))
        assert np.array_equal(batch.shift[i], single.shift[0])
        assert np.array_equal(batch.trend[i], single.trend[0])
        assert np.array_equal(batch.astronomical[i], single.astronomical[0])
        assert batch.runs[i] == single.runs[0]


@given(series, st.integers(1, 5), st.integers(-50, 50))
def test_rules_do_not_depend_on_units_or_origin(values: list[int], scale: int, offset: int) -> None:
    plain = analyse(values)
    moved = analyse([scale * v + offset for v in values])
    assert plain.shift_points == moved.shift_points
    assert plain.trend_points == moved.trend_points
    assert plain.astronomical_points == moved.astronomical_points
    assert (plain.runs, plain.useful) == (moved.runs, moved.useful)


@given(series)
def test_turning_the_chart_upside_down_keeps_the_signals_and_flips_their_direction(values: list[int]) -> None:
    plain = analyse(values)
    flipped = analyse([-v for v in values])
    assert [(s.rule, s.points, -s.direction) for s in plain.signals] == [
        (s.rule, s.points, s.direction) for s in flipped.signals
    ]


@given(series)
def test_signals_cover_exactly_the_marked_points(values: list[int]) -> None:
    chart = analyse(values)
    shift = {i for s in chart.signals if s.rule == "shift" for i in s.points}
    trend = {i for s in chart.signals if s.rule == "trend" for i in s.points}
    assert shift == set(chart.shift_points)
    assert trend == set(chart.trend_points)
    assert all(len(s.points) >= 6 for s in chart.signals if s.rule == "shift")
    assert 0 < chart.runs <= chart.useful or chart.useful == chart.runs == 0


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="finite"):
        signals_batch([[1.0, float("nan")]])
    with pytest.raises(ValueError, match="2-D"):
        signals_batch([1.0, 2.0])
    with pytest.raises(ValueError, match="baseline"):
        signals_batch([[1.0, 2.0]], baseline=3)
    with pytest.raises(ValueError, match="at least one point"):
        signals_batch(np.zeros((2, 0)))
