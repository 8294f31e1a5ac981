"""The opinion-map method against a Pol.is server's own computations (``tests/data/polis``).

Our API's sign is agree = +1; Pol.is computes with agree = -1, so its PCA centre and projections
are ours multiplied by -1 (and each component is defined up to sign).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, cast

import numpy as np
import pytest

from coproduce.methods import opinion, polis_csv

DATA = Path(__file__).resolve().parent.parent / "data" / "polis"
EXACT = ["below-100-ptpts", "25ptpt-3gp-no-strict-with-meta", "above-100-ptpts"]
ALL = [*EXACT, "50ptpt-3gp-strict-no-meta"]


def load(name: str) -> tuple[dict[str, Any], list[opinion.TimedVote]]:
    folder = DATA / "math-fixtures" / name
    math_ = json.loads((folder / "math-pca2.json").read_text())
    raw = json.loads((folder / "votes.json").read_text())
    votes: list[opinion.TimedVote] = [
        (
            v.get("pid", v.get("participant_id")),
            v.get("tid", v.get("statement_id")),
            int(v["vote"]),
            float(v["modified"]),
        )
        for v in raw
    ]
    return math_, votes


def run(math_: dict[str, Any], votes: list[opinion.TimedVote], previous: opinion.State | None = None) -> opinion.Result:
    result, _ = opinion.update(votes, math_["tids"], math_["mod-out"], previous, meta=math_["meta-tids"])
    return result


def polis_state(math_: dict[str, Any]) -> opinion.State:
    """Pol.is's own state at the time of the fixture: in-conv, base clusters, the chosen group clustering."""
    base = math_["base-clusters"]
    k = len(math_["group-clusters"])
    return opinion.State(
        in_conv=list(math_["in-conv"]),
        base_clusters=[
            opinion.ClusterState(i, list(m), (x, y))
            for i, m, x, y in zip(base["id"], base["members"], base["x"], base["y"], strict=True)
        ],
        group_clusterings={
            k: [opinion.ClusterState(g["id"], list(g["members"]), tuple(g["center"])) for g in math_["group-clusters"]]
        },
        last_k=k,
        last_k_count=opinion.GROUP_K_BUFFER,
        smoothed_k=k,
    )


def component_signs(result: opinion.Result, math_: dict[str, Any]) -> np.ndarray:
    ours = np.array(result.pca.components)
    theirs = np.array(math_["pca"]["comps"])
    return np.sign((ours * theirs).sum(axis=1))


@pytest.mark.parametrize("name", EXACT)
def test_pca_centre_components_and_projections_match_polis(name: str) -> None:
    math_, votes = load(name)
    result = run(math_, votes)
    tids = math_["tids"]
    assert result.pca.statements == tids
    np.testing.assert_allclose(result.pca.center, -np.array(math_["pca"]["center"]), atol=1e-12)
    signs = component_signs(result, math_)
    np.testing.assert_allclose(
        np.array(result.pca.components), signs[:, None] * np.array(math_["pca"]["comps"]), atol=1e-8
    )
    ours = np.array([result.pca.statement_projections[t] for t in tids])
    theirs = np.array(math_["pca"]["comment-projection"]).T
    np.testing.assert_allclose(ours, -theirs * signs[None, :], atol=1e-7)
    np.testing.assert_allclose(
        [result.pca.statement_extremity[t] for t in tids], math_["pca"]["comment-extremity"], atol=1e-7
    )
    # participant projections: each Pol.is base cluster's centre is the mean of its members' projections
    base = math_["base-clusters"]
    for members, x, y in zip(base["members"], base["x"], base["y"], strict=True):
        mean = np.mean([result.pca.participant_projections[p] for p in members], axis=0)
        np.testing.assert_allclose(mean, -signs * np.array([x, y]), atol=1e-7)


@pytest.mark.parametrize("name", ALL)
def test_from_polis_state_the_clusters_and_statistics_match_exactly(name: str) -> None:
    math_, votes = load(name)
    result = run(math_, votes, polis_state(math_))
    assert sorted(cast(list[int], result.in_conv)) == sorted(math_["in-conv"])
    base = math_["base-clusters"]
    assert {b.id: sorted(cast(list[int], b.members)) for b in result.base_clusters} == {
        i: sorted(m) for i, m in zip(base["id"], base["members"], strict=True)
    }
    assert [(g.id, sorted(g.base_clusters)) for g in result.groups] == [
        (g["id"], sorted(g["members"])) for g in math_["group-clusters"]
    ]
    for gid, group in math_["group-votes"].items():
        assert {int(t): result.group_votes[int(gid)][int(t)] for t in group["votes"]} == {
            int(t): {"agree": c["A"], "disagree": c["D"], "votes": c["S"]} for t, c in group["votes"].items()
        }
    for tid, value in math_["group-aware-consensus"].items():
        assert result.group_aware_consensus[int(tid)] == pytest.approx(value, rel=1e-12)
    for gid, reps in math_["repness"].items():
        ours = result.repness[int(gid)]
        assert [(r.statement, r.repful_for, r.best_agree) for r in ours] == [
            (r["tid"], r["repful-for"], r.get("best-agree", False)) for r in reps
        ]
        for mine, theirs in zip(ours, reps, strict=True):
            assert (mine.n_success, mine.n_trials) == (theirs["n-success"], theirs["n-trials"])
            assert mine.p_success == pytest.approx(theirs["p-success"], rel=1e-12)
            assert mine.p_test == pytest.approx(theirs["p-test"], rel=1e-12)
            assert mine.repness == pytest.approx(theirs["repness"], rel=1e-12)
            assert mine.repness_test == pytest.approx(theirs["repness-test"], rel=1e-7)  # Pol.is rounds to float
            if "n-agree" in theirs:
                assert mine.n_agree == theirs["n-agree"]


@pytest.mark.parametrize("name", EXACT)
def test_consensus_and_priorities_match_polis(name: str) -> None:
    math_, votes = load(name)
    result = run(math_, votes, polis_state(math_))
    for direction in ("agree", "disagree"):
        ours = result.consensus[direction]
        theirs = math_["consensus"][direction]
        assert [(c.statement, c.n_success, c.n_trials) for c in ours] == [
            (c["tid"], c["n-success"], c["n-trials"]) for c in theirs
        ]
        for mine, other in zip(ours, theirs, strict=True):
            assert mine.p_success == pytest.approx(other["p-success"], rel=1e-12)
            assert mine.p_test == pytest.approx(other["p-test"], rel=1e-12)
    for tid, value in math_["comment-priorities"].items():
        assert result.priorities[int(tid)] == pytest.approx(value, rel=1e-7)


def test_the_50_participant_fixture_lacks_one_participants_votes() -> None:
    """Why that fixture is left out of the PCA comparison: its votes.json misses participant 50."""
    math_, votes = load("50ptpt-3gp-strict-no-meta")
    counted = math_["user-vote-counts"]
    present = {p for p, *_ in votes}
    assert [int(p) for p in counted if int(p) not in present] == [50]
    assert counted["50"] == 4


@pytest.mark.parametrize("name", ALL)
def test_fresh_computation_agrees_with_polis_groups(name: str) -> None:
    """Without Pol.is's history the groups differ somewhat; the agreement is measured and bounded."""
    math_, votes = load(name)
    result = run(math_, votes)
    polis_group = {}
    base_members = dict(zip(math_["base-clusters"]["id"], math_["base-clusters"]["members"], strict=True))
    for g in math_["group-clusters"]:
        for b in g["members"]:
            for p in base_members[b]:
                polis_group[p] = g["id"]
    both = [p for p in polis_group if result.participants.get(p) is not None]
    assert len(both) >= 0.8 * len(polis_group)
    ari = opinion.adjusted_rand_index([polis_group[p] for p in both], [result.participants[p] for p in both])
    assert ari >= FRESH_ARI_FLOOR[name]


# Measured (docs/performance.md): 1.00, 0.63, 1.00 and 0.88.
FRESH_ARI_FLOOR = {
    "below-100-ptpts": 0.99,
    "25ptpt-3gp-no-strict-with-meta": 0.6,
    "50ptpt-3gp-strict-no-meta": 0.99,
    "above-100-ptpts": 0.85,
}


@pytest.mark.parametrize(
    "name",
    ["london.youth.policing", "brexit-consensus", "scoop-hivemind.ubi", "canadian-electoral-reform", "vtaiwan.uberx"],
)
def test_open_data_groups_against_polis_group_ids(name: str) -> None:
    export = polis_csv.read_export(DATA / "opendata" / name)
    result, _ = opinion.update(export.votes, export.statement_ids, export.moderated_out)
    assert export.groups is not None
    clustered = [p for p, g in export.groups.items() if g is not None]
    both = [p for p in clustered if result.participants.get(p) is not None]
    assert len(both) >= 0.7 * len(clustered)
    ari = opinion.adjusted_rand_index([export.groups[p] for p in both], [result.participants[p] for p in both])
    assert math.isfinite(ari)
    assert ari >= OPEN_DATA_ARI_FLOOR[name]


OPEN_DATA_ARI_FLOOR = {
    "london.youth.policing": -0.1,
    "brexit-consensus": 0.5,
    "scoop-hivemind.ubi": 0.0,
    "canadian-electoral-reform": 0.1,
    "vtaiwan.uberx": 0.85,
}
