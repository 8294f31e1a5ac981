"""Finds text people read in a template that is not marked for translation.

The template is read with Django's own lexer. Text inside `{% blocktranslate %}` (and `{% comment %}`,
`{% verbatim %}`) is left alone; every other piece of plain text is put back together with a placeholder where
a tag or variable stood, and read as HTML: text between tags and the attributes people read (`alt`, `title`,
`aria-label` and the other `aria-` texts, `label`, `placeholder`, a submit input's `value`) must hold no
letters once the allow-list is taken out. Text in `<script>`, `<style>`, `<pre>` and `<code>` is not read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from django.template.base import Lexer, TokenType

# Words that are the same in every language (names, symbols).
ALLOWED = (".csv", "Coproduce", "CSVW", "CSV", "ODS", "JSON", "iCal", "OpenAPI", "GOV.UK", "£", "©", "×")

_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
# A variable becomes a digit and a tag a space: neither reads as a word, and a tag name or attribute built
# around them (`<h{{ level }}`, `<tr{% if total %} class="…"{% endif %}>`) still parses.
_VARIABLE = "0"
_TAG = " "
_SKIPPED_BLOCKS = {"blocktranslate": "endblocktranslate", "blocktrans": "endblocktrans", "comment": "endcomment"}
# Code, examples of a file's format and what a computer reads are not translated.
_RAW = ("script", "style", "pre", "code", "kbd", "samp")
_READ_ATTRIBUTES = {
    "alt",
    "title",
    "aria-label",
    "aria-description",
    "aria-roledescription",
    "aria-valuetext",
    "label",
    "placeholder",
}


@dataclass(frozen=True)
class Untranslated:
    path: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text!r}"


def _reads(text: str) -> bool:
    for word in ALLOWED:
        text = text.replace(word, "")
    return bool(_LETTER.search(text))


class _Reader(HTMLParser):
    def __init__(self, lines: list[int]) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self._lines = lines
        self._raw = 0
        # Whether each open <span> is marked as English on purpose (lang="en…"), e.g. a label's English gloss.
        self._spans: list[bool] = []

    def _line(self, skipped: str = "") -> int:
        line = self.getpos()[0] + skipped.count("\n")
        return self._lines[line - 1] if line - 1 < len(self._lines) else line

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag in _RAW:
            self._raw += 1
        if tag == "span":
            english = (named.get("lang") or "").startswith("en")
            self._spans.append(english)
            self._raw += english
        for name, value in attrs:
            readable = name in _READ_ATTRIBUTES or (
                name == "value" and tag == "input" and named.get("type") in ("submit", "button", "reset")
            )
            if readable and value and _reads(value):
                self.found.append((self._line(), f"{name}={value}"))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _RAW and self._raw:
            self._raw -= 1
        if tag == "span" and self._spans and self._spans.pop() and self._raw:
            self._raw -= 1

    def handle_data(self, data: str) -> None:
        if not self._raw and _reads(data):
            first = _LETTER.search(data)
            self.found.append((self._line(data[: first.start() if first else 0]), " ".join(data.split())))


def untranslated_text(source: str, path: str = "") -> list[Untranslated]:
    """Every piece of text people read in this template source that is not marked for translation."""
    pieces: list[str] = []
    # For each line of the rebuilt source, the template's own line number.
    lines: list[int] = [1]
    closing: str | None = None
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents.split() else ""
            if closing is not None:
                if name == closing:
                    closing = None
                continue
            if name in _SKIPPED_BLOCKS:
                closing = _SKIPPED_BLOCKS[name]
            elif token.contents.split()[:2] == ["block", "layout_class"]:
                closing = "endblock"  # class names for the page's layout, not words
            elif name == "verbatim":
                closing = "endverbatim"
            pieces.append(_TAG)
            continue
        if closing is not None:
            continue
        if token.token_type == TokenType.TEXT:
            text = token.contents
            pieces.append(text)
            start = token.lineno or 1
            lines.extend(start + offset + 1 for offset in range(text.count("\n")))
        elif token.token_type == TokenType.VAR:
            pieces.append(_VARIABLE)
    reader = _Reader(lines)
    reader.feed("".join(pieces))
    reader.close()
    return [Untranslated(path, line, text) for line, text in reader.found]


def template_files(root: Path) -> list[Path]:
    """Every template under the package: the project's own and each app's."""
    return sorted(path for path in root.rglob("*") if path.suffix in (".html", ".txt") and "templates" in path.parts)
