"""URL reversal remembered per process.

Every page reverses dozens of addresses: the header's account links, the navigation, the footer, and a link for
each item in a list. Django's ``reverse()`` works each one out afresh (namespace lookup, candidate patterns,
a regular-expression check of every argument, quoting): about 8 % of the partnership home page's Python calls
(docs/performance.md). An address depends only on the view name, the arguments, the URLconf, the script
prefix and (with language prefixes in URLs, which Coproduce may add with more languages) the language, so the
answer is remembered, keyed by all five, for arguments that are plain ``int`` or ``str``
(anything else, a model instance say, whose text could change, is reversed afresh every time).

The memory is bounded (least recently used addresses are forgotten) and is cleared when ``ROOT_URLCONF``
changes (tests do that). The ``{% url %}`` tag of every template uses it: ``core/templatetags/cached_url.py``
is one of the template engine's builtins (settings.TEMPLATES).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

# Distinct addresses kept per process: each is a short string (about 200 bytes with its key).
CACHE_SIZE = 8192

_PLAIN = (int, str)


@lru_cache(maxsize=CACHE_SIZE, typed=True)
def _reverse_remembered(
    viewname: str,
    args: tuple[int | str, ...],
    kwargs: tuple[tuple[str, int | str], ...],
    prefix: str,
    urlconf: str | None,
    language: str | None,
) -> str:
    # ``prefix`` and ``language`` are part of the key only: reverse() reads the current ones itself.
    return reverse(viewname, urlconf=urlconf, args=args or None, kwargs=dict(kwargs) or None)


def _plain(values: Sequence[Any]) -> bool:
    # bool is a subclass of int but reverses to "True"; typed=True keeps it apart, and it is plain enough.
    return all(isinstance(value, _PLAIN) for value in values)


def cached_reverse(
    viewname: str,
    args: Sequence[Any] | None = None,
    kwargs: Mapping[str, Any] | None = None,
    *,
    current_app: str | None = None,
) -> str:
    """``django.urls.reverse(viewname, args=args, kwargs=kwargs)``, remembered when every argument is an
    ``int`` or a ``str`` and no ``current_app`` is given. Raises ``NoReverseMatch`` as reverse() does (failures
    are not remembered)."""
    args = tuple(args or ())
    items = tuple(sorted((kwargs or {}).items()))
    if current_app is None and _plain(args) and _plain([value for _key, value in items]):
        return _reverse_remembered(viewname, args, items, get_script_prefix(), get_urlconf(), get_language())
    return reverse(viewname, args=args or None, kwargs=dict(items) or None, current_app=current_app)


def clear() -> None:
    _reverse_remembered.cache_clear()


@receiver(setting_changed)
def _forget_on_urlconf_change(*, setting: str, **_: Any) -> None:
    if setting == "ROOT_URLCONF":
        clear()
