"""People's own text marked with the language it was written in, and the languages a page is offered in.

``<div{{ idea.language|lang_attr }}>`` adds ` lang="pl" dir="ltr"` when the text's language is not the
page's, so a screen reader reads Polish words with a Polish voice and Arabic text runs right to left inside
an English page. Text whose language was not recorded ("") is taken to be in English, the partnership's
default. Nothing is translated: the words are shown as their writer wrote them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from django import template
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString

from coproduce.core.languages import Language, is_bidi, offered

register = template.Library()

DEFAULT_TEXT_LANGUAGE = "en"
_CODE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def _primary(code: str) -> str:
    return code.split("-", 1)[0].lower()


@register.filter
def lang_attr(text_language: Any) -> SafeString | str:
    """` lang="…" dir="…"` when the text's language differs from the page's, else ""."""
    return _attribute(str(text_language or ""), translation.get_language() or DEFAULT_TEXT_LANGUAGE)


@lru_cache(maxsize=256)
def _attribute(code: str, page: str) -> SafeString | str:
    # Cached: a list page asks the same few pairs of languages once per item.
    if not code or not _CODE.match(code):
        code = DEFAULT_TEXT_LANGUAGE
    if _primary(code) == _primary(page):
        return ""
    return format_html(' lang="{}" dir="{}"', code, "rtl" if is_bidi(code) else "ltr")


@register.simple_tag
def offered_languages() -> tuple[Language, ...]:
    """The languages of the switcher, each in its own name."""
    return offered()
