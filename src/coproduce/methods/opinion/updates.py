"""The entry points for one update: :func:`update` (votes as tuples) and :func:`update_arrays`
(votes as arrays)."""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Sequence
from typing import Any

import numpy.typing as npt

from coproduce.methods.opinion.pipeline import compute
from coproduce.methods.opinion.results import Result, State
from coproduce.methods.opinion.types import TimedVote, Vote
from coproduce.methods.opinion.votes import latest_votes, timestamp_array, vote_arrays


def update(
    votes: Iterable[Vote | TimedVote],
    statements: Sequence[Hashable],
    moderated_out: Collection[Hashable] = (),
    previous: State | None = None,
    *,
    meta: Collection[Hashable] = (),
) -> tuple[Result, State]:
    """Compute the opinion map from all votes so far.

    ``votes`` are ``(participant, statement, vote)`` tuples (agree = +1, disagree = -1, pass = 0),
    optionally with a fourth element, a timestamp. A participant's vote on a statement is the
    latest one: the one with the greatest timestamp, or without timestamps the last in the input.
    Votes on statements not in ``statements`` are ignored. ``moderated_out`` statements are
    treated as Pol.is treats them (their column counts as a pass from everyone and they are never
    chosen as representative or consensus statements); ``meta`` statements likewise, and they get
    Pol.is's fixed priority. ``previous`` is the state returned by the last update; without it the
    computation starts afresh. Raises ``ValueError`` for a vote other than -1, 0 or +1.
    """
    columns: tuple[list[Any], ...] = tuple(zip(*votes, strict=False))  # type: ignore[arg-type]
    if not columns:
        columns = ([], [], [])
    if len(columns) not in (3, 4):
        raise ValueError("each vote must be (participant, statement, vote) or with a timestamp")
    participants, statement_ids, values = vote_arrays(columns)
    timestamps = timestamp_array(columns[3]) if len(columns) == 4 else None
    return update_arrays(
        participants,
        statement_ids,
        values,
        statements,
        moderated_out,
        previous,
        timestamps=timestamps,
        meta=meta,
    )


def update_arrays(
    participants: npt.NDArray[Any],
    statement_ids: npt.NDArray[Any],
    values: npt.ArrayLike,
    statements: Sequence[Hashable],
    moderated_out: Collection[Hashable] = (),
    previous: State | None = None,
    *,
    timestamps: npt.ArrayLike | None = None,
    meta: Collection[Hashable] = (),
) -> tuple[Result, State]:
    """Like :func:`update`, with the votes as three parallel arrays (faster for millions of votes).

    ``participants`` and ``statement_ids`` may hold any hashable ids (integer arrays are fastest).
    """
    latest = latest_votes(participants, statement_ids, values, statements, timestamps)
    return compute(latest, set(moderated_out) | set(meta), set(meta), previous or State())
