"""The fund's section of the partnership home page: rounds open for proposals or voting now."""

from __future__ import annotations

from typing import Any

from coproduce.partnerships.home import HomeSection, register_home_section
from coproduce.partnerships.models import Membership


def _context(membership: Membership) -> dict[str, Any] | None:
    from django.utils import timezone

    from coproduce.fund.models import Round

    now = timezone.now()
    open_rounds = list(
        Round.objects.filter(
            partnership_id=membership.partnership_id, proposals_from__lte=now, results_from__gt=now, imported_from=""
        ).order_by("results_from")[:3]
    )
    if not open_rounds:
        return None
    return {"rounds": open_rounds}


register_home_section(
    HomeSection(
        key="fund", title="The pooled fund", template="fund/_partials/home_section.html", context=_context, order=30
    )
)
