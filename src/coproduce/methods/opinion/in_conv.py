"""Step 4, the participants in the map ("in-conv").

Everyone who has cast ``min(7, statements)`` votes, sticky across updates (once in, always in),
topped up to 15 with the most active voters.
"""

from __future__ import annotations

import numpy as np

from coproduce.methods.opinion.constants import GREEDY_N, MIN_VOTES
from coproduce.methods.opinion.results import State
from coproduce.methods.opinion.types import IntArray
from coproduce.methods.opinion.votes import LatestVotes


def in_conv(votes: LatestVotes, n_cmts: int, previous: State) -> IntArray:
    """The rows of the participants in the map, in row order. ``n_cmts`` is the number of
    statements with a vote; votes on moderated-out statements count."""
    n_rows = len(votes.row_ids)
    raw_counts = np.bincount(votes.rows, minlength=n_rows)
    row_index = votes.row_index
    chosen = np.zeros(n_rows, dtype=bool)
    for p in previous.in_conv:
        i = row_index.get(p)
        if i is not None:
            chosen[i] = True
    chosen |= raw_counts >= min(MIN_VOTES, n_cmts)
    if chosen.sum() < GREEDY_N:
        candidates = np.flatnonzero(~chosen)
        order = candidates[np.argsort(-raw_counts[candidates], kind="stable")]
        chosen[order[: GREEDY_N - int(chosen.sum())]] = True
    return np.flatnonzero(chosen)
