"""k-means as Pol.is does it (clusters.clj), and the silhouette that chooses the number of groups.

Used twice: for the base clusters of participants and for the groups of base clusters.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from coproduce.methods.opinion.constants import SAME_CLUSTERING
from coproduce.methods.opinion.types import FloatArray, IntArray


@dataclass
class Cluster:
    """A cluster of points: its id, its members (indices into the current points) and centre."""

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


def _init_clusters(points: FloatArray, k: int) -> list[Cluster]:
    firsts = _distinct_first(points)[:k]
    return [Cluster(i, np.zeros(0, dtype=np.int64), points[p].copy()) for i, p in enumerate(firsts)]


def _clean_start(points: FloatArray, last: list[Cluster], k: int, weights: FloatArray | None) -> list[Cluster]:
    """Pol.is ``clean-start-clusters``: recentre the last clusters on the new positions, merge
    identical ones, then split off the most distant point until there are k (or all distinct)."""
    clusters = [
        Cluster(cl.id, cl.members, _weighted_mean(points, cl.members, weights)) for cl in last if len(cl.members)
    ]
    if not clusters:
        all_idx = np.arange(len(points))
        next_id = max((cl.id for cl in last), default=-1) + 1
        clusters = [Cluster(next_id, all_idx, _weighted_mean(points, all_idx, weights))]
    uniq: list[Cluster] = []
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
        uniq[twin] = Cluster(new_id, np.concatenate([u.members, cl.members]), center)
        old_key = tuple(u.center.tolist())
        if at.get(old_key) == twin:
            del at[old_key]
        at.setdefault(tuple(center.tolist()), twin)
    possible = min(k, len(_distinct_first(points)))
    clusters = uniq
    while True:
        clusters = [
            Cluster(cl.id, cl.members, _weighted_mean(points, cl.members, weights))
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
        clusters = [Cluster(cl.id, cl.members[cl.members != far], cl.center) for cl in clusters]
        clusters.append(Cluster(new_id, np.array([far], dtype=np.int64), points[far].copy()))


def kmeans(
    points: FloatArray, k: int, last: list[Cluster] | None, max_iters: int, weights: FloatArray | None
) -> list[Cluster]:
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
                Cluster(int(new_ids[i]), order[bounds[i] : bounds[i + 1]], new_centers[i]) for i in range(len(new_ids))
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


def silhouette(dist: FloatArray, clusters: list[Cluster]) -> float:
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
