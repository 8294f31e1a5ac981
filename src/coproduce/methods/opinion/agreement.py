"""Agreement between two clusterings: the adjusted Rand index."""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np

from coproduce.methods.opinion.types import FloatArray


def adjusted_rand_index(labels_a: Sequence[Hashable], labels_b: Sequence[Hashable]) -> float:
    """The adjusted Rand index (Hubert and Arabie) of two labellings of the same items.

    1 means identical partitions (whatever the label names), about 0 what chance gives.
    """
    if len(labels_a) != len(labels_b):
        raise ValueError("both labellings must cover the same items")
    n = len(labels_a)
    if n < 2:
        return 1.0
    _, a = np.unique(np.array([str(x) for x in labels_a]), return_inverse=True)
    _, b = np.unique(np.array([str(x) for x in labels_b]), return_inverse=True)
    table = np.zeros((a.max() + 1, b.max() + 1))
    np.add.at(table, (a, b), 1)

    def pairs(x: FloatArray) -> float:
        return float((x * (x - 1) / 2).sum())

    index = pairs(table)
    sum_a, sum_b = pairs(table.sum(axis=1)), pairs(table.sum(axis=0))
    expected = sum_a * sum_b / (n * (n - 1) / 2)
    maximum = (sum_a + sum_b) / 2
    if maximum == expected:
        return 1.0
    return (index - expected) / (maximum - expected)
