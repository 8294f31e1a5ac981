"""Paid time on the partnership's home page, for a member: the paid-time events she came to and can claim for,
and the way to her payments (registered from ``apps.py``)."""

from __future__ import annotations

from typing import Any

from coproduce.partnerships.home import HomeSection, register_home_section
from coproduce.partnerships.models import Membership


def _context(membership: Membership) -> dict[str, Any] | None:
    from coproduce.learning.pay_selectors import events_to_claim_for

    if not membership.is_member:
        return None
    to_claim = events_to_claim_for(membership)
    return {"to_claim": to_claim} if to_claim else None


def register() -> None:
    register_home_section(
        HomeSection(
            key="learning_pay",
            title="Paid time",
            template="learning/_partials/pay_home_section.html",
            context=_context,
            order=56,
        )
    )
