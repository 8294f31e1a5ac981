"""Step 3, the projection ("sparsity-aware"): participants and statements on the map.

A participant's position is the sum over the statements they voted on of (vote - mean) x
component, scaled by sqrt(statements / their votes), so people who voted on few statements are not
pulled to the centre. A statement's position is that of someone who agreed with it alone; its
extremity is the distance from the centre.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from coproduce.methods.opinion.matrix import RatingMatrix
from coproduce.methods.opinion.types import FloatArray


@dataclass(frozen=True)
class Projection:
    """Positions on the map: ``participants`` (rows x 2), ``statements`` (statements x 2) and
    each statement's ``extremity``."""

    participants: FloatArray
    statements: FloatArray
    extremity: FloatArray


def project(matrix: RatingMatrix, comps: FloatArray) -> Projection:
    """Project every participant and statement onto the components."""
    rk, ck, dk = matrix.rows, matrix.cols, matrix.centred
    n_rows, n_all, n_cmts = matrix.n_rows, matrix.n_cols, matrix.n_cmts
    votes_per_row = np.bincount(rk, minlength=n_rows) + int(matrix.mod_cols.sum())
    scale = np.sqrt(n_cmts / np.maximum(votes_per_row, 1))
    proj = np.zeros((n_rows, 2))
    for j in range(comps.shape[0]):
        proj[:, j] = np.bincount(rk, weights=dk * comps[j][ck], minlength=n_rows) * scale
    cproj = np.zeros((n_all, 2))
    agree_dev = 1.0 - matrix.center  # a virtual participant who agreed with only this statement
    for j in range(comps.shape[0]):
        cproj[:, j] = math.sqrt(n_cmts) * agree_dev * comps[j]
    cproj[~matrix.has_col | matrix.is_mod] = 0.0
    extremity = np.sqrt((cproj**2).sum(axis=1))
    return Projection(proj, cproj, extremity)
