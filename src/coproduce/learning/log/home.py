"""The learning log's section of the partnership home page: entries waiting for your answer (for a parent
named in them) and the latest published entries. One query."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q

from coproduce.learning.models import LogConsent, LogEntry
from coproduce.partnerships.home import HomeSection, register_home_section
from coproduce.partnerships.models import Membership

SHOWN = 3


def _context(membership: Membership) -> dict[str, Any] | None:
    asking = LogConsent.objects.filter(
        entry=OuterRef("pk"), user_id=membership.user_id, agreed_at__isnull=True, declined_at__isnull=True
    )
    found = list(
        LogEntry.objects.filter(partnership_id=membership.partnership_id)
        .annotate(asks_me=Exists(asking))
        .filter(Q(status=LogEntry.Status.PUBLISHED) | Q(status=LogEntry.Status.WAITING, asks_me=True))
        .only("id", "title", "status")
        .order_by("-asks_me", "-published_at", "-id")[: SHOWN * 2]
    )
    return {
        "asking": [e for e in found if e.asks_me][:SHOWN],  # type: ignore[attr-defined]
        "latest": [e for e in found if e.status == LogEntry.Status.PUBLISHED][:SHOWN],
    }


def register() -> None:
    register_home_section(
        HomeSection(
            key="learning_log",
            title="Learning log",
            template="learning/log/home_section.html",
            context=_context,
            order=75,
        )
    )
