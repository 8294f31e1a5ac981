"""Text cells of CSV files made safe to open in a spreadsheet, reversibly.

A spreadsheet reads a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or with a tab or carriage return
before one) as a formula, and a formula can run commands or send the sheet's data elsewhere. Following
OWASP's advice on CSV injection, :func:`neutralise` puts a single quote in front of such a cell, so that the
spreadsheet shows it as text.

The rule is reversible, so that the platform reads its own files back exactly: a cell that already starts
with one or more quotes followed by one of those characters gets one more quote too, and :func:`restore`
takes exactly one quote off a cell that :func:`neutralise` would have changed. ``restore(neutralise(s)) ==
s`` for every string ``s``. Apply both only to text people wrote: numbers and identifiers the file format
needs as they are (votes of -1, amounts, ids) are written and read without either.
"""

from __future__ import annotations

__all__ = ["QUOTE", "TRIGGERS", "neutralise", "restore"]

TRIGGERS = frozenset("=+-@\t\r")
QUOTE = "'"


def _starts_a_formula(text: str) -> bool:
    """Whether ``text``, after any quotes at its start, begins with a character that starts a formula."""
    rest = text.lstrip(QUOTE)
    return bool(rest) and rest[0] in TRIGGERS


def neutralise(text: str) -> str:
    """``text`` as a cell no spreadsheet takes for a formula: with a quote in front when it needs one."""
    return QUOTE + text if _starts_a_formula(text) else text


def restore(cell: str) -> str:
    """The text that :func:`neutralise` turned into ``cell`` (a cell it left alone comes back unchanged)."""
    return cell[1:] if cell.startswith(QUOTE) and _starts_a_formula(cell) else cell
