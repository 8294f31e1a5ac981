"""Opinion maps: the Pol.is method, plain data in and out.

People vote agree / disagree / pass on short statements. From the votes this module computes what
Pol.is computes (see ``docs/opinion-method.md``):

1. the vote matrix, one cell per participant and statement holding the **latest** vote, with the
   columns of moderated-out (and meta) statements set to 0 for everyone;
2. a 2-component PCA of that matrix with missing votes replaced by the statement's mean, found by
   power iteration (warm-started from the previous update), and the "sparsity-aware" projection of
   every participant and statement onto it;
3. the participants in the map ("in-conv"): everyone who has cast ``min(7, statements)`` votes,
   sticky across updates, topped up to 15 with the most active voters;
4. 100 base clusters of those participants (k-means on their projections), then group clusters for
   k = 2..min(5, 2 + base/12) (weighted k-means on the base-cluster centres), k chosen by silhouette
   and smoothed across updates;
5. representative statements per group, consensus statements, group-aware consensus and the
   priority with which each statement should be shown next.

Vote signs: in **this API** agree = +1, disagree = -1, pass = 0. Pol.is stores and computes with the
opposite sign (agree = -1). Every count and statistic here is identical; the geometric outputs (PCA
centre, projections) are the Pol.is ones multiplied by -1, which is the same map rotated by 180
degrees (principal components are defined only up to sign anyway).

Pol.is computes a conversation as a long run of such updates, each starting from the last, so its
groups depend on the order the votes came in; :func:`replay` rebuilds a map that way from
timestamped votes. Everything here is plain Python and numpy; results and state convert to
JSON-ready dictionaries.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

__all__ = [
    "BaseCluster",
    "ClusterState",
    "ConsensusStatement",
    "Group",
    "Pca",
    "RepStatement",
    "Result",
    "State",
    "TimedVote",
    "Vote",
    "adjusted_rand_index",
    "replay",
    "replay_interval",
    "replay_updates",
    "update",
    "update_arrays",
]

Vote = tuple[Hashable, Hashable, int]
"""``(participant, statement, vote)`` with agree = +1, disagree = -1, pass = 0."""

TimedVote = tuple[Hashable, Hashable, int, Any]
"""A vote with a timestamp (a number or an aware ``datetime``): the latest wins (ties: the later
one in the input)."""

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

# Pol.is constants (conversation.clj base-conv-update-graph, repness.clj, stats.clj).
MIN_VOTES = 7
GREEDY_N = 15
BASE_K = 100
BASE_ITERS = 100
MAX_K = 5
GROUP_ITERS = 20  # Pol.is passes :cluster-iters, which kmeans ignores: its default of 20 applies.
GROUP_K_BUFFER = 4
PCA_ITERS = 1000  # Pol.is does 100 per update from the last components; we iterate to convergence.
LARGE_PCA_ITERS = 30  # sweeps over all votes in a large conversation, after a start from a sample
Z_90 = 1.2816
REP_COUNT = 5
CONSENSUS_COUNT = 5
META_PRIORITY = 7.0
SAME_CLUSTERING = 0.01


# --------------------------------------------------------------------------------------------------
# Results and state
# --------------------------------------------------------------------------------------------------


@dataclass
class Pca:
    """The 2-component PCA, in this API's sign convention (agree = +1).

    ``statements`` gives the column order of ``center`` and of each row of ``components``.
    Statements with no votes yet have centre 0, component 0 and projection (0, 0).
    """

    statements: list[Hashable]
    center: list[float]
    components: list[list[float]]
    participant_projections: dict[Hashable, tuple[float, float]]
    statement_projections: dict[Hashable, tuple[float, float]]
    statement_extremity: dict[Hashable, float]

    def to_dict(self) -> dict[str, Any]:
        return {
            "statements": list(self.statements),
            "center": list(self.center),
            "components": [list(c) for c in self.components],
            "participant_projections": {k: list(v) for k, v in self.participant_projections.items()},
            "statement_projections": {k: list(v) for k, v in self.statement_projections.items()},
            "statement_extremity": dict(self.statement_extremity),
        }


@dataclass
class BaseCluster:
    """One of the (up to 100) small clusters of participants on the map."""

    id: int
    members: list[Hashable]
    center: tuple[float, float]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "members": list(self.members), "center": list(self.center)}


@dataclass
class Group:
    """An opinion group: a union of base clusters."""

    id: int
    members: list[Hashable]
    base_clusters: list[int]
    center: tuple[float, float]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "members": list(self.members),
            "base_clusters": list(self.base_clusters),
            "center": list(self.center),
        }


@dataclass
class RepStatement:
    """A statement that represents a group, with the statistics Pol.is gives for it.

    ``repful_for`` says whether the group stands out by agreeing or by disagreeing;
    ``n_success``/``n_trials``/``p_success``/``p_test`` describe that direction inside the group,
    ``repness``/``repness_test`` compare the group with everyone in the other groups.
    """

    statement: Hashable
    repful_for: Literal["agree", "disagree"]
    n_success: int
    n_trials: int
    p_success: float
    p_test: float
    repness: float
    repness_test: float
    n_agree: int
    n_disagree: int
    agree_share: float
    disagree_share: float
    best_agree: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "statement": self.statement,
            "repful_for": self.repful_for,
            "n_success": self.n_success,
            "n_trials": self.n_trials,
            "p_success": self.p_success,
            "p_test": self.p_test,
            "repness": self.repness,
            "repness_test": self.repness_test,
            "n_agree": self.n_agree,
            "n_disagree": self.n_disagree,
            "agree_share": self.agree_share,
            "disagree_share": self.disagree_share,
            "best_agree": self.best_agree,
        }


@dataclass
class ConsensusStatement:
    """A statement that most of all participants agree (or disagree) with."""

    statement: Hashable
    n_success: int
    n_trials: int
    p_success: float
    p_test: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "statement": self.statement,
            "n_success": self.n_success,
            "n_trials": self.n_trials,
            "p_success": self.p_success,
            "p_test": self.p_test,
        }


@dataclass
class Result:
    """Everything one update computes. ``to_dict()`` is JSON-serialisable.

    ``participants`` maps every participant to its group id, or ``None`` when it is not (yet) in
    the map. ``group_votes[group][statement]`` holds ``{"agree", "disagree", "votes"}`` counts of
    the group's members (passes count as votes; moderation not applied), the basis of
    ``group_aware_consensus``. ``consensus`` has the lists ``"agree"`` and ``"disagree"``.
    """

    participants: dict[Hashable, int | None]
    pca: Pca
    base_clusters: list[BaseCluster]
    groups: list[Group]
    repness: dict[int, list[RepStatement]]
    consensus: dict[str, list[ConsensusStatement]]
    group_aware_consensus: dict[Hashable, float]
    priorities: dict[Hashable, float]
    in_conv: list[Hashable]
    group_votes: dict[int, dict[Hashable, dict[str, int]]]
    k: int
    silhouettes: dict[int, float]
    n_participants: int
    n_statements: int
    n_votes: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "participants": dict(self.participants),
            "pca": self.pca.to_dict(),
            "base_clusters": [c.to_dict() for c in self.base_clusters],
            "groups": [g.to_dict() for g in self.groups],
            "repness": {g: [r.to_dict() for r in reps] for g, reps in self.repness.items()},
            "consensus": {d: [c.to_dict() for c in lst] for d, lst in self.consensus.items()},
            "group_aware_consensus": dict(self.group_aware_consensus),
            "priorities": dict(self.priorities),
            "in_conv": list(self.in_conv),
            "group_votes": {g: {s: dict(c) for s, c in v.items()} for g, v in self.group_votes.items()},
            "k": self.k,
            "silhouettes": dict(self.silhouettes),
            "n_participants": self.n_participants,
            "n_statements": self.n_statements,
            "n_votes": self.n_votes,
        }


@dataclass
class ClusterState:
    """A cluster carried between updates (members are participant ids or base-cluster ids)."""

    id: int
    members: list[Hashable]
    center: tuple[float, float]


@dataclass
class State:
    """What one update hands to the next (Pol.is keeps the same between its updates).

    - ``in_conv``: participants in the map (sticky);
    - ``base_clusters``: warm start of the base k-means;
    - ``group_clusterings``: for every k tried, the group clusters (members are base-cluster ids);
    - ``last_k``, ``last_k_count``, ``smoothed_k``: the k smoother;
    - ``components`` by statement: warm start of the power iteration.

    ``to_dict()`` gives JSON-ready data (ids are kept in lists, so integer ids survive a JSON round
    trip) and ``State.from_dict`` reads it back.
    """

    in_conv: list[Hashable] = field(default_factory=list)
    base_clusters: list[ClusterState] = field(default_factory=list)
    group_clusterings: dict[int, list[ClusterState]] = field(default_factory=dict)
    last_k: int | None = None
    last_k_count: int = 0
    smoothed_k: int | None = None
    component_statements: list[Hashable] = field(default_factory=list)
    components: list[list[float]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        def clusters(cs: list[ClusterState]) -> list[dict[str, Any]]:
            return [{"id": c.id, "members": list(c.members), "center": list(c.center)} for c in cs]

        return {
            "in_conv": list(self.in_conv),
            "base_clusters": clusters(self.base_clusters),
            "group_clusterings": [[k, clusters(cs)] for k, cs in sorted(self.group_clusterings.items())],
            "last_k": self.last_k,
            "last_k_count": self.last_k_count,
            "smoothed_k": self.smoothed_k,
            "component_statements": list(self.component_statements),
            "components": [list(c) for c in self.components],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> State:
        def clusters(raw: Iterable[Mapping[str, Any]]) -> list[ClusterState]:
            return [
                ClusterState(
                    id=int(c["id"]),
                    members=[_hashable(m) for m in c["members"]],
                    center=(float(c["center"][0]), float(c["center"][1])),
                )
                for c in raw
            ]

        return cls(
            in_conv=[_hashable(p) for p in data.get("in_conv", [])],
            base_clusters=clusters(data.get("base_clusters", [])),
            group_clusterings={int(k): clusters(cs) for k, cs in data.get("group_clusterings", [])},
            last_k=data.get("last_k"),
            last_k_count=int(data.get("last_k_count", 0)),
            smoothed_k=data.get("smoothed_k"),
            component_statements=[_hashable(s) for s in data.get("component_statements", [])],
            components=[[float(x) for x in c] for c in data.get("components", [])],
        )


def _hashable(value: Any) -> Hashable:
    # JSON turns tuples into lists; ids are ints or strings in practice.
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    result: Hashable = value
    return result


# --------------------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------------------


def _vote_arrays(columns: tuple[list[Any], ...]) -> tuple[npt.NDArray[Any], npt.NDArray[Any], IntArray]:
    """Votes given as columns (participant, statement, vote, …) as arrays, for ``update`` and ``replay``."""
    try:
        values = np.asarray(columns[2], dtype=np.int64)
    except (TypeError, ValueError) as error:
        raise ValueError("votes must be -1 (disagree), 0 (pass) or +1 (agree)") from error
    return _object_array(columns[0]), _object_array(columns[1]), values


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
    participants, statement_ids, values = _vote_arrays(columns)
    timestamps = _timestamps(columns[3]) if len(columns) == 4 else None
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
    participants, statement_ids, values = _vote_arrays(columns)
    times = _timestamps(columns[3])
    stmts = list(statements)

    order = np.argsort(times, kind="stable")
    times = times[order]
    starts = _batch_starts(times, step)
    batch = np.zeros(len(times), dtype=np.int64)
    batch[starts[1:]] = 1
    batch = np.cumsum(batch)
    pids, sids, vals = participants[order], statement_ids[order], values[order]
    column = _index_lookup(sids, stmts)
    who = pids if pids.dtype.kind in "iu" else _factorize(pids)[1]
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
    return len(_batch_starts(np.sort(_timestamps(timestamps), kind="stable"), step))


def replay_interval(timestamps: Sequence[Any], intervals: Sequence[float], max_updates: int) -> float:
    """The batch length for replaying votes with these timestamps: the first of ``intervals``
    (shortest first, in the timestamps' unit) whose replay runs at most ``max_updates`` updates,
    else the last one doubled until it does (one batch always fits)."""
    if not intervals or max_updates < 1:
        raise ValueError("give at least one interval and allow at least one update")
    times = np.sort(_timestamps(timestamps), kind="stable") if len(timestamps) else np.zeros(0)
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


def _timestamps(moments: Sequence[Any]) -> FloatArray:
    if any(hasattr(t, "timestamp") for t in moments[:1]):
        moments = [t.timestamp() if hasattr(t, "timestamp") else t for t in moments]
    try:
        result: FloatArray = np.asarray(moments, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError("timestamps must be numbers or datetimes") from error
    return result


def _object_array(values: Sequence[Any]) -> npt.NDArray[Any]:
    try:
        ints = np.asarray(values)
    except (ValueError, OverflowError):
        ints = np.zeros(0)
    if ints.dtype.kind in "iu" and ints.ndim == 1:
        return ints
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


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
    col_of = _index_lookup(sids, stmts)
    known = col_of >= 0
    if not known.all():
        pids, col_of, vals = pids[known], col_of[known], vals[known]

    # Participant ids -> rows, in order of first appearance (as Pol.is adds rows).
    row_ids, rows = _factorize(pids)
    n_cols = len(stmts)

    # Latest vote per (row, column): the last occurrence wins.
    key = rows.astype(np.int64) * max(n_cols, 1) + col_of
    order = _stable_order(key)
    ordered = key[order]
    last = order[np.r_[ordered[1:] != ordered[:-1], True]] if len(key) else order
    r = rows[last].astype(np.int64)
    c = col_of[last].astype(np.int64)
    v = vals[last].astype(np.int8)

    return _compute(row_ids, stmts, r, c, v, set(moderated_out) | set(meta), set(meta), previous or State())


def _stable_order(key: IntArray) -> IntArray:
    """``argsort(key, kind="stable")`` for non-negative keys; below 2^32 as two 16-bit radix passes."""
    if not len(key) or int(key.max()) >= 2**32:
        stable: IntArray = np.argsort(key, kind="stable")
        return stable
    order = np.argsort((key & 0xFFFF).astype(np.uint16), kind="stable")
    high = (key[order] >> 16).astype(np.uint16)
    result: IntArray = order[np.argsort(high, kind="stable")]
    return result


def _index_lookup(ids: npt.NDArray[Any], universe: Sequence[Hashable]) -> IntArray:
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


def _factorize(ids: npt.NDArray[Any]) -> tuple[list[Hashable], IntArray]:
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


# --------------------------------------------------------------------------------------------------
# The computation
# --------------------------------------------------------------------------------------------------


def _compute(
    row_ids: list[Hashable],
    stmts: list[Hashable],
    r: IntArray,
    c: IntArray,
    v: npt.NDArray[np.int8],
    mod_out: set[Hashable],
    meta: set[Hashable],
    prev: State,
) -> tuple[Result, State]:
    n_rows, n_all = len(row_ids), len(stmts)
    # Pol.is's matrix has a column only for statements that have a vote.
    col_votes = np.bincount(c, minlength=n_all)
    has_col = col_votes > 0
    n_cmts = int(has_col.sum())
    is_mod = np.array([s in mod_out for s in stmts], dtype=bool)
    mod_cols = is_mod & has_col

    # ---- rating matrix: mod-out columns zeroed for every row --------------------------------
    keep = ~is_mod[c]
    rk, ck, vk = r[keep], c[keep], v[keep].astype(np.float64)
    obs_count = np.bincount(ck, minlength=n_all).astype(np.float64)
    col_sum = np.bincount(ck, weights=vk, minlength=n_all)
    center = np.divide(col_sum, obs_count, out=np.zeros(n_all), where=obs_count > 0)
    dk = vk - center[ck]  # centred values of the observed, non-moderated cells (imputed cells are 0)

    # ---- PCA by power iteration on the covariance (Gram) matrix ----------------------------
    start = _start_vectors(prev, stmts, n_all)
    comps = _pca(rk, ck, dk, n_rows, n_all, start, min(2, n_rows, n_cmts))
    comps[:, np.bincount(ck, weights=dk * dk, minlength=n_all) == 0] = 0.0  # no variance: exactly 0

    # ---- sparsity-aware projections --------------------------------------------------------
    votes_per_row = np.bincount(rk, minlength=n_rows) + int(mod_cols.sum())
    scale = np.sqrt(n_cmts / np.maximum(votes_per_row, 1))
    proj = np.zeros((n_rows, 2))
    for j in range(comps.shape[0]):
        proj[:, j] = np.bincount(rk, weights=dk * comps[j][ck], minlength=n_rows) * scale
    cproj = np.zeros((n_all, 2))
    agree_dev = 1.0 - center  # a virtual participant who agreed with only this statement
    for j in range(comps.shape[0]):
        cproj[:, j] = math.sqrt(n_cmts) * agree_dev * comps[j]
    cproj[~has_col | is_mod] = 0.0
    extremity = np.sqrt((cproj**2).sum(axis=1))

    # ---- in-conv (participants in the map) ---------------------------------------------------
    raw_counts = np.bincount(r, minlength=n_rows)
    row_index = {p: i for i, p in enumerate(row_ids)}
    in_conv = np.zeros(n_rows, dtype=bool)
    for p in prev.in_conv:
        i = row_index.get(p)
        if i is not None:
            in_conv[i] = True
    in_conv |= raw_counts >= min(MIN_VOTES, n_cmts)
    if in_conv.sum() < GREEDY_N:
        candidates = np.flatnonzero(~in_conv)
        order = candidates[np.argsort(-raw_counts[candidates], kind="stable")]
        in_conv[order[: GREEDY_N - int(in_conv.sum())]] = True
    in_idx = np.flatnonzero(in_conv)

    # ---- base clusters -------------------------------------------------------------------------
    points = proj[in_idx]
    pos_of_row = np.full(n_rows, -1, dtype=np.int64)
    pos_of_row[in_idx] = np.arange(len(in_idx))
    last_base = [
        _Cluster(
            cs.id,
            np.array(
                [pos_of_row[row_index[m]] for m in cs.members if m in row_index and pos_of_row[row_index[m]] >= 0],
                dtype=np.int64,
            ),
            np.array(cs.center, dtype=np.float64),
        )
        for cs in prev.base_clusters
    ]
    base = _kmeans(points, BASE_K, last_base or None, BASE_ITERS, None) if len(points) else []
    base.sort(key=lambda cl: cl.id)

    # ---- group clusters for each k, silhouette, smoothing ------------------------------------
    bcenters = np.array([b.center for b in base]).reshape(-1, 2)
    bweights = np.array([len(b.members) for b in base], dtype=np.float64)
    bpos = {b.id: i for i, b in enumerate(base)}
    max_k = min(MAX_K, 2 + len(base) // 12)
    clusterings: dict[int, list[_Cluster]] = {}
    silhouettes: dict[int, float] = {}
    if len(base):
        dist = np.sqrt(((bcenters[:, None, :] - bcenters[None, :, :]) ** 2).sum(axis=2))
        for k in range(2, max_k + 1):
            last_groups = [
                _Cluster(
                    cs.id,
                    np.array([bpos[_int_key(m)] for m in cs.members if _int_key(m) in bpos], dtype=np.int64),
                    np.array(cs.center, dtype=np.float64),
                )
                for cs in prev.group_clusterings.get(k, [])
            ]
            groups_k = _kmeans(bcenters, k, last_groups or None, GROUP_ITERS, bweights)
            groups_k.sort(key=lambda cl: cl.id)
            clusterings[k] = groups_k
            silhouettes[k] = _silhouette(dist, groups_k)
    last_k, last_k_count, smoothed_k = prev.last_k, prev.last_k_count, prev.smoothed_k
    if clusterings:
        best = max(silhouettes.values())
        this_k = max(k for k, s in silhouettes.items() if s == best or (math.isnan(best) and math.isnan(s)))
        this_count = last_k_count + 1 if last_k is not None and this_k == last_k else 1
        if this_count >= GROUP_K_BUFFER or smoothed_k is None:
            smoothed_k = this_k
        last_k, last_k_count = this_k, this_count
        chosen_k = smoothed_k if smoothed_k in clusterings else this_k
        group_clusters = clusterings[chosen_k]
    else:
        chosen_k = 0
        group_clusters = []

    # participant row -> group id
    group_of_row = np.full(n_rows, -1, dtype=np.int64)
    group_ids = [g.id for g in group_clusters]
    for gi, g in enumerate(group_clusters):
        for b in g.members:
            group_of_row[in_idx[base[int(b)].members]] = gi
    n_groups = len(group_clusters)

    # ---- group vote counts on the raw matrix (in-conv members only) ----------------------------
    gr = group_of_row[r]
    ing = gr >= 0
    gkey = gr[ing] * n_all + c[ing]
    vg = v[ing]
    size = n_groups * n_all
    g_agree = np.bincount(gkey[vg > 0], minlength=size).reshape(n_groups, n_all)
    g_disagree = np.bincount(gkey[vg < 0], minlength=size).reshape(n_groups, n_all)
    g_seen = np.bincount(gkey, minlength=size).reshape(n_groups, n_all)

    # ---- repness on the rating matrix (mod-out columns: zero, a pass from every member) -------
    group_sizes = np.bincount(group_of_row[group_of_row >= 0], minlength=n_groups)
    na = g_agree.astype(np.float64)
    nd = g_disagree.astype(np.float64)
    ns = g_seen.astype(np.float64)
    na[:, mod_cols] = 0.0
    nd[:, mod_cols] = 0.0
    ns[:, mod_cols] = group_sizes[:, None]
    repness = _select_rep(na, nd, ns, stmts, has_col & ~is_mod, group_ids)

    # ---- consensus over all participants (rating matrix) -------------------------------------
    ca = np.bincount(c[v > 0], minlength=n_all).astype(np.float64)
    cd = np.bincount(c[v < 0], minlength=n_all).astype(np.float64)
    cs_ = col_votes.astype(np.float64)
    consensus = _select_consensus(ca, cd, cs_, stmts, has_col & ~is_mod)

    # ---- group-aware consensus and priorities (raw matrix) -----------------------------------
    gac_arr = np.prod((g_agree + 1.0) / (g_seen + 2.0), axis=0) if n_groups else np.ones(n_all)
    group_aware_consensus = {stmts[j]: float(gac_arr[j]) for j in range(n_all) if has_col[j]}
    tot_a = g_agree.sum(axis=0).astype(np.float64)
    tot_d = g_disagree.sum(axis=0).astype(np.float64)
    tot_s = g_seen.sum(axis=0).astype(np.float64)
    tot_p = tot_s - (tot_a + tot_d)
    p_pass = (tot_p + 1) / (tot_s + 2)
    a_rate = (tot_a + 1) / (tot_s + 2)
    importance = (1 - p_pass) * (extremity + 1) * a_rate
    prio = (importance * (1 + 8 * np.power(2.0, -tot_s / 5))) ** 2
    is_meta = np.array([s in meta for s in stmts], dtype=bool)
    prio[is_meta] = META_PRIORITY**2
    priorities = {stmts[j]: float(prio[j]) for j in range(n_all)}

    # ---- assemble ------------------------------------------------------------------------------------
    gid_of: list[int | None] = [*group_ids, None]  # index -1 -> None
    participants: dict[Hashable, int | None] = dict(
        zip(row_ids, [gid_of[g] for g in group_of_row.tolist()], strict=True)
    )
    pca = Pca(
        statements=list(stmts),
        center=[float(x) for x in np.where(is_mod, 0.0, center)],
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
    for gi, g in enumerate(group_clusters):
        members_rows = np.flatnonzero(group_of_row == gi)
        groups_out.append(
            Group(
                g.id,
                [row_ids[i] for i in members_rows.tolist()],
                [base[int(b)].id for b in g.members],
                (float(g.center[0]), float(g.center[1])),
            )
        )
    group_votes = {
        group_ids[gi]: {
            stmts[j]: {
                "agree": int(g_agree[gi, j]),
                "disagree": int(g_disagree[gi, j]),
                "votes": int(g_seen[gi, j]),
            }
            for j in range(n_all)
            if has_col[j]
        }
        for gi in range(n_groups)
    }
    result = Result(
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
        k=chosen_k,
        silhouettes=silhouettes,
        n_participants=n_rows,
        n_statements=n_all,
        n_votes=len(v),
    )

    def to_state(cl: _Cluster, names: Sequence[Hashable]) -> ClusterState:
        return ClusterState(cl.id, [names[i] for i in cl.members.tolist()], (float(cl.center[0]), float(cl.center[1])))

    in_names = [row_ids[i] for i in in_idx.tolist()]
    base_names: list[Hashable] = [b.id for b in base]
    state = State(
        in_conv=in_names,
        base_clusters=[to_state(b, in_names) for b in base],
        group_clusterings={k: [to_state(g, base_names) for g in cl] for k, cl in clusterings.items()},
        last_k=last_k,
        last_k_count=last_k_count,
        smoothed_k=smoothed_k,
        component_statements=list(stmts),
        components=[[float(x) for x in comps[j]] for j in range(comps.shape[0])],
    )
    return result, state


def _int_key(value: Hashable) -> int:
    return int(value) if isinstance(value, int | float | str | np.integer) else -1


# --------------------------------------------------------------------------------------------------
# PCA
# --------------------------------------------------------------------------------------------------

_DENSE_CELLS = 8_000_000


def _dense_gram(r: IntArray, c: IntArray, d: FloatArray, n_rows: int, n_cols: int) -> FloatArray:
    """``D^T D`` for the sparse centred matrix D (cells (r, c) = d, zero elsewhere), made dense."""
    dense = np.zeros((n_rows, n_cols))
    dense[r, c] = d
    result: FloatArray = dense.T @ dense
    return result


class _SparseGram:
    """``V -> D^T (D V)`` for a large sparse D, in float32, without forming ``D^T D``.

    Costs a few passes over the votes per product: nothing proportional to
    participants x statements is ever allocated.
    """

    def __init__(self, r: IntArray, c: IntArray, d: FloatArray, n_rows: int, n_cols: int) -> None:
        if len(r) > 1 and not bool(np.all(r[1:] >= r[:-1])):
            order = np.argsort(r, kind="stable")
            r, c, d = r[order], c[order], d[order]
        self.n_rows, self.n_cols = n_rows, n_cols
        self.c = c.astype(np.int32)
        self.d = d.astype(np.float32)
        self.row_starts = np.flatnonzero(np.r_[True, r[1:] != r[:-1]]) if len(r) else np.zeros(0, np.int64)
        self.rows = r[self.row_starts]
        by_col = np.argsort(c.astype(np.int16 if n_cols < 32_000 else np.int32), kind="stable")
        self.r_by_col = r[by_col].astype(np.int32)
        self.d_by_col = self.d[by_col]
        c_sorted = c[by_col]
        self.col_starts = (
            np.flatnonzero(np.r_[True, c_sorted[1:] != c_sorted[:-1]]) if len(c) else np.zeros(0, np.int64)
        )
        self.cols = c_sorted[self.col_starts]

    def __call__(self, basis: FloatArray) -> FloatArray:
        out = np.zeros((self.n_cols, basis.shape[1]))
        if not len(self.d):
            return out
        columns = np.ascontiguousarray(basis.T, dtype=np.float32)
        per_row = np.zeros(self.n_rows, dtype=np.float32)
        for j in range(basis.shape[1]):  # one vector at a time: 1-D gathers are the fast ones
            per_row[self.rows] = np.add.reduceat(columns[j].take(self.c) * self.d, self.row_starts)
            out[self.cols, j] = np.add.reduceat(
                per_row.take(self.r_by_col) * self.d_by_col, self.col_starts, dtype=np.float64
            )
        return out


def _pca(
    r: IntArray, c: IntArray, d: FloatArray, n_rows: int, n_cols: int, starts: list[FloatArray | None], n_comps: int
) -> FloatArray:
    """The 2 principal components of the mean-imputed matrix (its centred form D is sparse)."""
    if n_cols == 0 or n_rows == 0 or not len(d):
        return np.zeros((2, n_cols))
    if n_rows * n_cols <= _DENSE_CELLS:
        gram = _dense_gram(r, c, d, n_rows, n_cols)
        return _power_pca(lambda basis: gram @ basis, n_cols, starts, n_comps)
    # Large: start from the components of a random sample of rows (or the last update's), then
    # iterate on all rows until the components stop changing.
    sample_rows = max(1, min(n_rows, _DENSE_CELLS // n_cols))
    chosen = np.zeros(n_rows, dtype=bool)
    chosen[np.random.default_rng(1).choice(n_rows, sample_rows, replace=False)] = True
    keep = chosen[r]
    renumber = np.cumsum(chosen) - 1
    sample = _dense_gram(renumber[r[keep]], c[keep], d[keep], sample_rows, n_cols)
    initial = _power_pca(lambda basis: sample @ basis, n_cols, starts, n_comps, tolerance=1e-6)
    return _power_pca(_SparseGram(r, c, d, n_rows, n_cols), n_cols, starts, n_comps, initial, 1e-5, LARGE_PCA_ITERS)


def _start_vectors(prev: State, stmts: list[Hashable], n: int) -> list[FloatArray | None]:
    """Warm start: the last components, by statement, with 1 for statements new since (as Pol.is)."""
    if not prev.components:
        return []
    pos = {s: i for i, s in enumerate(prev.component_statements)}
    starts: list[FloatArray | None] = []
    for comp in prev.components:
        vec = np.array([comp[pos[s]] if s in pos and pos[s] < len(comp) else 1.0 for s in stmts])
        starts.append(None if not vec.any() else vec)
    return starts


def _power_pca(
    apply: Callable[[FloatArray], FloatArray],
    n: int,
    starts: list[FloatArray | None],
    n_comps: int,
    initial: FloatArray | None = None,
    tolerance: float = 1e-13,
    max_iters: int = PCA_ITERS,
) -> FloatArray:
    """The first ``n_comps`` eigenvectors of ``gram`` (= ``D^T D``) by power iteration.

    Pol.is (``powerit-pca``) runs 100 single-vector power iterations per update, starting from
    the last update's components, and deflates by Gram-Schmidt for the second one; over a
    conversation's life that converges to the top eigenvectors. Here the same iteration runs on
    a small block of vectors at once (orthogonal iteration, which converges much faster) until
    the top two stop changing, so one update gives the converged components. The sign of each
    component is the one power iteration from the start vector gives (``start . v > 0``): the
    last update's component, so the map does not flip between updates, or a fixed
    pseudo-random vector, as Pol.is's random start, on a fresh start.
    """
    comps = np.zeros((2, n))
    n_comps = max(0, min(n_comps, n))
    if n_comps == 0:
        return comps
    rng = np.random.default_rng(0)
    block = min(n, max(n_comps + 6, 8) if initial is None else n_comps + 1)
    basis = rng.random((n, block))
    signs = rng.random((n, n_comps))
    for j in range(min(n_comps, len(starts))):
        start = starts[j]
        if start is not None and np.linalg.norm(start) > 0:
            basis[:, j] = start
            signs[:, j] = start
    if initial is not None:
        basis[:, : initial.shape[0]] = initial.T[:, : min(block, initial.shape[0])]
    basis, _ = np.linalg.qr(basis)
    top = np.zeros((n, n_comps))
    for _ in range(max_iters):
        product = apply(basis)
        if not product.any():
            return comps
        small = basis.T @ product  # Rayleigh-Ritz: the best 2 vectors in the current block
        values, vectors = np.linalg.eigh((small + small.T) / 2)
        order = np.argsort(values)[::-1][:n_comps]
        new_top = basis @ vectors[:, order]
        aligned = top * np.where((new_top * top).sum(axis=0) < 0, -1.0, 1.0)
        done = bool(np.sqrt(((new_top - aligned) ** 2).sum(axis=0)).max() < tolerance)
        top = new_top
        if done:
            break
        basis, _ = np.linalg.qr(product)
    for j in range(n_comps):
        vec = top[:, j] / np.linalg.norm(top[:, j])
        if float(signs[:, j] @ vec) < 0:
            vec = -vec
        comps[j] = vec
    return comps


# --------------------------------------------------------------------------------------------------
# k-means as Pol.is (clusters.clj)
# --------------------------------------------------------------------------------------------------


@dataclass
class _Cluster:
    id: int
    members: IntArray  # indices into the current points
    center: FloatArray


def _weighted_mean(points: FloatArray, idx: IntArray, weights: FloatArray | None) -> FloatArray:
    if weights is None:
        result: FloatArray = points[idx].mean(axis=0)
        return result
    w = weights[idx]
    weighted: FloatArray = (points[idx] * w[:, None]).sum(axis=0) / w.sum()
    return weighted


_LARGE_DIST = 131_072  # distances computed per block of points x centres (fits in cache)


def _dist2(px: FloatArray, py: FloatArray, centers: FloatArray) -> FloatArray:
    """Squared distances, points x centres."""
    result: FloatArray = px[:, None] - centers[None, :, 0]
    np.square(result, out=result)
    dy = py[:, None] - centers[None, :, 1]
    np.square(dy, out=dy)
    result += dy
    return result


def _sorted_rows(centers: FloatArray) -> FloatArray:
    result: FloatArray = centers[np.lexsort((centers[:, 1], centers[:, 0]))]
    return result


def _same_sorted(ca: FloatArray, cb: FloatArray) -> bool:
    """Pol.is ``same-clustering?`` on centres already sorted: paired in order, every pair closer
    than 0.01 (the longer list's extra centres are not compared, as Clojure's zip drops them)."""
    m = min(len(ca), len(cb))
    return bool((np.sqrt(((ca[:m] - cb[:m]) ** 2).sum(axis=1)) < SAME_CLUSTERING).all())


def _distinct_first(points: FloatArray) -> IntArray:
    """Indices of the distinct rows of ``points``, in order of first appearance."""
    _, first = np.unique(points[:, 0] + 1j * points[:, 1], return_index=True)
    result: IntArray = np.sort(first).astype(np.int64)
    return result


def _init_clusters(points: FloatArray, k: int) -> list[_Cluster]:
    firsts = _distinct_first(points)[:k]
    return [_Cluster(i, np.zeros(0, dtype=np.int64), points[p].copy()) for i, p in enumerate(firsts)]


def _clean_start(points: FloatArray, last: list[_Cluster], k: int, weights: FloatArray | None) -> list[_Cluster]:
    """Pol.is ``clean-start-clusters``: recentre the last clusters on the new positions, merge
    identical ones, then split off the most distant point until there are k (or all distinct)."""
    clusters = [
        _Cluster(cl.id, cl.members, _weighted_mean(points, cl.members, weights)) for cl in last if len(cl.members)
    ]
    if not clusters:
        all_idx = np.arange(len(points))
        next_id = max((cl.id for cl in last), default=-1) + 1
        clusters = [_Cluster(next_id, all_idx, _weighted_mean(points, all_idx, weights))]
    uniq: list[_Cluster] = []
    at: dict[tuple[float, ...], int] = {}  # centre -> its cluster in uniq (the first with it)
    for cl in clusters:
        twin = at.get(tuple(cl.center.tolist()))
        if twin is None:
            at[tuple(cl.center.tolist())] = len(uniq)
            uniq.append(cl)
            continue
        u = uniq[twin]
        nu, nc = len(u.members), len(cl.members)
        new_id = u.id if nu > nc else cl.id
        center = (u.center * nu + cl.center * nc) / (nu + nc)
        uniq[twin] = _Cluster(new_id, np.concatenate([u.members, cl.members]), center)
        old_key = tuple(u.center.tolist())
        if at.get(old_key) == twin:
            del at[old_key]
        at.setdefault(tuple(center.tolist()), twin)
    possible = min(k, len(_distinct_first(points)))
    clusters = uniq
    while True:
        clusters = [
            _Cluster(cl.id, cl.members, _weighted_mean(points, cl.members, weights))
            for cl in clusters
            if len(cl.members)
        ]
        if possible <= len(clusters):
            return clusters
        centers = np.array([cl.center for cl in clusters])
        _, d, _ = _assign(points[:, 0], points[:, 1], centers)  # distance to the nearest centre
        far = int(len(d) - 1 - np.argmax(d[::-1]))  # Clojure's max-key keeps the last maximum
        if d[far] <= 0:
            return clusters
        new_id = max(cl.id for cl in clusters) + 1
        clusters = [_Cluster(cl.id, cl.members[cl.members != far], cl.center) for cl in clusters]
        clusters.append(_Cluster(new_id, np.array([far], dtype=np.int64), points[far].copy()))


def _kmeans(
    points: FloatArray, k: int, last: list[_Cluster] | None, max_iters: int, weights: FloatArray | None
) -> list[_Cluster]:
    """Pol.is ``kmeans``: warm start from ``last`` when given, else the first k distinct points.

    Each step (``cluster-step``) assigns every point to its nearest centre, drops clusters left
    empty and moves each centre to the (weighted) mean of its points; it stops when no centre
    moved by 0.01 or more, or after ``max_iters`` + 1 steps. Distances to centres that did not
    move are kept from the step before (the same numbers, not recomputed).
    """
    start = _clean_start(points, last, k, weights) if last else _init_clusters(points, k)
    ids = np.array([cl.id for cl in start], dtype=np.int64)
    centers = np.array([cl.center for cl in start], dtype=np.float64).reshape(-1, 2)
    px, py = points[:, 0], points[:, 1]
    w = np.ones(len(points)) if weights is None else weights
    # Hamerly's bounds: ``upper`` >= distance to the assigned centre, ``lower`` <= distance to
    # any other; a point whose upper bound stays below its lower bound keeps its centre, so
    # only the others need their distances recomputed. The assignment is the exact argmin.
    label, upper, lower = _assign(px, py, centers)
    old_sorted = _sorted_rows(centers)
    remaining = max_iters
    while True:
        m = len(ids)
        count = np.bincount(label, minlength=m)
        wsum = np.bincount(label, weights=w, minlength=m)
        sx = np.bincount(label, weights=w * px, minlength=m)
        sy = np.bincount(label, weights=w * py, minlength=m)
        keep = count > 0
        with np.errstate(divide="ignore", invalid="ignore"):
            new_centers = np.stack([sx / wsum, sy / wsum], axis=1)[keep]
        new_ids = ids[keep]
        remap = np.cumsum(keep) - 1
        new_sorted = _sorted_rows(new_centers)
        if remaining == 0 or _same_sorted(old_sorted, new_sorted):
            new_label = remap[label]
            order = np.argsort(new_label, kind="stable")
            bounds = np.searchsorted(new_label[order], np.arange(len(new_ids) + 1))
            return [
                _Cluster(int(new_ids[i]), order[bounds[i] : bounds[i + 1]], new_centers[i]) for i in range(len(new_ids))
            ]
        shift = np.sqrt(((new_centers - centers[keep]) ** 2).sum(axis=1))
        label = remap[label]
        upper = upper + shift[label]
        if len(shift) > 1:  # the nearest other centre came at most the largest other shift closer
            biggest = int(np.argmax(shift))
            runner_up = float(np.partition(shift, -2)[-2])
            lower = lower - np.where(label == biggest, runner_up, float(shift[biggest]))
        else:
            lower = lower - (float(shift.max()) if len(shift) else 0.0)
        centers, ids, old_sorted = new_centers, new_ids, new_sorted
        check = np.flatnonzero(upper * (1 + 1e-9) + 1e-12 >= lower)
        if len(check):
            lab, up, lo = _assign(px[check], py[check], centers)
            label[check], upper[check], lower[check] = lab, up, lo
        remaining -= 1


def _assign(px: FloatArray, py: FloatArray, centers: FloatArray) -> tuple[IntArray, FloatArray, FloatArray]:
    """Nearest centre of each point, the distance to it and the distance to the next nearest."""
    n, m = len(px), len(centers)
    label = np.empty(n, dtype=np.int64)
    upper = np.empty(n)
    lower = np.empty(n)
    step = max(1, _LARGE_DIST // max(m, 1))
    for a in range(0, n, step):
        d2 = _dist2(px[a : a + step], py[a : a + step], centers)
        lab = np.argmin(d2, axis=1)
        rows = np.arange(len(lab))
        label[a : a + step] = lab
        best = d2[rows, lab]
        if m > 1:
            d2[rows, lab] = np.inf
            second = d2.min(axis=1)
        else:
            second = np.full(len(lab), np.inf)
        upper[a : a + step] = np.sqrt(np.maximum(best, 0.0))
        lower[a : a + step] = np.sqrt(np.maximum(second, 0.0))
    return label, upper, lower


def _silhouette(dist: FloatArray, clusters: list[_Cluster]) -> float:
    """Mean silhouette over the clustered points (members of a singleton cluster score 0)."""
    if len(clusters) < 2:
        return 0.0
    members = np.concatenate([cl.members for cl in clusters])
    label = np.concatenate([np.full(len(cl.members), i) for i, cl in enumerate(clusters)])
    sizes = np.array([len(cl.members) for cl in clusters], dtype=np.float64)
    onehot = np.zeros((len(members), len(clusters)))
    onehot[np.arange(len(members)), label] = 1.0
    sums = dist[np.ix_(members, members)] @ onehot  # distance of each point to each cluster, summed
    own = np.arange(len(members))
    a = sums[own, label] / np.maximum(sizes[label] - 1, 1)
    means = sums / sizes[None, :]
    means[own, label] = np.inf
    b = means.min(axis=1)
    top = np.maximum(a, b)
    with np.errstate(divide="ignore", invalid="ignore"):
        score = np.where(top > 0, (b - a) / np.where(top > 0, top, 1.0), 0.0)
    score[sizes[label] == 1] = 0.0
    return float(score.mean())


# --------------------------------------------------------------------------------------------------
# Statistics (stats.clj, repness.clj)
# --------------------------------------------------------------------------------------------------


def prop_test(succ: FloatArray | float, n: FloatArray | float) -> Any:
    """One-proportion z-test with a pseudo-count: ``2 sqrt(n+1) ((s+1)/(n+1) - 1/2)``."""
    return 2 * np.sqrt(np.add(n, 1)) * (np.add(succ, 1) / np.add(n, 1) - 0.5)


def two_prop_test(succ_in: Any, succ_out: Any, pop_in: Any, pop_out: Any) -> Any:
    """Two-proportion z-test with +1 on every count; 0 when the pooled proportion is 1."""
    s1, s2, n1, n2 = (np.add(x, 1.0) for x in (succ_in, succ_out, pop_in, pop_out))
    pi1, pi2 = s1 / n1, s2 / n2
    pi_hat = (s1 + s2) / (n1 + n2)
    denom = np.sqrt(pi_hat * (1 - pi_hat) * (1 / n1 + 1 / n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(pi_hat == 1, 0.0, (pi1 - pi2) / np.where(denom == 0, 1.0, denom))
    return z


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


# --------------------------------------------------------------------------------------------------
# Agreement between two clusterings
# --------------------------------------------------------------------------------------------------


def adjusted_rand_index(labels_a: Sequence[Hashable], labels_b: Sequence[Hashable]) -> float:
    """The adjusted Rand index (Hubert and Arabie) of two labellings of the same items.

    1 means identical partitions (whatever the label names), about 0 what chance gives.
    """
    if len(labels_a) != len(labels_b):
        raise ValueError("both labellings must cover the same items")
    n = len(labels_a)
    if n < 2:
        return 1.0
    _, a = np.unique(np.array([str(x) for x in labels_a]), return_inverse=True)
    _, b = np.unique(np.array([str(x) for x in labels_b]), return_inverse=True)
    table = np.zeros((a.max() + 1, b.max() + 1))
    np.add.at(table, (a, b), 1)

    def pairs(x: FloatArray) -> float:
        return float((x * (x - 1) / 2).sum())

    index = pairs(table)
    sum_a, sum_b = pairs(table.sum(axis=1)), pairs(table.sum(axis=0))
    expected = sum_a * sum_b / (n * (n - 1) / 2)
    maximum = (sum_a + sum_b) / 2
    if maximum == expected:
        return 1.0
    return (index - expected) / (maximum - expected)
