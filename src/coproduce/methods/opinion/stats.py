"""The significance tests Pol.is uses (stats.clj) for representative and consensus statements."""

from __future__ import annotations

from typing import Any

import numpy as np

from coproduce.methods.opinion.types import FloatArray


def prop_test(succ: FloatArray | float, n: FloatArray | float) -> Any:
    """One-proportion z-test with a pseudo-count: ``2 sqrt(n+1) ((s+1)/(n+1) - 1/2)``."""
    return 2 * np.sqrt(np.add(n, 1)) * (np.add(succ, 1) / np.add(n, 1) - 0.5)


def two_prop_test(succ_in: Any, succ_out: Any, pop_in: Any, pop_out: Any) -> Any:
    """Two-proportion z-test with +1 on every count; 0 when the pooled proportion is 1."""
    s1, s2, n1, n2 = (np.add(x, 1.0) for x in (succ_in, succ_out, pop_in, pop_out))
    pi1, pi2 = s1 / n1, s2 / n2
    pi_hat = (s1 + s2) / (n1 + n2)
    denom = np.sqrt(pi_hat * (1 - pi_hat) * (1 / n1 + 1 / n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(pi_hat == 1, 0.0, (pi1 - pi2) / np.where(denom == 0, 1.0, denom))
    return z
