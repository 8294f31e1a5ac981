"""Step 6 (end), the groups: how many, chosen by silhouette and smoothed across updates, and
each participant's group.

The best k by silhouette must win ``GROUP_K_BUFFER`` updates in a row before the map changes to
it (Pol.is's k smoother).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from coproduce.methods.opinion.constants import GROUP_K_BUFFER
from coproduce.methods.opinion.kmeans import Cluster
from coproduce.methods.opinion.results import State
from coproduce.methods.opinion.types import IntArray


@dataclass(frozen=True)
class GroupChoice:
    """The groups shown (``k`` of them, 0 when there are none) and the smoother's new state."""

    k: int
    groups: list[Cluster]
    last_k: int | None
    last_k_count: int
    smoothed_k: int | None


def choose_k(clusterings: dict[int, list[Cluster]], silhouettes: dict[int, float], previous: State) -> GroupChoice:
    """Pick the clustering to show: the best silhouette this update, once the smoother agrees."""
    last_k, last_k_count, smoothed_k = previous.last_k, previous.last_k_count, previous.smoothed_k
    if not clusterings:
        return GroupChoice(0, [], last_k, last_k_count, smoothed_k)
    best = max(silhouettes.values())
    this_k = max(k for k, s in silhouettes.items() if s == best or (math.isnan(best) and math.isnan(s)))
    this_count = last_k_count + 1 if last_k is not None and this_k == last_k else 1
    if this_count >= GROUP_K_BUFFER or smoothed_k is None:
        smoothed_k = this_k
    chosen_k = smoothed_k if smoothed_k in clusterings else this_k
    return GroupChoice(chosen_k, clusterings[chosen_k], this_k, this_count, smoothed_k)


def group_of_rows(n_rows: int, in_idx: IntArray, base: list[Cluster], groups: list[Cluster]) -> IntArray:
    """Each participant row's group, as an index into ``groups``; -1 when not in the map."""
    group_of_row = np.full(n_rows, -1, dtype=np.int64)
    for gi, g in enumerate(groups):
        for b in g.members:
            group_of_row[in_idx[base[int(b)].members]] = gi
    return group_of_row
