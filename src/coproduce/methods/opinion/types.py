"""The shapes of votes as callers give them, and of the arrays the stages pass to each other."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import numpy as np
import numpy.typing as npt

Vote = tuple[Hashable, Hashable, int]
"""``(participant, statement, vote)`` with agree = +1, disagree = -1, pass = 0."""

TimedVote = tuple[Hashable, Hashable, int, Any]
"""A vote with a timestamp (a number or an aware ``datetime``): the latest wins (ties: the later
one in the input)."""

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
