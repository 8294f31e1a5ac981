"""The fund's commitments (``partnerships.commitments``): awards. The organisation delivering the funded
proposal answers for it (the proposal's delivering organisation, else the award's, else the award holder); it is due
by the start of the round's delivery and done once paid in full. Registered in ``apps.py``."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coproduce.core.reversing import cached_reverse
from coproduce.partnerships.commitments import Commitment, CommitmentSource
from coproduce.partnerships.models import Membership
from coproduce.partnerships.roles import staff_q

SOURCE_KEY = "fund.award"


def items(membership: Membership) -> list[Commitment]:
    """One query: every award with its proposal, round, organisations, holder and what has been paid."""
    from coproduce.fund.models import Award

    awards = (
        Award.objects.filter(partnership_id=membership.partnership_id)
        .select_related("proposal", "proposal__delivered_by", "round", "organisation", "holder")
        .only(
            "id",
            "amount_pence",
            "awarded_at",
            "holder__id",
            "holder__display_name",
            "holder__email",
            "organisation__name",
            "proposal__title",
            "proposal__delivered_by__name",
            "round__delivery_from",
        )
        .annotate(
            paid_pence=Coalesce(Sum("payments__amount_pence"), 0),
            # A proposal's title is published as open data only when a member of staff proposed it.
            proposed_by_staff=Exists(
                Membership.objects.filter(
                    staff_q(), partnership_id=membership.partnership_id, user_id=OuterRef("proposal__proposer_id")
                )
            ),
        )
        .order_by("id")
    )
    slug = membership.partnership.slug
    found = []
    for award in awards:
        organisation = award.proposal.delivered_by or award.organisation
        if organisation is not None:
            owner, owner_user_id = organisation.name, None
        elif award.holder is not None:
            owner, owner_user_id = award.holder.name, award.holder_id
        else:
            owner, owner_user_id = "", None
        what = _("Fund: %(title)s") % {"title": award.proposal.title}
        found.append(
            Commitment(
                source=SOURCE_KEY,
                object_id=award.pk,
                what=what,
                owner=owner,
                due_on=timezone.localdate(award.round.delivery_from),
                review_on=None,
                done=award.paid_pence >= award.amount_pence,  # type: ignore[attr-defined]
                url=cached_reverse("fund:award", kwargs={"slug": slug, "award_id": award.pk}),
                made_on=timezone.localdate(award.awarded_at),
                owner_user_id=owner_user_id,
                open_what=what if award.proposed_by_staff else "",  # type: ignore[attr-defined]
                open_owner=organisation.name if organisation is not None else "",
            )
        )
    return found


SOURCE = CommitmentSource(key=SOURCE_KEY, label=gettext_lazy("Fund awards"), items=items, order=50)
