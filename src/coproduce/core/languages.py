"""The languages pages are offered in, and a person's choice of one.

A page's language comes, in order, from: the language a signed-in person saved (``User.language``, applied
on every request by ``core.middleware.PersonLanguageMiddleware``), the language cookie set by the switcher
(``/language/``), the browser's ``Accept-Language`` (Django's ``LocaleMiddleware``), and English. A code
that is not offered is never used: English is. Nothing here translates what people write (docs/languages.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import get_language_info

# The name each language is offered under in the switcher: its own name, as a speaker would write it.
# Django's names are used except where they are not what a speaker would pick from a list.
_OWN_NAMES = {"en-gb": "English", "ar": "العربية"}


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # in the language itself ("polski", "العربية")
    bidi: bool


@cache
def offered() -> tuple[Language, ...]:
    """Every language of settings.LANGUAGES, in its order, named in itself."""
    languages = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        languages.append(Language(code=code, name=_OWN_NAMES.get(code, info["name_local"]), bidi=info["bidi"]))
    return tuple(languages)


def is_offered(code: str | None) -> bool:
    return bool(code) and any(language.code == code for language in offered())


def offered_or_default(code: str | None) -> str:
    """``code`` if it is offered, else the platform's default (English)."""
    return code if code and is_offered(code) else settings.LANGUAGE_CODE


def is_bidi(code: str | None) -> bool:
    """True for a language written right to left (Arabic, Urdu)."""
    return any(language.code == code and language.bidi for language in offered())


def person_language_save(*, person: object, language: str) -> None:
    """Remember the language a signed-in person chose, for pages, emails and text messages. Only an offered
    code is saved; the caller has checked it (the switcher answers a code it does not know in English)."""
    if not is_offered(language):
        raise ValueError(f"{language!r} is not an offered language")
    pk = getattr(person, "pk", None)
    if pk is None or getattr(person, "language", None) == language:
        return
    get_user_model().objects.filter(pk=pk).update(language=language)
    person.language = language  # type: ignore[attr-defined]
