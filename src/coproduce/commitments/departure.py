"""What leaving and erasure do to reviews of commitments (registered in ``apps.py``; see
``partnerships.personal_data`` and ADR 24). A review is the partnership's record of how a promise went and
stays when its reviewer leaves, still with their name (who reviewed it is part of the record). Erasure
removes the name and the link to the person; what happened and the verdict stay."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from coproduce.commitments.models import CommitmentReview
from coproduce.partnerships.models import Membership
from coproduce.partnerships.personal_data import Departure, Disposal, Fate


def _reviews(m: Membership) -> QuerySet[CommitmentReview]:
    return CommitmentReview.objects.filter(partnership_id=m.partnership_id, reviewed_by_id=m.user_id)


def leaving(m: Membership) -> list[Disposal]:
    return [
        Disposal(
            _("Reviews of commitments you recorded"),
            Fate.KEEP,
            _("They are the partnership's record of how its promises went, and who looked at them."),
            _reviews(m).count(),
        )
    ]


def leave(m: Membership) -> None:
    """Nothing to do: the reviews stay, with the reviewer's name."""


def erasure(m: Membership) -> list[Disposal]:
    return [
        Disposal(
            _("Reviews of commitments you recorded"),
            Fate.ANONYMISE,
            _("What happened and what was decided stay; your name is taken off them."),
            _reviews(m).count(),
        )
    ]


def erase(m: Membership) -> None:
    _reviews(m).update(reviewed_by=None, reviewer_name="")


DEPARTURE = Departure(key="commitments", erasure=erasure, erase=erase, leaving=leaving, leave=leave, order=65)
