"""Steps 8 and 9, consensus: the statements most of everyone agrees (or disagrees) with, and the
group-aware consensus, the chance that every group agrees with a statement.
"""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np
import numpy.typing as npt

from coproduce.methods.opinion.constants import CONSENSUS_COUNT, Z_90
from coproduce.methods.opinion.matrix import RatingMatrix
from coproduce.methods.opinion.results import ConsensusStatement
from coproduce.methods.opinion.stats import prop_test
from coproduce.methods.opinion.tallies import GroupTallies
from coproduce.methods.opinion.types import BoolArray, FloatArray
from coproduce.methods.opinion.votes import LatestVotes


def consensus_statements(votes: LatestVotes, matrix: RatingMatrix) -> dict[str, list[ConsensusStatement]]:
    """Up to 5 statements in ``"agree"`` and in ``"disagree"``, over all participants; moderated-out
    statements are never chosen."""
    c, v, n_all = votes.cols, votes.values, matrix.n_cols
    ca = np.bincount(c[v > 0], minlength=n_all).astype(np.float64)
    cd = np.bincount(c[v < 0], minlength=n_all).astype(np.float64)
    cs_ = matrix.col_votes.astype(np.float64)
    return _select_consensus(ca, cd, cs_, votes.statements, matrix.has_col & ~matrix.is_mod)


def group_aware_consensus(
    tallies: GroupTallies, has_col: BoolArray, statements: list[Hashable]
) -> dict[Hashable, float]:
    """For each statement with a vote, the product over groups of (agrees + 1) / (votes + 2)."""
    n_all = len(statements)
    gac_arr = np.prod((tallies.agree + 1.0) / (tallies.seen + 2.0), axis=0) if tallies.n_groups else np.ones(n_all)
    return {statements[j]: float(gac_arr[j]) for j in range(n_all) if has_col[j]}


def _select_consensus(
    na: FloatArray, nd: FloatArray, ns: FloatArray, stmts: list[Hashable], eligible: npt.NDArray[np.bool_]
) -> dict[str, list[ConsensusStatement]]:
    """Statements most participants agree (disagree) with (``select-consensus-comments``)."""
    pa = (na + 1) / (ns + 2)
    pd = (nd + 1) / (ns + 2)
    pat = prop_test(na, ns)
    pdt = prop_test(nd, ns)
    out: dict[str, list[ConsensusStatement]] = {}
    for name, n_s, p, t in (("agree", na, pa, pat), ("disagree", nd, pd, pdt)):
        cols = [int(j) for j in np.flatnonzero(eligible) if p[j] > 0.5 and t[j] > Z_90]
        cols.sort(key=lambda j: -(p[j] * t[j]))
        out[name] = [
            ConsensusStatement(stmts[j], int(n_s[j]), int(ns[j]), float(p[j]), float(t[j]))
            for j in cols[:CONSENSUS_COUNT]
        ]
    return out
