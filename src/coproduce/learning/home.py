"""Learning together on the partnership home page and in the site navigation (``register()``, from ``apps.py``):
the events section (the person's next event, "Your next event: …", and what is coming up for them) and the
"Events" entry of the navigation; paid time, for a member (the paid-time events she came to and can claim for,
and the way to her payments); and the learning log's section (entries waiting for your answer, for a parent
named in them, and the latest published entries; one query)."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from coproduce.learning.models import LogConsent, LogEntry
from coproduce.partnerships.home import HomeSection, register_home_section
from coproduce.partnerships.models import Membership
from coproduce.partnerships.navigation import NavItem, register_nav_item

# --- Events ----------------------------------------------------------------------------------------------

COMING_UP = 3


def _events_context(membership: Membership) -> dict[str, Any] | None:
    from django.utils import timezone

    from coproduce.learning import selectors

    upcoming = selectors.events_visible_to(membership, since=timezone.now()).filter(cancelled_at__isnull=True)
    # my_status is the selector's annotation (the person's registration), which the stubs cannot see.
    mine = upcoming.filter(my_status__isnull=False).first()  # type: ignore[misc]
    return {
        "next": mine,
        "next_waiting": mine is not None and mine.my_status == "waiting",  # type: ignore[attr-defined]
        "upcoming": [event for event in upcoming[: COMING_UP + 1] if mine is None or event.pk != mine.pk][:COMING_UP],
    }


# --- Calendars and paid time -----------------------------------------------------------------------------


def _pay_context(membership: Membership) -> dict[str, Any] | None:
    from coproduce.learning.selectors import events_to_claim_for

    if not membership.is_member:
        return None
    to_claim = events_to_claim_for(membership)
    return {"to_claim": to_claim} if to_claim else None


# --- The learning log ------------------------------------------------------------------------------------

LOG_SHOWN = 3


def _log_context(membership: Membership) -> dict[str, Any] | None:
    asking = LogConsent.objects.filter(
        entry=OuterRef("pk"), user_id=membership.user_id, agreed_at__isnull=True, declined_at__isnull=True
    )
    found = list(
        LogEntry.objects.filter(partnership_id=membership.partnership_id)
        .annotate(asks_me=Exists(asking))
        .filter(Q(status=LogEntry.Status.PUBLISHED) | Q(status=LogEntry.Status.WAITING, asks_me=True))
        .only("id", "title", "language", "status")
        .order_by("-asks_me", "-published_at", "-id")[: LOG_SHOWN * 2]
    )
    return {
        "asking": [e for e in found if e.asks_me][:LOG_SHOWN],  # type: ignore[attr-defined]
        "latest": [e for e in found if e.status == LogEntry.Status.PUBLISHED][:LOG_SHOWN],
    }


# --- Registration ----------------------------------------------------------------------------------------


def register() -> None:
    register_home_section(
        HomeSection(
            key="learning",
            title="Events",
            template="learning/_partials/home_section.html",
            context=_events_context,
            order=45,
        )
    )

    register_nav_item(NavItem("learning", _("Events"), "learning:events", order=45))
    register_home_section(
        HomeSection(
            key="learning_pay",
            title="Paid time",
            template="learning/_partials/pay_home_section.html",
            context=_pay_context,
            order=56,
        )
    )
    register_home_section(
        HomeSection(
            key="learning_log",
            title="Learning log",
            template="learning/log/home_section.html",
            context=_log_context,
            order=75,
        )
    )
