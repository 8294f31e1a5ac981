"""What the partnership home page shows. Each capability registers a section (in its AppConfig.ready)
that lists what is open now for the person, so the home page grows without rework."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from coproduce.partnerships.models import Membership


@dataclass(frozen=True)
class HomeSection:
    key: str
    title: str
    template: str
    # Returns the section's context for this person, or None to leave the section out.
    context: Callable[[Membership], dict[str, Any] | None]
    order: int = 100
    extra: dict[str, Any] = field(default_factory=dict)


_SECTIONS: dict[str, HomeSection] = {}


def register_home_section(section: HomeSection) -> None:
    _SECTIONS[section.key] = section


def home_sections(membership: Membership) -> list[dict[str, Any]]:
    shown = []
    for section in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key)):
        context = section.context(membership)
        if context is not None:
            shown.append({"section": section, "context": context})
    return shown
