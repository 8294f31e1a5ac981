"""The sections of a partnership's settings page. The settings page is a small hub: each part of the
partnership's set-up (its details, its organisations, and what other apps add: data protection, the
partnership agreement) registers an entry here in its AppConfig.ready, so the page grows without editing a
shared template."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from coproduce.core.reversing import cached_reverse
from coproduce.partnerships.models import Membership


@dataclass(frozen=True)
class SettingsSection:
    key: str
    label: Any  # a lazily translated string: the link's text
    description: Any  # one plain sentence: what is set there
    url_name: str  # reversed with the partnership's slug
    order: int = 100
    # Whether this person sees the entry; the settings page itself is for coordinators.
    visible: Callable[[Membership], bool] | None = None


_SECTIONS: dict[str, SettingsSection] = {}


def register_settings_section(section: SettingsSection) -> None:
    _SECTIONS[section.key] = section


def settings_sections(membership: Membership) -> list[dict[str, Any]]:
    """The entries this person sees, in order, with their addresses."""
    slug = membership.partnership.slug
    return [
        {
            "key": section.key,
            "label": section.label,
            "description": section.description,
            "url": cached_reverse(section.url_name, kwargs={"slug": slug}),
        }
        for section in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))
        if section.visible is None or section.visible(membership)
    ]
