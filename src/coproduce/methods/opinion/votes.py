"""Step 1 (first half), the votes: ids and values as arrays, and each participant's latest vote per statement.

A participant's vote on a statement is their latest: the one with the greatest timestamp when
timestamps are given, else the last in the input. Rows are participants in order of first vote (as
Pol.is adds rows to its matrix); columns are the statements in the order given.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

from coproduce.methods.opinion.types import FloatArray, IntArray


@dataclass(frozen=True)
class LatestVotes:
    """Each participant's latest vote on each statement, one entry per (row, column) voted on.

    ``row_ids[rows[i]]`` voted ``values[i]`` on ``statements[cols[i]]``.
    """

    row_ids: list[Hashable]
    statements: list[Hashable]
    rows: IntArray
    cols: IntArray
    values: npt.NDArray[np.int8]

    @cached_property
    def row_index(self) -> dict[Hashable, int]:
        """Each participant's row."""
        return {p: i for i, p in enumerate(self.row_ids)}


def latest_votes(
    participants: npt.NDArray[Any],
    statement_ids: npt.NDArray[Any],
    values: npt.ArrayLike,
    statements: Sequence[Hashable],
    timestamps: npt.ArrayLike | None = None,
) -> LatestVotes:
    """Check the votes and keep each participant's latest on each of ``statements``.

    Votes on statements not in ``statements`` are dropped. Raises ``ValueError`` for a vote other
    than -1, 0 or +1, arrays of different lengths or a statement given twice.
    """
    vals = np.asarray(values)
    if vals.size and not np.isin(vals, (-1, 0, 1)).all():
        raise ValueError("votes must be -1 (disagree), 0 (pass) or +1 (agree)")
    vals = vals.astype(np.int8)
    pids = np.asarray(participants)
    sids = np.asarray(statement_ids)
    if not (len(pids) == len(sids) == len(vals)):
        raise ValueError("participants, statements and votes must have the same length")
    stmts = list(statements)
    if len(set(stmts)) != len(stmts):
        raise ValueError("statements must not repeat")

    # Order: by timestamp when given (stable, so ties keep input order), else input order.
    if timestamps is not None:
        ts = np.asarray(timestamps, dtype=np.float64)
        order = np.argsort(ts, kind="stable")
        pids, sids, vals = pids[order], sids[order], vals[order]

    # Statement ids -> column index; votes on unknown statements are dropped.
    col_of = index_lookup(sids, stmts)
    known = col_of >= 0
    if not known.all():
        pids, col_of, vals = pids[known], col_of[known], vals[known]

    # Participant ids -> rows, in order of first appearance (as Pol.is adds rows).
    row_ids, rows = factorize(pids)
    n_cols = len(stmts)

    # Latest vote per (row, column): the last occurrence wins.
    key = rows.astype(np.int64) * max(n_cols, 1) + col_of
    order = _stable_order(key)
    ordered = key[order]
    last = order[np.r_[ordered[1:] != ordered[:-1], True]] if len(key) else order
    r = rows[last].astype(np.int64)
    c = col_of[last].astype(np.int64)
    v = vals[last].astype(np.int8)

    return LatestVotes(row_ids, stmts, r, c, v)


def vote_arrays(columns: tuple[list[Any], ...]) -> tuple[npt.NDArray[Any], npt.NDArray[Any], IntArray]:
    """Votes given as columns (participant, statement, vote, …) as arrays, for ``update`` and ``replay``."""
    try:
        values = np.asarray(columns[2], dtype=np.int64)
    except (TypeError, ValueError) as error:
        raise ValueError("votes must be -1 (disagree), 0 (pass) or +1 (agree)") from error
    return object_array(columns[0]), object_array(columns[1]), values


def timestamp_array(moments: Sequence[Any]) -> FloatArray:
    """Timestamps (numbers or datetimes) as seconds; ``ValueError`` for anything else."""
    if any(hasattr(t, "timestamp") for t in moments[:1]):
        moments = [t.timestamp() if hasattr(t, "timestamp") else t for t in moments]
    try:
        result: FloatArray = np.asarray(moments, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError("timestamps must be numbers or datetimes") from error
    return result


def object_array(values: Sequence[Any]) -> npt.NDArray[Any]:
    """Ids as an integer array when they all are integers, else as an array of objects."""
    try:
        ints = np.asarray(values)
    except (ValueError, OverflowError):
        ints = np.zeros(0)
    if ints.dtype.kind in "iu" and ints.ndim == 1:
        return ints
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def _stable_order(key: IntArray) -> IntArray:
    """``argsort(key, kind="stable")`` for non-negative keys; below 2^32 as two 16-bit radix passes."""
    if not len(key) or int(key.max()) >= 2**32:
        stable: IntArray = np.argsort(key, kind="stable")
        return stable
    order = np.argsort((key & 0xFFFF).astype(np.uint16), kind="stable")
    high = (key[order] >> 16).astype(np.uint16)
    result: IntArray = order[np.argsort(high, kind="stable")]
    return result


def index_lookup(ids: npt.NDArray[Any], universe: Sequence[Hashable]) -> IntArray:
    """Index of each id in ``universe`` (-1 when absent)."""
    if ids.dtype.kind in "iu" and all(isinstance(s, int | np.integer) for s in universe):
        uni = np.asarray(universe, dtype=np.int64)
        if len(ids) and len(uni) and uni.min() >= 0 and ids.min() >= 0 and uni.max() < 4 * len(uni) + 1024:
            # small non-negative ids: a lookup table
            table = np.full(max(int(uni.max()), int(ids.max())) + 1, -1, dtype=np.int64)
            table[uni] = np.arange(len(uni))
            looked_up: IntArray = table[ids]
            return looked_up
        order = np.argsort(uni, kind="stable")
        sorted_uni = uni[order]
        pos = np.searchsorted(sorted_uni, ids)
        pos_clipped = np.minimum(pos, max(len(uni) - 1, 0))
        found = (pos < len(uni)) & (sorted_uni[pos_clipped] == ids) if len(uni) else np.zeros(len(ids), bool)
        out = np.full(len(ids), -1, dtype=np.int64)
        out[found] = order[pos_clipped[found]]
        return out
    index = {s: i for i, s in enumerate(universe)}
    return np.fromiter((index.get(x, -1) for x in ids.tolist()), dtype=np.int64, count=len(ids))


def factorize(ids: npt.NDArray[Any]) -> tuple[list[Hashable], IntArray]:
    """Distinct ids in order of first appearance, and each element's index among them."""
    if ids.dtype.kind in "iu" and len(ids) and ids.min() >= 0 and ids.max() < 4 * len(ids) + 1024:
        # small non-negative ids: a lookup table instead of sorting
        first = np.full(int(ids.max()) + 1, len(ids), dtype=np.int64)
        np.minimum.at(first, ids, np.arange(len(ids)))
        present = np.flatnonzero(first < len(ids))
        order = present[np.argsort(first[present], kind="stable")]
        table = np.full(len(first), -1, dtype=np.int64)
        table[order] = np.arange(len(order))
        return order.tolist(), table[ids]
    if ids.dtype.kind in "iu":
        uniq, first, inverse = np.unique(ids, return_index=True, return_inverse=True)
        order = np.argsort(first, kind="stable")
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        return [x.item() for x in uniq[order]], rank[inverse.ravel()].astype(np.int64)
    index: dict[Hashable, int] = {}
    codes = np.fromiter((index.setdefault(x, len(index)) for x in ids.tolist()), dtype=np.int64, count=len(ids))
    return list(index), codes
