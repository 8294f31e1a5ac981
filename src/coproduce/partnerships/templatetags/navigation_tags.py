"""The partnership's site navigation, drawn in Python: base.html shows it twice (the small-screen menu and
the wide-screen bar; only one is visible at a time) on every partnership page, and as template nodes it
was a fifth of a near-empty page's cost (docs/performance.md)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()

_ITEM = '<li class="ds_site-navigation__item"><a href="{}" class="ds_site-navigation__link">{}</a></li>'
_CURRENT_ITEM = (
    '<li class="ds_site-navigation__item">'
    '<a href="{}" class="ds_site-navigation__link  ds_current" aria-current="page">{}</a></li>'
)


@register.simple_tag(takes_context=True)
def site_navigation(context: template.Context) -> SafeString:
    """The list of the partnership's sections this person sees (``nav_items``, from the context processor
    ``partnerships.context_processors.navigation_items``: a list, or a callable giving one), the current one
    (the view's ``nav_section``, an entry's key) marked for sight and for screen readers. Addresses and labels
    are escaped."""
    found = context.get("nav_items") or []
    items: list[dict[str, Any]] = found() if callable(found) else found
    current = context.get("nav_section")
    entries = format_html_join(
        "",
        "{}",
        (
            (format_html(_CURRENT_ITEM if item["key"] == current else _ITEM, item["url"], item["label"]),)
            for item in items
        ),
    )
    return format_html('<ul class="ds_site-navigation__list">{}</ul>', entries)
