"""The partnership's sections in the site navigation. Each capability registers its entry (in its
AppConfig.ready), so the navigation grows without editing a shared template."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from coproduce.core.reversing import cached_reverse
from coproduce.partnerships.models import Membership


@dataclass(frozen=True)
class NavItem:
    key: str  # what a view puts in the context variable ``nav_section`` to mark the current section
    label: Any  # a lazily translated string, or a callable taking the membership and returning one
    url_name: str  # reversed with the partnership's slug
    order: int = 100
    # Whether this person sees the entry; everyone in the partnership by default.
    visible: Callable[[Membership], bool] | None = None


_ITEMS: dict[str, NavItem] = {}


def register_nav_item(item: NavItem) -> None:
    _ITEMS[item.key] = item


def nav_items(membership: Membership | None) -> list[dict[str, Any]]:
    """The entries this person sees, in order, with their addresses."""
    if membership is None:
        return []
    slug = membership.partnership.slug
    return [
        {
            "key": item.key,
            "label": item.label(membership) if callable(item.label) else item.label,
            "url": cached_reverse(item.url_name, kwargs={"slug": slug}),
        }
        for item in sorted(_ITEMS.values(), key=lambda i: (i.order, i.key))
        if item.visible is None or item.visible(membership)
    ]
