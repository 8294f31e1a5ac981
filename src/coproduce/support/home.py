"""The support section of the partnership home page: the member's plan, or a worker's waiting referrals."""

from __future__ import annotations

from typing import Any

from coproduce.partnerships.home import HomeSection, register_home_section
from coproduce.partnerships.models import Membership


def _context(membership: Membership) -> dict[str, Any] | None:
    from coproduce.support import selectors

    if membership.is_member:
        return {"plan": selectors.own_plan(membership), "is_member": True}
    if membership.is_staff_role:
        # Only a keyworker has a caseload; a coordinator or partner lead without one goes to support as a whole.
        return {
            "notifications": selectors.notifications_for(membership, limit=3),
            "is_member": False,
            "is_worker": membership.is_worker,
        }
    return None


register_home_section(
    HomeSection(
        key="support",
        title="Support",
        template="support/_partials/home_section.html",
        context=_context,
        order=20,
    )
)
