"""Step 7 (first half), the group tallies: each group's agree, disagree and vote counts on
every statement.

Counted on the raw votes of the group's members (passes count as votes; moderation not applied):
the basis of representative statements, group-aware consensus and priorities.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from coproduce.methods.opinion.types import IntArray
from coproduce.methods.opinion.votes import LatestVotes


@dataclass(frozen=True)
class GroupTallies:
    """Counts per group (rows, in the order of the groups) and statement (columns)."""

    agree: IntArray
    disagree: IntArray
    seen: IntArray

    @property
    def n_groups(self) -> int:
        """How many groups were counted."""
        return int(self.agree.shape[0])


def group_tallies(votes: LatestVotes, group_of_row: IntArray, n_groups: int) -> GroupTallies:
    """Count the votes of each group's members (``group_of_row`` as from ``group_of_rows``)."""
    r, c, v = votes.rows, votes.cols, votes.values
    n_all = len(votes.statements)
    gr = group_of_row[r]
    ing = gr >= 0
    gkey = gr[ing] * n_all + c[ing]
    vg = v[ing]
    size = n_groups * n_all
    return GroupTallies(
        agree=np.bincount(gkey[vg > 0], minlength=size).reshape(n_groups, n_all),
        disagree=np.bincount(gkey[vg < 0], minlength=size).reshape(n_groups, n_all),
        seen=np.bincount(gkey, minlength=size).reshape(n_groups, n_all),
    )
