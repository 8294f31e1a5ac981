"""The report builder's small-groups rule (reports/suppress.py): no figure a report shows is 1 to 4 people, and
none lets such a count be worked out by taking shown figures from one another within a table."""

from __future__ import annotations

from itertools import combinations
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coproduce.partnerships.reporting import ReportRow, ReportTable
from coproduce.reports.suppress import NOT_RECORDED, SHOWN, SMALL, suppress_table


def rows_of(values: list[int], *, counts_people: bool = True) -> tuple[ReportRow, ...]:
    return tuple(
        ReportRow(key=f"r{i}", label=f"Row {i}", value=v, counts_people=counts_people) for i, v in enumerate(values)
    )


def shown(cell: dict[str, Any] | None) -> bool:
    return cell is not None and cell["state"] == SHOWN


def small_derivable(table: ReportTable, result: dict[str, Any]) -> list[str]:
    """Every way a reader could get a count of 1 to 4 from the shown figures: a shown count itself, or the shown
    total minus a set of shown rows (the rows of an exclusive table add up; other tables' rows overlap, so only
    the total minus one row is a group)."""
    problems = []
    values = {cell["key"]: cell["value"] for cell in result["rows"] if shown(cell)}
    for cell in result["rows"]:
        if shown(cell) and 1 <= cell["value"] <= 4:
            problems.append(f"{cell['key']} shown as {cell['value']}")
    total = result["total"]
    if shown(total):
        if 1 <= total["value"] <= 4:
            problems.append("total is small")
        keys = sorted(values)
        sizes = range(1, len(keys) + 1) if table.exclusive else range(1, 2)
        for size in sizes:
            for subset in combinations(keys, size):
                left = total["value"] - sum(values[k] for k in subset)
                if 1 <= left <= 4:
                    problems.append(f"total minus {subset} = {left}")
    return problems


# How long generating examples takes depends on the machine's load, not on the rule being checked.
PATIENT = settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)


@PATIENT
@given(st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=7), st.integers(min_value=0, max_value=8))
def test_an_exclusive_table_with_a_total_lets_no_small_count_be_derived(values: list[int], outside: int) -> None:
    """Each person in exactly one row, and ``outside`` people counted in the total but in no row."""
    total = sum(values) + outside
    table = ReportTable(
        key="t",
        title="T",
        unit="count",
        rows=rows_of(values),
        exclusive=True,
        total=ReportRow(key="total", label="All", value=total),
    )
    result = suppress_table(table)
    assert small_derivable(table, result) == []
    for cell in result["rows"]:
        if not shown(cell):
            assert cell["value"] is None  # the stored result keeps no suppressed figure


@PATIENT
@given(st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=7), st.integers(min_value=0, max_value=40))
def test_an_overlapping_table_with_a_total_lets_no_small_count_be_derived(values: list[int], extra: int) -> None:
    """Rows may overlap (a person in several priority groups); each is at most the total."""
    total = max(values) + extra
    table = ReportTable(
        key="t", title="T", unit="count", rows=rows_of(values), total=ReportRow(key="total", label="All", value=total)
    )
    result = suppress_table(table)
    assert small_derivable(table, result) == []
    # Nothing is hidden that need not be: a row of 5 or more, at least 5 from the total, is shown.
    for cell, value in zip(result["rows"], values, strict=True):
        if total >= 5 and (value == 0 or value >= 5) and (total - value == 0 or total - value >= 5):
            assert shown(cell), (cell, value, total)


def test_small_counts_read_fewer_than_5_and_zero_is_shown() -> None:
    table = ReportTable(key="t", title="T", unit="count", rows=rows_of([0, 3, 12]))
    result = suppress_table(table)
    assert [c["state"] for c in result["rows"]] == [SHOWN, SMALL, SHOWN]
    assert [c["value"] for c in result["rows"]] == [0, None, 12]


def test_a_row_is_suppressed_when_the_total_minus_it_is_small() -> None:
    table = ReportTable(
        key="t", title="T", unit="count", rows=rows_of([20, 9]), total=ReportRow(key="total", label="All", value=22)
    )
    result = suppress_table(table)
    assert [c["state"] for c in result["rows"]] == [SMALL, SHOWN]  # 22 - 20 = 2 people not in the first row
    assert result["total"]["value"] == 22


def test_an_exclusive_table_of_fewer_than_5_in_all_shows_nothing() -> None:
    table = ReportTable(
        key="t",
        title="T",
        unit="count",
        rows=rows_of([2, 0, 2]),
        exclusive=True,
        total=ReportRow(key="total", label="All", value=4),
    )
    result = suppress_table(table)
    assert all(c["state"] == SMALL for c in result["rows"])
    assert result["total"]["state"] == SMALL


def test_the_smallest_shown_row_joins_a_small_remainder() -> None:
    table = ReportTable(
        key="t",
        title="T",
        unit="count",
        rows=rows_of([12, 6, 3]),
        exclusive=True,
        total=ReportRow(key="total", label="All", value=21),
    )
    result = suppress_table(table)
    assert [c["state"] for c in result["rows"]] == [SHOWN, SMALL, SMALL]


def test_sums_and_averages_of_fewer_than_5_people_are_hidden() -> None:
    rows = (
        ReportRow(key="paid", label="Paid", value=12_500, counts_people=False, basis=3),
        ReportRow(key="in", label="Money in", value=900_000, counts_people=False),
        ReportRow(key="avg", label="Average", value=3.4, counts_people=False, basis=7),
        ReportRow(key="none", label="Not recorded", value=None),
    )
    result = suppress_table(ReportTable(key="t", title="T", unit="pence", rows=rows))
    assert [c["state"] for c in result["rows"]] == [SMALL, SHOWN, SHOWN, NOT_RECORDED]
    assert result["rows"][0]["value"] is None


def test_a_sum_of_few_people_in_parts_of_a_whole_hides_the_total_too() -> None:
    # Money out = award payments + payments to a few people: showing the total would give the hidden sum back.
    rows = (
        ReportRow(key="awards", label="Award payments", value=400_000, counts_people=False),
        ReportRow(key="people", label="Paid to people", value=7_500, counts_people=False, basis=2),
    )
    total = ReportRow(key="out", label="Money out", value=407_500, counts_people=False)
    parts = suppress_table(ReportTable(key="t", title="T", unit="pence", rows=rows, total=total, exclusive=True))
    assert [c["state"] for c in parts["rows"]] == [SHOWN, SMALL]
    assert parts["total"]["state"] == SMALL and parts["total"]["value"] is None
    # Rows that overlap (not parts of one whole) keep their total.
    overlapping = suppress_table(ReportTable(key="t", title="T", unit="pence", rows=rows, total=total))
    assert overlapping["total"]["state"] == SHOWN
