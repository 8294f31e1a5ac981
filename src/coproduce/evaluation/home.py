"""What parents say on the partnership home page and in the site navigation (``register()``, from
``apps.py``): a member with offers waiting sees "Tell us about <service>" with Answer and Not now; everyone in
the partnership has the "What parents say" entry in the navigation."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from coproduce.partnerships.home import HomeSection, register_home_section
from coproduce.partnerships.models import Membership
from coproduce.partnerships.navigation import NavItem, register_nav_item


def _offers_context(membership: Membership) -> dict[str, Any] | None:
    if not membership.is_member:
        return None
    from coproduce.evaluation.selectors import offers_waiting

    offers = list(offers_waiting(membership))
    return {"offers": offers} if offers else None


def register() -> None:
    register_home_section(
        HomeSection(
            key="evaluation",
            title="What parents say",
            template="evaluation/_partials/home_section.html",
            context=_offers_context,
            order=22,
        )
    )
    register_nav_item(NavItem("evaluation", _("What parents say"), "evaluation:index", order=55))
