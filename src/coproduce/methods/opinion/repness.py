"""Step 7, the representative statements: what sets each group apart (repness.clj).

Counted on the rating matrix: a moderated-out statement's column is zero, a pass from every member
of the group, and such statements are never chosen.
"""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np
import numpy.typing as npt

from coproduce.methods.opinion.constants import REP_COUNT, Z_90
from coproduce.methods.opinion.matrix import RatingMatrix
from coproduce.methods.opinion.results import RepStatement
from coproduce.methods.opinion.stats import prop_test, two_prop_test
from coproduce.methods.opinion.tallies import GroupTallies
from coproduce.methods.opinion.types import FloatArray, IntArray


def representative_statements(
    tallies: GroupTallies,
    group_of_row: IntArray,
    matrix: RatingMatrix,
    statements: list[Hashable],
    group_ids: list[int],
) -> dict[int, list[RepStatement]]:
    """Up to 5 representative statements for each group (by group id)."""
    n_groups = tallies.n_groups
    group_sizes = np.bincount(group_of_row[group_of_row >= 0], minlength=n_groups)
    na = tallies.agree.astype(np.float64)
    nd = tallies.disagree.astype(np.float64)
    ns = tallies.seen.astype(np.float64)
    na[:, matrix.mod_cols] = 0.0
    nd[:, matrix.mod_cols] = 0.0
    ns[:, matrix.mod_cols] = group_sizes[:, None]
    return _select_rep(na, nd, ns, statements, matrix.has_col & ~matrix.is_mod, group_ids)


def _f32(x: float) -> float:
    return float(np.float32(x))


def _select_rep(
    na: FloatArray,
    nd: FloatArray,
    ns: FloatArray,
    stmts: list[Hashable],
    eligible: npt.NDArray[np.bool_],
    group_ids: list[int],
) -> dict[int, list[RepStatement]]:
    """Representative statements per group (``conv-repness`` + ``select-rep-comments``)."""
    out: dict[int, list[RepStatement]] = {}
    if not group_ids:
        return out
    pa = (na + 1) / (ns + 2)
    pd = (nd + 1) / (ns + 2)
    pat = prop_test(na, ns)
    pdt = prop_test(nd, ns)
    sa, sd, ss = na.sum(axis=0), nd.sum(axis=0), ns.sum(axis=0)
    oa, od, os_ = sa - na, sd - nd, ss - ns
    ra = pa / ((oa + 1) / (os_ + 2))
    rd = pd / ((od + 1) / (os_ + 2))
    rat = two_prop_test(na, oa, ns, os_)
    rdt = two_prop_test(nd, od, ns, os_)
    cols = np.flatnonzero(eligible)

    def finalize(g: int, j: int) -> RepStatement:
        agree = bool(rat[g, j] > rdt[g, j])
        n_trials = int(ns[g, j])
        return RepStatement(
            statement=stmts[j],
            repful_for="agree" if agree else "disagree",
            n_success=int(na[g, j] if agree else nd[g, j]),
            n_trials=n_trials,
            p_success=float(pa[g, j] if agree else pd[g, j]),
            p_test=float(pat[g, j] if agree else pdt[g, j]),
            repness=float(ra[g, j] if agree else rd[g, j]),
            repness_test=_f32(float(rat[g, j] if agree else rdt[g, j])),
            n_agree=int(na[g, j]),
            n_disagree=int(nd[g, j]),
            agree_share=float(na[g, j] / n_trials) if n_trials else 0.0,
            disagree_share=float(nd[g, j] / n_trials) if n_trials else 0.0,
        )

    for g, gid in enumerate(group_ids):
        sufficient: list[int] = []
        best: RepStatement | None = None
        best_agree: int | None = None
        for j in cols:
            if (rat[g, j] > Z_90 and pat[g, j] > Z_90) or (rdt[g, j] > Z_90 and pdt[g, j] > Z_90):
                sufficient.append(int(j))
            if not sufficient and (best is None or max(rat[g, j], rdt[g, j]) > best.repness_test):
                best = finalize(g, int(j))
            if na[g, j] == 0 and nd[g, j] == 0:
                beats = False
            elif best_agree is not None and ra[g, best_agree] > 1.0:
                b = best_agree
                beats = bool(ra[g, j] * rat[g, j] * pa[g, j] * pat[g, j] > ra[g, b] * rat[g, b] * pa[g, b] * pat[g, b])
            elif best_agree is not None:
                b = best_agree
                beats = bool(pa[g, j] * pat[g, j] > pa[g, b] * pat[g, b])
            else:
                beats = bool(pat[g, j] > Z_90 or (ra[g, j] > 1.0 and pa[g, j] > 0.5))
            if beats:
                best_agree = int(j)
        head: list[RepStatement] = []
        ba: RepStatement | None = None
        if best_agree is not None:
            ba = finalize(g, best_agree)
            ba.best_agree = True
            head = [ba]
        elif best is not None:
            head = [best]
        if not sufficient:
            out[gid] = head
            continue
        chosen = [finalize(g, j) for j in sufficient if j != best_agree]
        chosen.sort(key=lambda s: -(s.repness * s.repness_test * s.p_success * s.p_test))
        top = ([ba] if ba is not None else []) + chosen
        top = top[:REP_COUNT]
        out[gid] = [s for s in top if s.repful_for == "agree"] + [s for s in top if s.repful_for == "disagree"]
    return out
