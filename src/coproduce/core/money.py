"""Money as integer pence: reading what people type ("£1,250.50") and writing it back.

On pages, money is written the way the page's language writes it (Babel, from the Unicode CLDR): "£1,250.50"
in English, "1 250,50 £" in Polish, "1,250.50 £" after a right-to-left mark in Arabic (Western digits, as
Babel gives them by default). Files, the API and open data use :func:`plain_pounds` or
``format_pence(..., locale="en-gb")``: the same in every language.
"""

from __future__ import annotations

import copy
import re
from decimal import Decimal, InvalidOperation
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.numbers import NumberPattern, parse_pattern
from django.utils.translation import get_language, to_locale

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


def format_pence(pence: int | None, *, symbol: bool = True, locale: str | None = None) -> str:
    """Pence as money in the page's language (or ``locale``, a language code such as "pl"): "£1,250.50",
    or "£1,250" for whole pounds; "1 250,50 £" in Polish. With ``symbol=False``, the plain English figure
    a form shows in its box and reads back ("1,250.50"), whatever the language."""
    if pence is None:
        return ""
    if not symbol:
        sign = "-" if pence < 0 else ""
        pounds, rest = divmod(abs(int(pence)), 100)
        text = f"{pounds:,}" if rest == 0 else f"{pounds:,}.{rest:02d}"
        return f"{sign}{text}"
    babel_locale, whole, pence_pattern = _money_patterns(locale or get_language() or "en-gb")
    pattern = whole if int(pence) % 100 == 0 else pence_pattern
    return pattern.apply(Decimal(int(pence)) / 100, babel_locale)


@cache
def _money_patterns(language: str) -> tuple[Locale, NumberPattern, NumberPattern]:
    """The language's currency pattern with the pound sign (not "GBP" or "UK£"), and its whole-pounds twin."""
    try:
        babel_locale = Locale.parse(to_locale(language))
    except (UnknownLocaleError, ValueError):
        babel_locale = Locale.parse("en_GB")
    standard = babel_locale.currency_formats["standard"].pattern
    with_pence = parse_pattern(standard.replace("¤", "'£'"))
    whole = copy.copy(with_pence)
    whole.frac_prec = (0, 0)
    return babel_locale, whole, with_pence


def plain_pounds(pence: int) -> str:
    """For files: "1250" or "1250.50", no symbol or separators."""
    pounds, rest = divmod(int(pence), 100)
    return str(pounds) if rest == 0 else f"{pounds}.{rest:02d}"
