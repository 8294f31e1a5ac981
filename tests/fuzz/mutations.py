"""Hostile variations of real files, for the fuzz tests: a seed file changed a few times over by inserting,
replacing, deleting, repeating or swapping pieces, with pieces chosen to hurt readers (huge numbers,
exponents, stray quotes, separators, NUL, line breaks, formula starts, a cell over the csv module's limit)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Each fuzz target runs this many examples (COPRODUCE_FUZZ_EXAMPLES for a longer search), none allowed more than
# this long: a reader that spends seconds on one input (as the 25 s Pabulib budget did) fails the target. With
# the default the whole folder stays under ~30 s.
FUZZ = settings(
    max_examples=int(os.environ.get("COPRODUCE_FUZZ_EXAMPLES", "400")),
    deadline=timedelta(seconds=2),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)

HOSTILE = (
    "1e999999",
    "9" * 400,
    "1e30000",
    "-1",
    "-0",
    "+7",
    "1.5",
    "1,5",
    "NaN",
    "-inf",
    "0x1F",
    "1_000",
    "١٢٣",
    "2147483648",
    "99999999999999999999",
    '"',
    '""',
    '"open',
    ";",
    ",",
    "\x00",
    "\r",
    "\n",
    "\r\n",
    "\t",
    "'",
    "=1+1",
    "@SUM(A1)",
    "\ufeff",
    "\u2028",
    " ",
    "",
    "META",
    "PROJECTS",
    "VOTES",
    "[",
    "{",
    "\\",
    "null",
    "31/02/2026",
    "9999-12-31",
)
_PIECE = re.compile(r"[^;,\n\"]+")

Mutation = Callable[[Any, str], str]


def _position(draw: Any, text: str) -> int:
    return draw(st.integers(0, len(text)))


def _insert(draw: Any, text: str) -> str:
    at = _position(draw, text)
    return text[:at] + draw(_piece) + text[at:]


def _replace_piece(draw: Any, text: str) -> str:
    pieces = list(_PIECE.finditer(text))
    if not pieces:
        return text
    found = pieces[draw(st.integers(0, len(pieces) - 1))]
    return text[: found.start()] + draw(_piece) + text[found.end() :]


def _delete(draw: Any, text: str) -> str:
    start = _position(draw, text)
    return text[:start] + text[start + draw(st.integers(1, 40)) :]


def _lines(draw: Any, text: str) -> str:
    lines = text.split("\n")
    first, second = (draw(st.integers(0, len(lines) - 1)) for _ in range(2))
    action = draw(st.sampled_from(["repeat", "drop", "swap"]))
    if action == "repeat":
        lines.insert(first, lines[second])
    elif action == "drop":
        del lines[first]
    else:
        lines[first], lines[second] = lines[second], lines[first]
    return "\n".join(lines)


def _swap_pieces(draw: Any, text: str) -> str:
    """Two pieces (fields, or parts of them) change places: columns in a header, values in a row."""
    pieces = list(_PIECE.finditer(text))
    if len(pieces) < 2:
        return text
    at = draw(st.integers(0, len(pieces) - 2))
    first, second = pieces[at], pieces[draw(st.integers(at + 1, min(at + 8, len(pieces) - 1)))]
    return (
        text[: first.start()]
        + second.group()
        + text[first.end() : second.start()]
        + first.group()
        + text[second.end() :]
    )


def _drop_field(draw: Any, text: str) -> str:
    """A field and its separator go: a row one field short."""
    separators = [i for i, ch in enumerate(text) if ch in ",;"]
    if not separators:
        return text
    at = separators[draw(st.integers(0, len(separators) - 1))]
    end = at + 1
    while end < len(text) and text[end] not in ",;\n":
        end += 1
    return text[:at] + text[end:]


def _a_line(draw: Any, lines: list[str]) -> int:
    """A line's index: the header (the first line) half the time, as it decides how the rest is read."""
    return 0 if draw(st.booleans()) else draw(st.integers(0, len(lines) - 1))


def _shuffle_line(draw: Any, text: str) -> str:
    """A line's fields in another order (columns of a header change places)."""
    lines = text.split("\n")
    at = _a_line(draw, lines)
    separator = ";" if lines[at].count(";") > lines[at].count(",") else ","
    fields = lines[at].split(separator)
    lines[at] = separator.join(draw(st.permutations(fields)))
    return "\n".join(lines)


def _cut_line(draw: Any, text: str) -> str:
    """A line cut short (a row with fewer fields than its header)."""
    lines = text.split("\n")
    at = draw(st.integers(0, len(lines) - 1))
    lines[at] = lines[at][: draw(st.integers(0, len(lines[at])))]
    return "\n".join(lines)


def _truncate(draw: Any, text: str) -> str:
    return text[: _position(draw, text)]


_piece = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=12),
    st.just("x" * 140_000),  # over the csv module's 131 072-character field limit
)
_MUTATIONS: tuple[Mutation, ...] = (
    _insert,
    _replace_piece,
    _replace_piece,
    _delete,
    _lines,
    _swap_pieces,
    _drop_field,
    _shuffle_line,
    _cut_line,
    _truncate,
)


@st.composite
def mutated(draw: Any, seeds: Sequence[str]) -> str:
    """One of ``seeds`` changed one to five times over."""
    text = draw(st.sampled_from(seeds))
    for _ in range(draw(st.integers(1, 5))):
        text = draw(st.sampled_from(_MUTATIONS))(draw, text)
    return text
