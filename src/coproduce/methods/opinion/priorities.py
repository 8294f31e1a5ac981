"""Step 10, the priorities: how strongly to show each statement next (Pol.is comment routing).

Statements that few have seen, that people vote on rather than pass, that people agree with and
that sit far from the centre of the map come first; meta statements get Pol.is's fixed priority.
"""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np

from coproduce.methods.opinion.constants import META_PRIORITY
from coproduce.methods.opinion.tallies import GroupTallies
from coproduce.methods.opinion.types import FloatArray


def priorities(
    tallies: GroupTallies, extremity: FloatArray, statements: list[Hashable], meta: set[Hashable]
) -> dict[Hashable, float]:
    """Each statement's priority, from the groups' votes and the statement's extremity."""
    tot_a = tallies.agree.sum(axis=0).astype(np.float64)
    tot_d = tallies.disagree.sum(axis=0).astype(np.float64)
    tot_s = tallies.seen.sum(axis=0).astype(np.float64)
    tot_p = tot_s - (tot_a + tot_d)
    p_pass = (tot_p + 1) / (tot_s + 2)
    a_rate = (tot_a + 1) / (tot_s + 2)
    importance = (1 - p_pass) * (extremity + 1) * a_rate
    prio = (importance * (1 + 8 * np.power(2.0, -tot_s / 5))) ** 2
    is_meta = np.array([s in meta for s in statements], dtype=bool)
    prio[is_meta] = META_PRIORITY**2
    return {statements[j]: float(prio[j]) for j in range(len(statements))}
