"""The small-groups rule: which groups of a breakdown may be shown, so that no group of fewer than five
answers can be read, directly or by subtraction.

Pure: counts in, a decision out; no Django.

* **Primary rule** – a group with 1 to ``minimum - 1`` answers is not shown: it is merged into "Other".
* **Complementary rule** – if "Other" then holds 1 to ``minimum - 1`` answers, the smallest shown group
  joins it too (the fewest answers first, then the smallest key), and again until "Other" holds 0 or at
  least ``minimum``. So the total minus the groups shown is always 0 or at least ``minimum``.
* **Too few in all** – when the total is under ``minimum``, nothing is shown, not even the total.

A group with no answers is neither shown nor merged (there is nothing to show). The decision depends on the
counts only, so it is the same for every viewer and every page or export that reads the same breakdown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

__all__ = ["MINIMUM_GROUP", "Suppression", "suppress"]

MINIMUM_GROUP = 5

K = TypeVar("K", int, str)


@dataclass(frozen=True)
class Suppression(Generic[K]):
    """What may be shown of one breakdown."""

    shown: frozenset[K]  # groups shown on their own (each at least ``minimum``)
    merged: frozenset[K]  # groups with answers counted only in "Other"
    other_n: int  # answers in "Other": 0 or at least ``minimum`` (when anything is shown)
    total_n: int  # every answer in the breakdown
    nothing_shown: bool  # the total is under ``minimum``: show nothing at all, not even the total

    def is_shown(self, key: K) -> bool:
        return key in self.shown


def suppress(counts: Mapping[K, int], minimum: int = MINIMUM_GROUP) -> Suppression[K]:
    """Decide which groups of ``counts`` (answers per group) are shown and which are merged into "Other".

    >>> s = suppress({"a": 12, "b": 6, "c": 3})
    >>> sorted(s.shown), sorted(s.merged), s.other_n
    (['a'], ['b', 'c'], 9)
    >>> suppress({"a": 3, "b": 1}).nothing_shown
    True
    """
    if minimum < 1:
        raise ValueError("the smallest group shown must be at least 1")
    if any(n < 0 for n in counts.values()):
        raise ValueError("counts must not be negative")
    present = {key: n for key, n in counts.items() if n > 0}
    total = sum(present.values())
    if total < minimum:
        return Suppression(
            shown=frozenset(), merged=frozenset(present), other_n=total, total_n=total, nothing_shown=True
        )
    shown = {key for key, n in present.items() if n >= minimum}
    other = total - sum(present[key] for key in shown)
    while 0 < other < minimum:
        # ``total >= minimum`` so this ends: at worst every group is merged and "Other" holds the total.
        smallest = min(shown, key=lambda key: (present[key], key))
        shown.remove(smallest)
        other += present[smallest]
    return Suppression(
        shown=frozenset(shown),
        merged=frozenset(present.keys() - shown),
        other_n=other,
        total_n=total,
        nothing_shown=False,
    )
