"""The support settings: lawful bases and the areas of the outcome wheel."""

from __future__ import annotations

from coproduce.core.exceptions import NotPermitted
from coproduce.partnerships.models import Membership
from coproduce.support.models import LawfulBasis, OutcomeArea


def lawful_bases(membership: Membership) -> list[LawfulBasis]:
    return list(LawfulBasis.objects.filter(partnership_id=membership.partnership_id))


def all_outcome_areas(membership: Membership) -> list[OutcomeArea]:
    """Every area of the outcome wheel, in use or not (for the settings page)."""
    return list(OutcomeArea.objects.filter(partnership_id=membership.partnership_id))


def outcome_area_for(membership: Membership, area_id: int) -> OutcomeArea:
    found = OutcomeArea.objects.filter(pk=area_id, partnership_id=membership.partnership_id).first()
    if found is None:
        raise NotPermitted()
    return found
