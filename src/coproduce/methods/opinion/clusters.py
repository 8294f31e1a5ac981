"""Steps 5 and 6, the clusters: up to 100 base clusters of the participants in the map, then for
every k from 2 to ``min(5, 2 + base/12)`` the groups of base clusters, with their silhouettes.

Both k-means start from the last update's clusters (members are carried by id), so the map keeps
its groups from one update to the next unless the votes really moved them.
"""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np

from coproduce.methods.opinion.constants import BASE_ITERS, BASE_K, GROUP_ITERS, MAX_K
from coproduce.methods.opinion.kmeans import Cluster, kmeans, silhouette
from coproduce.methods.opinion.results import State
from coproduce.methods.opinion.types import FloatArray, IntArray
from coproduce.methods.opinion.votes import LatestVotes


def base_clusters(points: FloatArray, in_idx: IntArray, votes: LatestVotes, previous: State) -> list[Cluster]:
    """k-means (k = 100) of the in-map participants' positions ``points`` (rows ``in_idx``), by id.

    Members are indices into ``points``.
    """
    row_index = votes.row_index
    pos_of_row = np.full(len(votes.row_ids), -1, dtype=np.int64)
    pos_of_row[in_idx] = np.arange(len(in_idx))
    last_base = [
        Cluster(
            cs.id,
            np.array(
                [pos_of_row[row_index[m]] for m in cs.members if m in row_index and pos_of_row[row_index[m]] >= 0],
                dtype=np.int64,
            ),
            np.array(cs.center, dtype=np.float64),
        )
        for cs in previous.base_clusters
    ]
    base = kmeans(points, BASE_K, last_base or None, BASE_ITERS, None) if len(points) else []
    base.sort(key=lambda cl: cl.id)
    return base


def group_clusterings(base: list[Cluster], previous: State) -> tuple[dict[int, list[Cluster]], dict[int, float]]:
    """For each k tried, the groups (weighted k-means of the base clusters' centres, members are
    indices into ``base``, by id), and each k's silhouette."""
    bcenters = np.array([b.center for b in base]).reshape(-1, 2)
    bweights = np.array([len(b.members) for b in base], dtype=np.float64)
    bpos = {b.id: i for i, b in enumerate(base)}
    max_k = min(MAX_K, 2 + len(base) // 12)
    clusterings: dict[int, list[Cluster]] = {}
    silhouettes: dict[int, float] = {}
    if len(base):
        dist = np.sqrt(((bcenters[:, None, :] - bcenters[None, :, :]) ** 2).sum(axis=2))
        for k in range(2, max_k + 1):
            last_groups = [
                Cluster(
                    cs.id,
                    np.array([bpos[_int_key(m)] for m in cs.members if _int_key(m) in bpos], dtype=np.int64),
                    np.array(cs.center, dtype=np.float64),
                )
                for cs in previous.group_clusterings.get(k, [])
            ]
            groups_k = kmeans(bcenters, k, last_groups or None, GROUP_ITERS, bweights)
            groups_k.sort(key=lambda cl: cl.id)
            clusterings[k] = groups_k
            silhouettes[k] = silhouette(dist, groups_k)
    return clusterings, silhouettes


def _int_key(value: Hashable) -> int:
    return int(value) if isinstance(value, int | float | str | np.integer) else -1
