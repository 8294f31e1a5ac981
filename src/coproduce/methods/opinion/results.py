"""What an update gives back (:class:`Result`) and hands to the next one (:class:`State`).

Both are plain dataclasses whose ``to_dict()`` is JSON-ready; ``State.from_dict`` reads a saved
state back.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal


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
