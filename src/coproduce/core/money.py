"""Money as integer pence: reading what people type ("£1,250.50") and writing it back."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_TYPED = re.compile(r"^£?\s*(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$")
MAX_PENCE = 10**12  # ten billion pounds: far above any fund, far below a 64-bit column


def parse_pounds(text: str) -> int | None:
    """Pence for an amount typed in pounds ("12", "12.5", "£1,250.50"), or None if it is not one."""
    cleaned = (text or "").strip().replace(" ", "")
    if not _TYPED.match(cleaned):
        return None
    try:
        value = Decimal(cleaned.lstrip("£").replace(",", ""))
    except InvalidOperation:
        return None
    pence = int(value * 100)
    return pence if pence <= MAX_PENCE else None


def format_pence(pence: int | None, *, symbol: bool = True) -> str:
    """ "£1,250.50", or "£1,250" for whole pounds."""
    if pence is None:
        return ""
    sign = "-" if pence < 0 else ""
    pounds, rest = divmod(abs(int(pence)), 100)
    text = f"{pounds:,}" if rest == 0 else f"{pounds:,}.{rest:02d}"
    return f"{sign}{'£' if symbol else ''}{text}"


def plain_pounds(pence: int) -> str:
    """For files: "1250" or "1250.50", no symbol or separators."""
    pounds, rest = divmod(int(pence), 100)
    return str(pounds) if rest == 0 else f"{pounds}.{rest:02d}"
