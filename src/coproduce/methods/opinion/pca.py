"""Step 2, the PCA: the first two principal components of the mean-imputed rating matrix.

Power iteration on the covariance (Gram) matrix, warm-started from the last update's components.
Because the imputed cells equal the mean, the centred matrix is zero there: the work is
proportional to the number of votes. Large conversations start from a sample of rows and never
form a participants x statements array.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

import numpy as np

from coproduce.methods.opinion.constants import LARGE_PCA_ITERS, PCA_ITERS
from coproduce.methods.opinion.matrix import RatingMatrix
from coproduce.methods.opinion.results import State
from coproduce.methods.opinion.types import FloatArray, IntArray


def principal_components(matrix: RatingMatrix, statements: list[Hashable], previous: State) -> FloatArray:
    """The 2 components (2 x statements); 0 for statements whose column has no variance."""
    rk, ck, dk = matrix.rows, matrix.cols, matrix.centred
    n_all = matrix.n_cols
    start = _start_vectors(previous, statements, n_all)
    comps = _pca(rk, ck, dk, matrix.n_rows, n_all, start, min(2, matrix.n_rows, matrix.n_cmts))
    comps[:, np.bincount(ck, weights=dk * dk, minlength=n_all) == 0] = 0.0  # no variance: exactly 0
    return comps


_DENSE_CELLS = 8_000_000


def _dense_gram(r: IntArray, c: IntArray, d: FloatArray, n_rows: int, n_cols: int) -> FloatArray:
    """``D^T D`` for the sparse centred matrix D (cells (r, c) = d, zero elsewhere), made dense."""
    dense = np.zeros((n_rows, n_cols))
    dense[r, c] = d
    result: FloatArray = dense.T @ dense
    return result


class _SparseGram:
    """``V -> D^T (D V)`` for a large sparse D, in float32, without forming ``D^T D``.

    Costs a few passes over the votes per product: nothing proportional to
    participants x statements is ever allocated.
    """

    def __init__(self, r: IntArray, c: IntArray, d: FloatArray, n_rows: int, n_cols: int) -> None:
        if len(r) > 1 and not bool(np.all(r[1:] >= r[:-1])):
            order = np.argsort(r, kind="stable")
            r, c, d = r[order], c[order], d[order]
        self.n_rows, self.n_cols = n_rows, n_cols
        self.c = c.astype(np.int32)
        self.d = d.astype(np.float32)
        self.row_starts = np.flatnonzero(np.r_[True, r[1:] != r[:-1]]) if len(r) else np.zeros(0, np.int64)
        self.rows = r[self.row_starts]
        by_col = np.argsort(c.astype(np.int16 if n_cols < 32_000 else np.int32), kind="stable")
        self.r_by_col = r[by_col].astype(np.int32)
        self.d_by_col = self.d[by_col]
        c_sorted = c[by_col]
        self.col_starts = (
            np.flatnonzero(np.r_[True, c_sorted[1:] != c_sorted[:-1]]) if len(c) else np.zeros(0, np.int64)
        )
        self.cols = c_sorted[self.col_starts]

    def __call__(self, basis: FloatArray) -> FloatArray:
        out = np.zeros((self.n_cols, basis.shape[1]))
        if not len(self.d):
            return out
        columns = np.ascontiguousarray(basis.T, dtype=np.float32)
        per_row = np.zeros(self.n_rows, dtype=np.float32)
        for j in range(basis.shape[1]):  # one vector at a time: 1-D gathers are the fast ones
            per_row[self.rows] = np.add.reduceat(columns[j].take(self.c) * self.d, self.row_starts)
            out[self.cols, j] = np.add.reduceat(
                per_row.take(self.r_by_col) * self.d_by_col, self.col_starts, dtype=np.float64
            )
        return out


def _pca(
    r: IntArray, c: IntArray, d: FloatArray, n_rows: int, n_cols: int, starts: list[FloatArray | None], n_comps: int
) -> FloatArray:
    """The 2 principal components of the mean-imputed matrix (its centred form D is sparse)."""
    if n_cols == 0 or n_rows == 0 or not len(d):
        return np.zeros((2, n_cols))
    if n_rows * n_cols <= _DENSE_CELLS:
        gram = _dense_gram(r, c, d, n_rows, n_cols)
        return _power_pca(lambda basis: gram @ basis, n_cols, starts, n_comps)
    # Large: start from the components of a random sample of rows (or the last update's), then
    # iterate on all rows until the components stop changing.
    sample_rows = max(1, min(n_rows, _DENSE_CELLS // n_cols))
    chosen = np.zeros(n_rows, dtype=bool)
    chosen[np.random.default_rng(1).choice(n_rows, sample_rows, replace=False)] = True
    keep = chosen[r]
    renumber = np.cumsum(chosen) - 1
    sample = _dense_gram(renumber[r[keep]], c[keep], d[keep], sample_rows, n_cols)
    initial = _power_pca(lambda basis: sample @ basis, n_cols, starts, n_comps, tolerance=1e-6)
    return _power_pca(_SparseGram(r, c, d, n_rows, n_cols), n_cols, starts, n_comps, initial, 1e-5, LARGE_PCA_ITERS)


def _start_vectors(prev: State, stmts: list[Hashable], n: int) -> list[FloatArray | None]:
    """Warm start: the last components, by statement, with 1 for statements new since (as Pol.is)."""
    if not prev.components:
        return []
    pos = {s: i for i, s in enumerate(prev.component_statements)}
    starts: list[FloatArray | None] = []
    for comp in prev.components:
        vec = np.array([comp[pos[s]] if s in pos and pos[s] < len(comp) else 1.0 for s in stmts])
        starts.append(None if not vec.any() else vec)
    return starts


def _power_pca(
    apply: Callable[[FloatArray], FloatArray],
    n: int,
    starts: list[FloatArray | None],
    n_comps: int,
    initial: FloatArray | None = None,
    tolerance: float = 1e-13,
    max_iters: int = PCA_ITERS,
) -> FloatArray:
    """The first ``n_comps`` eigenvectors of ``gram`` (= ``D^T D``) by power iteration.

    Pol.is (``powerit-pca``) runs 100 single-vector power iterations per update, starting from
    the last update's components, and deflates by Gram-Schmidt for the second one; over a
    conversation's life that converges to the top eigenvectors. Here the same iteration runs on
    a small block of vectors at once (orthogonal iteration, which converges much faster) until
    the top two stop changing, so one update gives the converged components. The sign of each
    component is the one power iteration from the start vector gives (``start . v > 0``): the
    last update's component, so the map does not flip between updates, or a fixed
    pseudo-random vector, as Pol.is's random start, on a fresh start.
    """
    comps = np.zeros((2, n))
    n_comps = max(0, min(n_comps, n))
    if n_comps == 0:
        return comps
    rng = np.random.default_rng(0)
    block = min(n, max(n_comps + 6, 8) if initial is None else n_comps + 1)
    basis = rng.random((n, block))
    signs = rng.random((n, n_comps))
    for j in range(min(n_comps, len(starts))):
        start = starts[j]
        if start is not None and np.linalg.norm(start) > 0:
            basis[:, j] = start
            signs[:, j] = start
    if initial is not None:
        basis[:, : initial.shape[0]] = initial.T[:, : min(block, initial.shape[0])]
    basis, _ = np.linalg.qr(basis)
    top = np.zeros((n, n_comps))
    for _ in range(max_iters):
        product = apply(basis)
        if not product.any():
            return comps
        small = basis.T @ product  # Rayleigh-Ritz: the best 2 vectors in the current block
        values, vectors = np.linalg.eigh((small + small.T) / 2)
        order = np.argsort(values)[::-1][:n_comps]
        new_top = basis @ vectors[:, order]
        aligned = top * np.where((new_top * top).sum(axis=0) < 0, -1.0, 1.0)
        done = bool(np.sqrt(((new_top - aligned) ** 2).sum(axis=0)).max() < tolerance)
        top = new_top
        if done:
            break
        basis, _ = np.linalg.qr(product)
    for j in range(n_comps):
        vec = top[:, j] / np.linalg.norm(top[:, j])
        if float(signs[:, j] @ vec) < 0:
            vec = -vec
        comps[j] = vec
    return comps
