"""The opinion method's stages (``coproduce.methods.opinion``'s modules), each on plain data."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from coproduce.methods import opinion
from coproduce.methods.opinion.clusters import base_clusters, group_clusterings
from coproduce.methods.opinion.groups import choose_k, group_of_rows
from coproduce.methods.opinion.in_conv import in_conv
from coproduce.methods.opinion.kmeans import Cluster
from coproduce.methods.opinion.matrix import rating_matrix
from coproduce.methods.opinion.pca import principal_components
from coproduce.methods.opinion.projection import project
from coproduce.methods.opinion.votes import latest_votes, object_array

AGREE, DISAGREE, PASS = 1, -1, 0


def arrays(votes: Sequence[tuple[object, object, int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return (
        object_array([v[0] for v in votes]),
        object_array([v[1] for v in votes]),
        np.array([v[2] for v in votes]),
    )


@pytest.mark.parametrize(
    "name",
    [
        *opinion.__all__,
        "GROUP_K_BUFFER",
        "MIN_VOTES",
        "GREEDY_N",
        "BASE_K",
        "MAX_K",
        "Z_90",
        "prop_test",
        "two_prop_test",
        "FloatArray",
        "IntArray",
    ],
)
def test_what_callers_import_from_the_method_is_still_there(name: str) -> None:
    assert getattr(opinion, name) is not None


def test_the_latest_vote_counts_and_rows_follow_the_order_of_first_votes() -> None:
    participants = object_array(["b", "a", "b", "a"])
    statements = object_array([1, 1, 1, 2])
    values = np.array([AGREE, DISAGREE, DISAGREE, PASS])
    votes = latest_votes(participants, statements, values, [1, 2, 3], timestamps=[5.0, 1.0, 3.0, 2.0])
    assert votes.row_ids == ["a", "b"]  # "a" voted first (time 1)
    cells = zip(votes.rows, votes.cols, votes.values, strict=True)
    cast = {(votes.row_ids[r], votes.statements[c]): int(v) for r, c, v in cells}
    assert cast == {("a", 1): DISAGREE, ("a", 2): PASS, ("b", 1): AGREE}  # b's vote at 5 beats the one at 3
    assert votes.row_index == {"a": 0, "b": 1}


def test_the_rating_matrix_keeps_only_voted_cells_outside_moderated_statements() -> None:
    votes = latest_votes(
        *arrays([("p", "s1", AGREE), ("q", "s1", DISAGREE), ("r", "s1", AGREE), ("p", "s2", AGREE), ("q", "s3", PASS)]),
        ["s1", "s2", "s3", "s4"],
    )
    matrix = rating_matrix(votes, {"s2"})
    assert matrix.n_cmts == 3  # s4 has no vote, so no column; s2 keeps its column, zeroed
    assert matrix.has_col.tolist() == [True, True, True, False]
    assert matrix.mod_cols.tolist() == [False, True, False, False]
    assert sorted(votes.statements[c] for c in matrix.cols) == ["s1", "s1", "s1", "s3"]
    assert matrix.center[0] == pytest.approx(1 / 3) and matrix.center[1] == 0.0
    on_s1 = matrix.cols == 0
    assert matrix.centred[on_s1].sum() == pytest.approx(0.0)


def test_the_stages_run_one_after_another_on_plain_data() -> None:
    rng = np.random.default_rng(5)
    raw = [(p, s, AGREE if (s % 2 == p % 2) == (rng.random() < 0.9) else DISAGREE) for p in range(40) for s in range(8)]
    raw.append((99, 0, AGREE))  # one vote: not enough to be in the map
    votes = latest_votes(*arrays(raw), list(range(8)))
    state = opinion.State()
    matrix = rating_matrix(votes, set())
    projection = project(matrix, principal_components(matrix, votes.statements, state))
    in_idx = in_conv(votes, matrix.n_cmts, state)
    outsider = votes.row_index[99]
    assert outsider not in in_idx and len(in_idx) == 40
    base = base_clusters(projection.participants[in_idx], in_idx, votes, state)
    assert sorted(np.concatenate([b.members for b in base]).tolist()) == list(range(40))
    choice = choose_k(*group_clusterings(base, state), state)
    group_of_row = group_of_rows(matrix.n_rows, in_idx, base, choice.groups)
    assert choice.k == 2 and group_of_row[outsider] == -1
    camp_of_group = {int(g): {p % 2 for p in range(40) if group_of_row[votes.row_index[p]] == g} for g in range(2)}
    assert sorted(len(c) for c in camp_of_group.values()) == [1, 1]  # each group is one camp


def test_a_new_number_of_groups_is_shown_only_after_it_wins_updates_in_a_row() -> None:
    def clusters(k: int) -> list[Cluster]:
        return [Cluster(i, np.array([i]), np.zeros(2)) for i in range(k)]

    clusterings = {2: clusters(2), 3: clusters(3)}
    state = opinion.State(last_k=2, last_k_count=5, smoothed_k=2)
    for update in range(1, opinion.GROUP_K_BUFFER):
        choice = choose_k(clusterings, {2: 0.1, 3: 0.4}, state)
        assert (choice.k, choice.last_k, choice.last_k_count) == (2, 3, update)
        state = opinion.State(last_k=choice.last_k, last_k_count=choice.last_k_count, smoothed_k=choice.smoothed_k)
    choice = choose_k(clusterings, {2: 0.1, 3: 0.4}, state)
    assert choice.k == 3 and len(choice.groups) == 3 and choice.smoothed_k == 3
    assert choose_k({}, {}, state).k == 0
