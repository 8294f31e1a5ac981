"""Behaviour of the opinion-map method (``coproduce.methods.opinion``) on conversations made here."""

from __future__ import annotations

import datetime as dt
import json
import random
from typing import cast

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coproduce.methods import opinion

AGREE, DISAGREE, PASS = 1, -1, 0


def camps(sizes: list[int], n_statements: int = 12, seed: int = 3) -> list[opinion.Vote]:
    """Camps of participants; camp c agrees with statement s when s % 3 == c, with some noise.

    Statement 0 is agreed by everyone (a consensus statement)."""
    rng = random.Random(seed)
    votes: list[opinion.Vote] = []
    pid = 0
    for camp, size in enumerate(sizes):
        for _ in range(size):
            for s in range(n_statements):
                if s == 0:
                    vote = AGREE
                elif s % 3 == camp:
                    vote = AGREE if rng.random() < 0.9 else DISAGREE
                else:
                    vote = DISAGREE if rng.random() < 0.9 else AGREE
                votes.append((f"p{pid}", s, vote))
            pid += 1
    return votes


def two_camps() -> list[opinion.Vote]:
    rng = random.Random(7)
    votes: list[opinion.Vote] = []
    for p in range(40):
        camp = p % 2
        for s in range(10):
            if s == 0:
                vote = AGREE
            elif s % 2 == camp:
                vote = AGREE if rng.random() < 0.92 else PASS
            else:
                vote = DISAGREE if rng.random() < 0.92 else PASS
            votes.append((p, s, vote))
    return votes


def test_two_camps_become_two_groups_with_their_own_statements_and_a_consensus() -> None:
    result, _ = opinion.update(two_camps(), list(range(10)))
    assert len(result.groups) == 2
    by_group = {g.id: {cast(int, p) % 2 for p in g.members} for g in result.groups}
    assert sorted(len(camps_) for camps_ in by_group.values()) == [1, 1]  # each group is one camp
    for group in result.groups:
        camp = cast(int, group.members[0]) % 2
        reps = result.repness[group.id]
        assert reps, "every group has representative statements"
        for rep in reps:
            if rep.statement == 0:
                # everyone agrees: Pol.is still names it the group's "best agree" statement, and
                # with no difference from the other groups it labels it "disagree" (rat = rdt = 0)
                assert rep.best_agree and rep.n_agree == rep.n_trials
                continue
            # the camp agrees with statements of its parity and disagrees with the others
            expected = "agree" if cast(int, rep.statement) % 2 == camp else "disagree"
            assert rep.repful_for == expected
            assert rep.n_agree + rep.n_disagree <= rep.n_trials
            assert rep.agree_share == pytest.approx(rep.n_agree / rep.n_trials)
    assert [c.statement for c in result.consensus["agree"]][:1] == [0]
    assert result.group_aware_consensus[0] == max(result.group_aware_consensus.values())
    assert set(result.participants) == set(range(40))
    assert all(g is not None for g in result.participants.values())


def test_the_latest_vote_counts_by_input_order_or_by_timestamp() -> None:
    base = two_camps()
    # participant 0 (camp 0, agrees with even statements) first agrees with 1, then disagrees
    flipped = [*base, (0, 1, AGREE), (0, 1, DISAGREE)]
    result, _ = opinion.update(flipped, list(range(10)))
    later_agree = [*base, (0, 1, DISAGREE), (0, 1, AGREE)]
    result_agree, _ = opinion.update(later_agree, list(range(10)))
    assert result.n_votes == result_agree.n_votes == len(base)
    total = {
        s: sum(c["agree"] for c in (result.group_votes[g].get(s, {"agree": 0}) for g in result.group_votes))
        for s in [1]
    }
    total_agree = {
        s: sum(c["agree"] for c in (result_agree.group_votes[g].get(s, {"agree": 0}) for g in result_agree.group_votes))
        for s in [1]
    }
    assert total_agree[1] == total[1] + 1
    # with timestamps, order in the input does not matter: the greatest timestamp wins
    timed = [(p, s, v, 10.0) for p, s, v in base] + [(0, 1, AGREE, 30.0), (0, 1, DISAGREE, 20.0)]
    result_timed, _ = opinion.update(timed, list(range(10)))
    assert result_timed.group_votes == result_agree.group_votes
    moment = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    dated = [(p, s, v, moment) for p, s, v in base] + [
        (0, 1, AGREE, moment + dt.timedelta(minutes=2)),
        (0, 1, DISAGREE, moment + dt.timedelta(minutes=1)),
    ]
    result_dated, _ = opinion.update(dated, list(range(10)))
    assert result_dated.group_votes == result_agree.group_votes


def test_votes_must_be_agree_disagree_or_pass() -> None:
    with pytest.raises(ValueError, match="votes must be"):
        opinion.update([("a", 1, 2)], [1])
    with pytest.raises(ValueError, match="must not repeat"):
        opinion.update([("a", 1, 1)], [1, 1])


def test_votes_on_unknown_statements_are_ignored_and_empty_input_gives_an_empty_map() -> None:
    result, state = opinion.update([("a", 99, AGREE)], [1, 2])
    assert result.n_votes == 0
    assert result.groups == []
    assert result.participants == {}
    assert result.priorities == {1: pytest.approx(5.0625), 2: pytest.approx(5.0625)}
    empty, _ = opinion.update([], [])
    assert empty.groups == [] and empty.n_participants == 0
    json.dumps(empty.to_dict())
    json.dumps(state.to_dict())


def test_participants_enter_the_map_after_seven_votes_and_stay() -> None:
    votes = two_camps()
    newcomer: list[opinion.Vote] = [("new", s, AGREE) for s in range(6)]
    result, state = opinion.update(votes + newcomer, list(range(10)))
    assert "new" not in result.in_conv  # 6 of min(7, 10) votes
    assert result.participants["new"] is None
    result, state = opinion.update([*votes, *newcomer, ("new", 6, AGREE)], list(range(10)), previous=state)
    assert "new" in result.in_conv
    assert result.participants["new"] is not None
    # sticky: after moderation leaves fewer statements it stays (votes on moderated ones still count too)
    fewer = [v for v in votes + newcomer if v[0] != "new" or cast(int, v[1]) < 3]
    result, _ = opinion.update(fewer, list(range(10)), previous=state)
    assert "new" in result.in_conv
    # a fresh start does not know it was ever in
    fresh, _ = opinion.update(fewer, list(range(10)))
    assert "new" not in fresh.in_conv


def test_few_statements_lower_the_threshold_and_small_conversations_top_up_to_fifteen() -> None:
    votes = [(p, s, AGREE if (p + s) % 2 else DISAGREE) for p in range(5) for s in range(3)]
    result, _ = opinion.update(votes, [0, 1, 2])
    assert sorted(cast(list[int], result.in_conv)) == [0, 1, 2, 3, 4]  # min(7, 3) = 3 votes is enough
    one_vote = [(p, p % 4, AGREE) for p in range(30)]
    result, _ = opinion.update(one_vote, list(range(10)))
    assert len(result.in_conv) == 15  # nobody has 7 votes: the first 15 of the most active are taken


def test_moderated_out_statements_count_as_passes_and_are_never_representative() -> None:
    votes = two_camps()
    result, _ = opinion.update(votes, list(range(10)), moderated_out=[1])
    chosen = {r.statement for reps in result.repness.values() for r in reps}
    chosen |= {c.statement for lst in result.consensus.values() for c in lst}
    assert 1 not in chosen
    assert result.pca.components[0][1] == 0.0 and result.pca.center[1] == 0.0
    # changing votes on the moderated statement leaves the map where it was
    changed = [(p, s, -v if s == 1 else v) for p, s, v in votes]
    again, _ = opinion.update(changed, list(range(10)), moderated_out=[1])
    assert again.pca.participant_projections == result.pca.participant_projections
    # group votes and group-aware consensus still see them (as Pol.is: moderation not applied)
    assert 1 in result.group_aware_consensus


def test_meta_statements_get_the_fixed_priority() -> None:
    result, _ = opinion.update(two_camps(), list(range(10)), meta=[3])
    assert result.priorities[3] == 49.0
    assert 3 not in {r.statement for reps in result.repness.values() for r in reps}


def test_priority_follows_the_pol_is_formula() -> None:
    result, _ = opinion.update(two_camps(), list(range(10)))
    for s in range(10):
        a = sum(result.group_votes[g][s]["agree"] for g in result.group_votes)
        d = sum(result.group_votes[g][s]["disagree"] for g in result.group_votes)
        seen = sum(result.group_votes[g][s]["votes"] for g in result.group_votes)
        passes = seen - a - d
        importance = (1 - (passes + 1) / (seen + 2)) * (result.pca.statement_extremity[s] + 1) * (a + 1) / (seen + 2)
        assert result.priorities[s] == pytest.approx((importance * (1 + 8 * 2 ** (-seen / 5))) ** 2)


def test_three_camps_and_the_k_smoother() -> None:
    votes = camps([20, 20, 20])
    statements = list(range(12))
    result, state = opinion.update(votes, statements)
    assert result.k == 3 and max(result.silhouettes, key=result.silhouettes.__getitem__) == 3
    # a conversation that showed 2 groups keeps 2 until 3 has been the best 4 updates running
    state.smoothed_k, state.last_k, state.last_k_count = 2, 2, 7
    ks = []
    for _ in range(5):
        result, state = opinion.update(votes, statements, previous=state)
        ks.append(result.k)
    assert ks == [2, 2, 2, 3, 3]
    assert len(result.groups) == 3


def test_state_survives_json_and_gives_the_same_next_update() -> None:
    votes = camps([15, 15, 10])
    statements = list(range(12))
    _, state = opinion.update(votes[: len(votes) // 2], statements)
    restored = opinion.State.from_dict(json.loads(json.dumps(state.to_dict())))
    assert restored == state
    first, next_state = opinion.update(votes, statements, previous=state)
    second, _ = opinion.update(votes, statements, previous=restored)
    assert first.to_dict() == second.to_dict()
    json.dumps(first.to_dict())
    assert opinion.State.from_dict(json.loads(json.dumps(next_state.to_dict()))) == next_state


def test_integer_and_string_participant_ids_give_the_same_map() -> None:
    votes = camps([12, 12])
    ints = {p: i for i, p in enumerate(dict.fromkeys(p for p, *_ in votes))}
    as_ints = [(ints[p], s, v) for p, s, v in votes]
    a, _ = opinion.update(votes, list(range(12)))
    b, _ = opinion.update(as_ints, list(range(12)))
    assert [sorted(ints[p] for p in g.members) for g in a.groups] == [
        sorted(cast(list[int], g.members)) for g in b.groups
    ]
    np.testing.assert_allclose(a.pca.components, b.pca.components)


def test_warm_start_keeps_the_map_orientation() -> None:
    votes = camps([20, 20])
    statements = list(range(12))
    first, state = opinion.update(votes[:-40], statements)
    second, _ = opinion.update(votes, statements, previous=state)
    for j in range(2):
        assert float(np.dot(first.pca.components[j], second.pca.components[j])) > 0.9


def test_adjusted_rand_index() -> None:
    assert opinion.adjusted_rand_index([0, 0, 1, 1], [5, 5, 7, 7]) == 1.0
    assert opinion.adjusted_rand_index([0, 0, 1, 1], [0, 0, 1, 2]) == pytest.approx(4 / 7)
    assert opinion.adjusted_rand_index([0, 1, 0, 1], [0, 0, 1, 1]) == pytest.approx(-0.5)
    with pytest.raises(ValueError):
        opinion.adjusted_rand_index([0], [0, 1])


def test_statistics() -> None:
    assert opinion.prop_test(3, 3) == pytest.approx(2 * 2 * (1 - 0.5))
    assert opinion.two_prop_test(5, 5, 5, 5) == 0.0  # the pooled proportion is 1
    z = opinion.two_prop_test(8, 2, 10, 10)
    pi1, pi2, pi = 9 / 11, 3 / 11, 12 / 22
    assert z == pytest.approx((pi1 - pi2) / np.sqrt(pi * (1 - pi) * (2 / 11)))


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 25), st.integers(0, 8), st.sampled_from([AGREE, DISAGREE, PASS])),
        max_size=250,
    ),
    st.sets(st.integers(0, 8), max_size=3),
)
def test_any_votes_give_a_consistent_map(votes: list[opinion.Vote], moderated: set[int]) -> None:
    result, state = opinion.update(votes, list(range(9)), moderated_out=moderated)
    voters = {p for p, *_ in votes}
    assert set(result.participants) == voters
    members = [p for g in result.groups for p in g.members]
    assert len(members) == len(set(members))
    assert set(members) == {p for p, g in result.participants.items() if g is not None}
    assert set(members) <= set(result.in_conv)
    assert len(result.groups) <= 5
    for reps in result.repness.values():
        assert len(reps) <= 5
        assert not {r.statement for r in reps} & moderated
    assert all(np.isfinite(list(result.priorities.values())))
    json.dumps(result.to_dict())
    again, _ = opinion.update(votes, list(range(9)), moderated_out=moderated, previous=state)
    assert set(again.participants) == voters
