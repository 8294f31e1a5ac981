"""Replaying a conversation's votes in time order (``opinion.replay``), one update per batch."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import cast

import numpy as np
import pytest

from coproduce.methods import opinion, polis_csv

AGREE, DISAGREE = 1, -1
OPEN_DATA = Path(__file__).resolve().parent.parent / "data" / "polis" / "opendata"


def small_camps(times: list[float]) -> list[opinion.TimedVote]:
    """10 participants in two camps on 8 statements; the votes of participant p are cast at times[p].

    With fewer than 12 base clusters Pol.is tries only k = 2, so every update finds the same best
    k and the k smoother counts the updates (``last_k_count``)."""
    rng = random.Random(5)
    votes: list[opinion.TimedVote] = []
    for p, moment in enumerate(times):
        for s in range(8):
            agree = (s % 2 == p % 2) == (rng.random() < 0.9)
            votes.append((p, s, AGREE if agree else DISAGREE, moment))
    return votes


def test_each_batch_holds_the_votes_less_than_the_interval_after_its_first() -> None:
    times = [0, 5, 9.99, 10, 10.5, 25, 26, 26, 40, 49.9]
    votes = small_camps(times)
    # batches: [0, 5, 9.99], [10, 10.5], [25, 26, 26], [40, 49.9]
    _, state = opinion.replay(votes, list(range(8)), interval=10)
    assert state.last_k == 2
    assert state.last_k_count == 4
    _, once = opinion.replay(votes, list(range(8)), interval=1000)
    assert once.last_k_count == 1
    _, every = opinion.replay(votes, list(range(8)), interval=0.001)
    assert every.last_k_count == len(set(times))  # the two votes at 26 land in one batch


def test_a_replay_in_one_batch_is_one_update_on_the_votes_in_pol_is_order() -> None:
    rng = random.Random(2)
    votes = small_camps([rng.uniform(0, 100) for _ in range(10)])
    result, state = opinion.replay(votes, list(range(8)), interval=1000)
    polled = sorted(votes, key=lambda v: (v[1], v[0], v[3]))  # by statement, participant, time
    expected, expected_state = opinion.update([v[:3] for v in polled], list(range(8)))
    assert result.participants == expected.participants
    assert [(g.id, sorted(cast(list[int], g.members))) for g in result.groups] == [
        (g.id, sorted(cast(list[int], g.members))) for g in expected.groups
    ]
    assert state.to_dict() == expected_state.to_dict()


def test_the_latest_vote_counts_even_when_an_earlier_batch_saw_another() -> None:
    votes = small_camps([float(p) for p in range(10)])
    changed: list[opinion.TimedVote] = [
        (3, s, -v, 100.0) for p, s, v, _ in votes if p == 3
    ]  # participant 3 turns round later
    result, _ = opinion.replay(votes + changed, list(range(8)), interval=1)
    latest, _ = opinion.update(votes + changed, list(range(8)))
    assert result.n_votes == latest.n_votes == 80
    assert result.pca.center == pytest.approx(latest.pca.center, abs=1e-12)  # the means of the latest votes
    group_of_3 = result.participants[3]
    assert group_of_3 is not None
    counts = result.group_votes[group_of_3]
    members = next(g.members for g in result.groups if g.id == group_of_3)
    for s in range(8):
        expected = sum(1 for p, t, v, _ in votes + changed if p in members and t == s and v == AGREE and p != 3)
        mine = next(v for p, t, v, _ in changed if t == s)
        assert counts[s]["agree"] == expected + (mine == AGREE)


def test_participants_who_once_voted_on_every_statement_stay_in_the_map() -> None:
    """Pol.is keeps in the map everyone who once voted on min(7, statements so far) statements."""
    rng = random.Random(9)
    votes: list[opinion.TimedVote] = []
    # day 1: three statements; 20 early participants vote on all three
    for p in range(20):
        for s in range(3):
            votes.append((f"early{p}", s, AGREE if (s + p) % 2 else DISAGREE, 1.0 + p))
    # day 2: seven more statements; 20 later participants vote on eight of the ten
    for p in range(20):
        for s in rng.sample(range(10), 8):
            votes.append((f"late{p}", s, AGREE if (s + p) % 2 else DISAGREE, 86_400.0 + p))
    fresh, _ = opinion.update(votes, list(range(10)))
    replayed, _ = opinion.replay(votes, list(range(10)), interval=3_600)
    early = [f"early{p}" for p in range(20)]
    assert all(fresh.participants[p] is None for p in early)  # 3 votes < 7: not in the map
    assert all(replayed.participants[p] is not None for p in early)
    assert set(replayed.in_conv) == set(fresh.in_conv) | set(early)


def test_datetimes_with_a_timedelta() -> None:
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    offsets = [0, 5, 9.99, 10, 10.5, 25, 26, 26, 40, 49.9]
    votes = [(p, s, v, start + dt.timedelta(minutes=t)) for p, s, v, t in small_camps(offsets)]
    _, state = opinion.replay(votes, list(range(8)), interval=dt.timedelta(minutes=10))
    assert state.last_k_count == 4


def test_bad_input_is_refused() -> None:
    votes = small_camps([float(p) for p in range(10)])
    with pytest.raises(ValueError, match="positive"):
        opinion.replay(votes, list(range(8)), interval=0)
    with pytest.raises(ValueError, match="timestamp"):
        opinion.replay([v[:3] for v in votes], list(range(8)), interval=1)  # type: ignore[misc]  # on purpose
    with pytest.raises(ValueError, match="-1"):
        opinion.replay([(1, 0, 2, 0.0)], [0], interval=1)
    result, state = opinion.replay([], [0, 1], interval=1)
    assert result.participants == {} and state.in_conv == []


def test_replaying_canadian_electoral_reform_recovers_pol_is_groups() -> None:
    """A fresh computation splits the crowd (ARI 0.17); Pol.is's history kept 16 outliers apart."""
    export = polis_csv.read_export(OPEN_DATA / "canadian-electoral-reform")
    assert export.groups is not None
    groups = export.groups
    clustered = [p for p, g in export.groups.items() if g is not None]
    statements = sorted(export.statement_ids)  # Pol.is orders its columns by comment id
    fresh, _ = opinion.update(export.votes, statements, export.moderated_out)
    day_ms = 86_400_000
    replayed, _ = opinion.replay(export.votes, statements, export.moderated_out, interval=day_ms)

    def ari(result: opinion.Result) -> float:
        both = [p for p in clustered if result.participants.get(p) is not None]
        assert len(both) == len(clustered)
        return opinion.adjusted_rand_index([groups[p] for p in both], [result.participants[p] for p in both])

    assert ari(fresh) < 0.3
    assert ari(replayed) >= 0.85  # measured 0.90 (docs/performance.md)
    sizes = sorted(len(g.members) for g in replayed.groups)
    assert len(sizes) == 2 and sizes[0] < 0.1 * sum(sizes)
    assert np.isfinite(replayed.pca.center).all()


def test_replay_updates_counts_the_batches_replay_runs() -> None:
    times = [0, 5, 9.99, 10, 10.5, 25, 26, 26, 40, 49.9]
    assert opinion.replay_updates(times, 10) == 4
    assert opinion.replay_updates(list(reversed(times)), 10) == 4  # any order
    assert opinion.replay_updates(times, 1000) == 1
    assert opinion.replay_updates(times, 0.001) == len(set(times))
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    assert opinion.replay_updates([start + dt.timedelta(minutes=t) for t in times], dt.timedelta(minutes=10)) == 4
    assert opinion.replay_updates([], 10) == 0
    for interval in (1, 10, 30):
        _, state = opinion.replay(small_camps(times), list(range(8)), interval=interval)
        # each update on the same best k adds one to the smoother's count (capped by none here)
        assert state.last_k_count == opinion.replay_updates(times, interval)
    with pytest.raises(ValueError, match="positive"):
        opinion.replay_updates(times, 0)


def test_replay_interval_is_the_shortest_that_keeps_the_replay_small() -> None:
    moments = [600.0 * n for n in range(100)]  # one vote every 10 minutes: 100 batches at a minute
    assert opinion.replay_interval(moments, (60, 3600), 100) == 60
    assert opinion.replay_interval(moments, (60, 3600), 99) == 3600  # 17 batches of an hour
    assert opinion.replay_interval(moments, (60, 3600), 5) == 4 * 3600  # 2 h: 9 batches, 4 h: 5
    assert opinion.replay_interval(moments, (60, 3600), 4) == 8 * 3600  # 8 h: 3
    assert opinion.replay_interval(moments, (60,), 1) == 60 * 2**10  # 61 440 s > 59 400: one batch
    assert opinion.replay_interval([], (60,), 1) == 60
    with pytest.raises(ValueError, match="interval"):
        opinion.replay_interval(moments, (), 10)
