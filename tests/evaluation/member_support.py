"""What the member pages' tests share: a service to evaluate and an offer to answer about it, made directly
(the offers job and the capabilities' uses are tested where they live)."""

from __future__ import annotations

from typing import Any

from coproduce.evaluation.models import Offer, Subject
from coproduce.partnerships.models import Membership


def a_subject(partnership: Any, name: str = "Riverside Job Club", **overrides: Any) -> Subject:
    values: dict[str, Any] = {
        "partnership": partnership,
        "kind": Subject.Kind.SERVICE,
        "source_key": f"support.service:{Subject.objects.count() + 1}",
        "name": name,
    }
    values.update(overrides)
    return Subject.objects.create(**values)


def an_offer(member: Membership, subject: Subject) -> Offer:
    return Offer.objects.create(
        partnership_id=member.partnership_id,
        user=member.user,
        subject=subject,
        moment=Offer.Moment.COMPLETED,
        use_key=f"support.referral:{Offer.objects.count() + 1}",
    )


ALL_AGREE: dict[str, int | None] = {"listened": 5, "had_say": 4, "respect": 5, "fitted": 3, "needed": 4, "control": 4}
