"""The commitments board's part of "My data" (``partnerships.personal_data``): the reviews the person
recorded. One query, narrowed to the person and the partnership."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from coproduce.commitments.models import CommitmentReview
from coproduce.core.personal_data import iso_or_none
from coproduce.partnerships.models import Membership
from coproduce.partnerships.personal_data import PersonalDataExport

TABLES = {"reviews": _("Reviews of commitments you recorded")}


def commitments_export(membership: Membership) -> dict[str, list[dict[str, Any]]]:
    reviews = CommitmentReview.objects.filter(
        partnership_id=membership.partnership_id, reviewed_by_id=membership.user_id
    ).order_by("created_at", "pk")
    return {
        "reviews": [
            {
                "commitment": f"{r.source}:{r.object_id}",
                "reviewed_on": iso_or_none(r.reviewed_on),
                "what_happened": r.what_happened,
                "verdict": str(r.get_verdict_display()),
                "next_review_on": iso_or_none(r.next_review_on),
                "recorded": iso_or_none(r.created_at),
            }
            for r in reviews
        ]
    }


EXPORT = PersonalDataExport(
    key="commitments", title=_("Commitments"), export=commitments_export, order=65, tables=TABLES
)
