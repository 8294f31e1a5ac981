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


def home_section_kinds() -> int:
    """How many sections are registered (each may cost the home page a query or two)."""
    return len(_SECTIONS)


def home_sections(membership: Membership) -> list[dict[str, Any]]:
    shown = []
    for section in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key)):
        context = section.context(membership)
        if context is not None:
            shown.append({"section": section, "context": context})
    return shown


def _attention(membership: Membership) -> dict[str, Any] | None:
    from coproduce.partnerships.attention import attention_for

    items = attention_for(membership)
    return None if items is None else {"items": items}


def _invitations_waiting(membership: Membership) -> int:
    from django.utils import timezone

    from coproduce.partnerships.models import Invitation

    return Invitation.objects.filter(
        partnership_id=membership.partnership_id,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).count()


def register_foundation_sections() -> None:
    """The coordinator's "needs your attention" section, first on the home page, and the invitations in it."""
    from django.utils.translation import ngettext

    from coproduce.partnerships.attention import AttentionItem, register_attention_item

    register_home_section(
        HomeSection(
            key="attention",
            title="Needs your attention",
            template="partnerships/_partials/attention.html",
            context=_attention,
            order=1,
        )
    )
    register_attention_item(
        AttentionItem(
            key="invitations",
            count=_invitations_waiting,
            text=lambda n: (
                ngettext("%(n)d invitation not accepted yet", "%(n)d invitations not accepted yet", n) % {"n": n}
            ),
            url_name="partnerships:invitations",
            order=40,
        )
    )
