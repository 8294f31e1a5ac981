"""Step 1 (second half), the rating matrix: Pol.is's participant x statement matrix, kept sparse.

Pol.is's matrix has a column only for statements with at least one vote. The columns of
moderated-out (and meta) statements are set to 0 for every participant (``zero-out-columns``), so
they weigh like passes. Missing votes are replaced by the statement's mean, which makes the centred
matrix zero there: only the voted, non-moderated cells are kept.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

import numpy as np

from coproduce.methods.opinion.types import BoolArray, FloatArray, IntArray
from coproduce.methods.opinion.votes import LatestVotes


@dataclass(frozen=True)
class RatingMatrix:
    """The centred rating matrix as its non-zero cells, with what the later stages need to know
    about its columns (one per statement given, in order)."""

    n_rows: int
    n_cols: int
    col_votes: IntArray  # votes on each statement, moderation not applied
    has_col: BoolArray  # the statement has a vote: a column in Pol.is's matrix
    n_cmts: int  # how many columns Pol.is's matrix has
    is_mod: BoolArray  # moderated out (or meta)
    mod_cols: BoolArray  # moderated out and a column: zero for every participant
    rows: IntArray  # the row of each kept cell (voted, not moderated out)
    cols: IntArray  # its column
    center: FloatArray  # each column's mean over its votes
    centred: FloatArray  # each kept cell's vote minus its column's mean


def rating_matrix(votes: LatestVotes, moderated_out: set[Hashable]) -> RatingMatrix:
    """The rating matrix of these votes with the ``moderated_out`` statements' columns zeroed."""
    r, c, v = votes.rows, votes.cols, votes.values
    n_rows, n_all = len(votes.row_ids), len(votes.statements)
    col_votes = np.bincount(c, minlength=n_all)
    has_col = col_votes > 0
    is_mod = np.array([s in moderated_out for s in votes.statements], dtype=bool)
    keep = ~is_mod[c]
    rk, ck, vk = r[keep], c[keep], v[keep].astype(np.float64)
    obs_count = np.bincount(ck, minlength=n_all).astype(np.float64)
    col_sum = np.bincount(ck, weights=vk, minlength=n_all)
    center = np.divide(col_sum, obs_count, out=np.zeros(n_all), where=obs_count > 0)
    return RatingMatrix(
        n_rows=n_rows,
        n_cols=n_all,
        col_votes=col_votes,
        has_col=has_col,
        n_cmts=int(has_col.sum()),
        is_mod=is_mod,
        mod_cols=is_mod & has_col,
        rows=rk,
        cols=ck,
        center=center,
        centred=vk - center[ck],
    )
