"""The last stage: the stages' arrays as the plain :class:`Result` and :class:`State`, by id."""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np

from coproduce.methods.opinion.groups import GroupChoice
from coproduce.methods.opinion.kmeans import Cluster
from coproduce.methods.opinion.matrix import RatingMatrix
from coproduce.methods.opinion.projection import Projection
from coproduce.methods.opinion.results import (
    BaseCluster,
    ClusterState,
    ConsensusStatement,
    Group,
    Pca,
    RepStatement,
    Result,
    State,
)
from coproduce.methods.opinion.tallies import GroupTallies
from coproduce.methods.opinion.types import FloatArray, IntArray
from coproduce.methods.opinion.votes import LatestVotes


def make_result(
    *,
    votes: LatestVotes,
    matrix: RatingMatrix,
    comps: FloatArray,
    projection: Projection,
    in_idx: IntArray,
    base: list[Cluster],
    choice: GroupChoice,
    silhouettes: dict[int, float],
    group_of_row: IntArray,
    tallies: GroupTallies,
    repness: dict[int, list[RepStatement]],
    consensus: dict[str, list[ConsensusStatement]],
    group_aware_consensus: dict[Hashable, float],
    priorities: dict[Hashable, float],
) -> Result:
    """Everything one update computed, with participants and statements by id."""
    row_ids, stmts = votes.row_ids, votes.statements
    group_ids = [g.id for g in choice.groups]
    gid_of: list[int | None] = [*group_ids, None]  # index -1 -> None
    participants: dict[Hashable, int | None] = dict(
        zip(row_ids, [gid_of[g] for g in group_of_row.tolist()], strict=True)
    )
    proj, cproj, extremity = projection.participants, projection.statements, projection.extremity
    pca = Pca(
        statements=list(stmts),
        center=[float(x) for x in np.where(matrix.is_mod, 0.0, matrix.center)],
        components=[[float(x) for x in comps[j]] for j in range(comps.shape[0])],
        participant_projections={p: (x, y) for p, (x, y) in zip(row_ids, proj.tolist(), strict=True)},
        statement_projections={s: (float(cproj[j, 0]), float(cproj[j, 1])) for j, s in enumerate(stmts)},
        statement_extremity={s: float(extremity[j]) for j, s in enumerate(stmts)},
    )
    base_out = [
        BaseCluster(b.id, [row_ids[i] for i in in_idx[b.members].tolist()], (float(b.center[0]), float(b.center[1])))
        for b in base
    ]
    groups_out = []
    for gi, g in enumerate(choice.groups):
        members_rows = np.flatnonzero(group_of_row == gi)
        groups_out.append(
            Group(
                g.id,
                [row_ids[i] for i in members_rows.tolist()],
                [base[int(b)].id for b in g.members],
                (float(g.center[0]), float(g.center[1])),
            )
        )
    has_col = matrix.has_col
    group_votes = {
        group_ids[gi]: {
            stmts[j]: {
                "agree": int(tallies.agree[gi, j]),
                "disagree": int(tallies.disagree[gi, j]),
                "votes": int(tallies.seen[gi, j]),
            }
            for j in range(len(stmts))
            if has_col[j]
        }
        for gi in range(tallies.n_groups)
    }
    return Result(
        participants=participants,
        pca=pca,
        base_clusters=base_out,
        groups=groups_out,
        repness=repness,
        consensus=consensus,
        group_aware_consensus=group_aware_consensus,
        priorities=priorities,
        in_conv=[row_ids[i] for i in in_idx.tolist()],
        group_votes=group_votes,
        k=choice.k,
        silhouettes=silhouettes,
        n_participants=len(row_ids),
        n_statements=len(stmts),
        n_votes=len(votes.values),
    )


def make_state(
    *,
    votes: LatestVotes,
    comps: FloatArray,
    in_idx: IntArray,
    base: list[Cluster],
    clusterings: dict[int, list[Cluster]],
    choice: GroupChoice,
) -> State:
    """What the next update starts from, with participants and statements by id."""
    row_ids = votes.row_ids
    in_names = [row_ids[i] for i in in_idx.tolist()]
    base_names: list[Hashable] = [b.id for b in base]
    return State(
        in_conv=in_names,
        base_clusters=[_cluster_state(b, in_names) for b in base],
        group_clusterings={k: [_cluster_state(g, base_names) for g in cl] for k, cl in clusterings.items()},
        last_k=choice.last_k,
        last_k_count=choice.last_k_count,
        smoothed_k=choice.smoothed_k,
        component_statements=list(votes.statements),
        components=[[float(x) for x in comps[j]] for j in range(comps.shape[0])],
    )


def _cluster_state(cl: Cluster, names: Sequence[Hashable]) -> ClusterState:
    return ClusterState(cl.id, [names[i] for i in cl.members.tolist()], (float(cl.center[0]), float(cl.center[1])))
