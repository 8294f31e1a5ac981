"""The small-groups rule (methods/suppression.py): what every breakdown may show."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coproduce.methods.suppression import MINIMUM_GROUP, suppress

counts = st.dictionaries(st.integers(min_value=1, max_value=40), st.integers(min_value=0, max_value=30), max_size=12)


def check(groups: dict[int, int]) -> None:
    decision = suppress(groups)
    total = sum(groups.values())
    assert decision.total_n == total
    if total < MINIMUM_GROUP:
        assert decision.nothing_shown and not decision.shown
        return
    assert not decision.nothing_shown
    assert all(groups[key] >= MINIMUM_GROUP for key in decision.shown)
    remainder = total - sum(groups[key] for key in decision.shown)
    assert remainder == decision.other_n
    assert remainder == 0 or remainder >= MINIMUM_GROUP
    assert decision.other_n == sum(groups[key] for key in decision.merged)
    assert not decision.shown & decision.merged
    assert decision.shown | decision.merged == {key for key, n in groups.items() if n > 0}


@given(counts)
def test_every_shown_group_is_five_or_more_and_the_rest_cannot_be_read_by_subtraction(groups: dict[int, int]) -> None:
    check(groups)


def test_every_breakdown_of_up_to_four_groups_of_up_to_twelve() -> None:
    for size in range(5):
        for values in itertools.product(range(13), repeat=size):
            check(dict(enumerate(values)))


@given(counts)
def test_the_decision_depends_on_the_counts_only(groups: dict[int, int]) -> None:
    reordered = dict(reversed(list(groups.items())))
    assert suppress(groups) == suppress(reordered)


def test_a_small_group_goes_into_other_and_the_smallest_shown_joins_it() -> None:
    decision = suppress({1: 12, 2: 6, 3: 3})
    assert decision.shown == {1}
    assert decision.merged == {2, 3}
    assert decision.other_n == 9


def test_ties_go_by_key() -> None:
    decision = suppress({"b": 6, "a": 6, "c": 2})
    assert decision.shown == {"b"}
    assert decision.merged == {"a", "c"}


def test_other_of_five_or_more_needs_no_more() -> None:
    decision = suppress({1: 9, 2: 3, 3: 2})
    assert decision.shown == {1} and decision.other_n == 5


def test_all_merged_when_every_group_is_small_but_the_total_is_not() -> None:
    decision = suppress({1: 3, 2: 3})
    assert not decision.nothing_shown and decision.shown == frozenset() and decision.other_n == 6


def test_under_five_in_all_shows_nothing() -> None:
    decision = suppress({1: 4})
    assert decision.nothing_shown and decision.shown == frozenset()
    assert suppress({}).nothing_shown


def test_groups_without_answers_are_neither_shown_nor_merged() -> None:
    decision = suppress({1: 5, 2: 0})
    assert decision.shown == {1} and decision.merged == frozenset() and decision.other_n == 0


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        suppress({1: -1})
