"""The small-groups rule for reports, in one place: every figure a report shows or exports passes through
:func:`suppress_table` before it is stored, so no page, download or section decides it differently.

A section gives raw figures (``partnerships.reporting``); here, table by table:

1. **Small counts.** A row that counts people (``counts_people``) with a value from 1 to 4 is not shown: it
   reads "fewer than 5". So is a total from 1 to 4.
2. **By difference, with a total.** In a table whose rows may overlap (a person in several rows), a count row
   whose difference from the total is from 1 to 4 is not shown either: the total minus it would give a small
   group.
3. **Parts of one whole** (``exclusive``: each person in exactly one row). The rows go through
   ``methods.suppression.suppress`` (primary and complementary rules): the total minus the rows shown is 0 or at
   least 5, whichever rows a reader adds up. People counted in the total but in no row are a group of their own,
   never shown. When the whole table counts fewer than 5, nothing in it is shown, not even the total.
4. **Sums and averages** (money, hours, scores) built from fewer than 5 people (``basis`` from 1 to 4) are not
   shown; in a table of parts of one whole, the total is then hidden as well (it would give the sum back by
   subtraction).

What is stored for a cell is its ``state``: "shown" (with its value), "small" (no value kept at all) or
"not_recorded" (the section has no figure). A suppressed value never reaches the stored result.
"""

from __future__ import annotations

from typing import Any

from coproduce.methods.suppression import MINIMUM_GROUP, suppress
from coproduce.partnerships.reporting import ReportRow, ReportTable

SHOWN = "shown"
SMALL = "small"
NOT_RECORDED = "not_recorded"
_REST = "\0rest"  # people in the total but in no row of an exclusive table


def is_small(value: float | None) -> bool:
    return value is not None and 0 < value < MINIMUM_GROUP


def _count(row: ReportRow) -> int:
    return int(row.value or 0)


def _cell(row: ReportRow, state: str) -> dict[str, Any]:
    if row.value is None:
        state = NOT_RECORDED
    value = row.value if state == SHOWN else None
    return {"key": row.key, "label": str(row.label), "value": value, "state": state}


def _basis_ok(row: ReportRow) -> bool:
    return not is_small(row.basis)


def suppress_table(table: ReportTable) -> dict[str, Any]:
    """The table as it may be shown: plain data, ready to store as JSON (labels in words, small figures gone)."""
    states: dict[int, str] = {}
    counted = [i for i, row in enumerate(table.rows) if row.counts_people and row.value is not None]
    total = table.total
    total_state = SHOWN
    if total is not None:
        if total.value is None:
            total_state = NOT_RECORDED
        elif (total.counts_people and is_small(total.value)) or (not total.counts_people and not _basis_ok(total)):
            total_state = SMALL

    if table.exclusive and counted:
        counts: dict[str, int] = {f"{i}": _count(table.rows[i]) for i in counted}
        if total is not None and total.counts_people and total.value is not None:
            rest = _count(total) - sum(counts.values())
            if rest > 0:
                counts[_REST] = rest
        decision = suppress(counts)
        for i in counted:
            value = _count(table.rows[i])
            states[i] = SHOWN if value == 0 and not decision.nothing_shown else SMALL
            if decision.is_shown(f"{i}"):
                states[i] = SHOWN
        if decision.nothing_shown:
            # Fewer than 5 in the whole table: no row and no total, whatever the rows say.
            states.update(dict.fromkeys(counted, SMALL))
            if total is not None and total.counts_people and total_state == SHOWN:
                total_state = SMALL
    else:
        total_value = _count(total) if total is not None and total.counts_people and total.value is not None else None
        for i in counted:
            value = _count(table.rows[i])
            small = is_small(value)
            if total_value is not None and total_state == SHOWN and is_small(total_value - value):
                small = True  # the total minus this row would give a group under 5
            states[i] = SMALL if small else SHOWN

    for i, row in enumerate(table.rows):
        if i not in states:
            states[i] = SHOWN if _basis_ok(row) else SMALL
    # Parts of one whole: a sum hidden for its few people would be the total minus the rows shown.
    hidden_sum = any(states[i] == SMALL and not row.counts_people for i, row in enumerate(table.rows))
    if table.exclusive and total is not None and total_state == SHOWN and hidden_sum:
        total_state = SMALL

    rows = [_cell(row, states[i]) for i, row in enumerate(table.rows)]
    return {
        "key": table.key,
        "title": str(table.title),
        "unit": table.unit,
        "exclusive": table.exclusive,
        "note": str(table.note) if table.note else "",
        "rows": rows,
        "total": _cell(total, total_state) if total is not None else None,
    }
