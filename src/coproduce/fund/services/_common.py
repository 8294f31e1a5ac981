"""What every fund write shares: the check of an amount of money."""

from __future__ import annotations

from typing import Any

from coproduce.core.exceptions import ServiceError
from coproduce.core.money import MAX_PENCE


def amount(pence: Any, *, field: str, message: str) -> int:
    if not isinstance(pence, int) or isinstance(pence, bool) or pence <= 0 or pence > MAX_PENCE:
        raise ServiceError(message, field=field, code="amount")
    return pence
