"""Replaying a conversation's history: one update per batch of votes, as Pol.is computed it."""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Sequence
from datetime import timedelta
from typing import Any

import numpy as np

from coproduce.methods.opinion.results import Result, State
from coproduce.methods.opinion.types import FloatArray, TimedVote
from coproduce.methods.opinion.updates import update, update_arrays
from coproduce.methods.opinion.votes import factorize, index_lookup, timestamp_array, vote_arrays


def replay(
    votes: Iterable[TimedVote],
    statements: Sequence[Hashable],
    moderated_out: Collection[Hashable] = (),
    *,
    interval: float | timedelta,
    meta: Collection[Hashable] = (),
    previous: State | None = None,
) -> tuple[Result, State]:
    """Replay a conversation's votes in time order, one update per batch, as Pol.is computed it.

    Pol.is does not compute its groups once from all votes: its math worker updates the map each
    time new votes arrive, starting every k-means from the last update's clusters, keeping
    everyone who once had enough votes in the map and changing the number of groups only after
    4 updates agree. Its groups therefore depend on the order in which the votes came. This
    replays that history: the votes (with timestamps) are cut into batches, each batch starting
    at the first vote not yet counted and holding every vote less than ``interval`` later, and
    :func:`update` runs once per batch on all votes so far with the previous update's state.
    Inside a batch the votes are taken in the order Pol.is reads them (by statement, in the
    order of ``statements``, then by participant, then by time), which is the order in which new
    participants become rows of its matrix. ``interval`` is in the timestamps' unit (seconds for
    datetimes; a ``timedelta`` is taken as seconds). Moderation is applied as it is now to every
    update. Returns the last update's result and state; raises ``ValueError`` for a vote without
    a timestamp or an interval that is not positive.
    """
    step = interval.total_seconds() if isinstance(interval, timedelta) else float(interval)
    if not step > 0:
        raise ValueError("the interval between updates must be positive")
    columns: tuple[list[Any], ...] = tuple(zip(*votes, strict=False))  # type: ignore[arg-type]
    if not columns:
        return update([], statements, moderated_out, previous, meta=meta)
    if len(columns) != 4:
        raise ValueError("each vote must be (participant, statement, vote, timestamp)")
    participants, statement_ids, values = vote_arrays(columns)
    times = timestamp_array(columns[3])
    stmts = list(statements)

    order = np.argsort(times, kind="stable")
    times = times[order]
    starts = _batch_starts(times, step)
    batch = np.zeros(len(times), dtype=np.int64)
    batch[starts[1:]] = 1
    batch = np.cumsum(batch)
    pids, sids, vals = participants[order], statement_ids[order], values[order]
    column = index_lookup(sids, stmts)
    who = pids if pids.dtype.kind in "iu" else factorize(pids)[1]
    within = np.lexsort((np.arange(len(times)), who, column, batch))  # batch, statement, participant, time
    pids, sids, vals = pids[within], sids[within], vals[within]

    ends = [*starts[1:], len(times)]
    result, state = update_arrays(
        pids[: ends[0]], sids[: ends[0]], vals[: ends[0]], stmts, moderated_out, previous, meta=meta
    )
    for end in ends[1:]:
        result, state = update_arrays(pids[:end], sids[:end], vals[:end], stmts, moderated_out, state, meta=meta)
    return result, state


def replay_updates(timestamps: Sequence[Any], interval: float | timedelta) -> int:
    """How many updates :func:`replay` would run on votes with these timestamps (numbers or
    datetimes, in any order) for this ``interval``: the number of its batches. Cheap (no update is
    run), so a caller can widen the interval until the replay is small enough."""
    step = interval.total_seconds() if isinstance(interval, timedelta) else float(interval)
    if not step > 0:
        raise ValueError("the interval between updates must be positive")
    if not len(timestamps):
        return 0
    return len(_batch_starts(np.sort(timestamp_array(timestamps), kind="stable"), step))


def replay_interval(timestamps: Sequence[Any], intervals: Sequence[float], max_updates: int) -> float:
    """The batch length for replaying votes with these timestamps: the first of ``intervals``
    (shortest first, in the timestamps' unit) whose replay runs at most ``max_updates`` updates,
    else the last one doubled until it does (one batch always fits)."""
    if not intervals or max_updates < 1:
        raise ValueError("give at least one interval and allow at least one update")
    times = np.sort(timestamp_array(timestamps), kind="stable") if len(timestamps) else np.zeros(0)
    for interval in intervals:
        if len(_batch_starts(times, float(interval))) <= max_updates:
            return float(interval)
    interval = float(intervals[-1])
    while len(_batch_starts(times, interval)) > max_updates:
        interval *= 2
    return interval


def _batch_starts(times: FloatArray, step: float) -> list[int]:
    """Where each batch begins in the sorted ``times``: at the first vote not yet counted, holding
    every vote less than ``step`` later (and at least every vote at the same moment)."""
    starts: list[int] = []
    i = 0
    while i < len(times):
        starts.append(i)
        following = int(np.searchsorted(times, times[i] + step, side="left"))
        i = following if following > i else int(np.searchsorted(times, times[i], side="right"))
    return starts
