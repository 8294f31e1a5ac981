"""The fund's part of "My data" (``partnerships.personal_data``): the proposals the person put forward, their
ballots with their receipts and what each backs (what the receipt page shows), the reviews they wrote, the
awards they hold and the spending they reported. One query a table, each narrowed to the person and the
partnership. Money is given in pence (``..._pence``) and written out in pounds beside it."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from coproduce.core.money import format_pence
from coproduce.core.personal_data import iso_or_none
from coproduce.fund.models import Award, Ballot, BallotChoice, Proposal, ProposalReview, SpendUpdate
from coproduce.partnerships.models import Membership
from coproduce.partnerships.personal_data import PersonalDataExport

TABLES = {
    "proposals": _("Proposals you put forward"),
    "ballots": _("Your ballots and receipts"),
    "ballot_choices": _("What your ballots back"),
    "reviews": _("Reviews you wrote"),
    "awards": _("Awards you hold"),
    "spend_updates": _("Spending you reported"),
}


def fund_export(membership: Membership) -> dict[str, list[dict[str, Any]]]:
    user_id, partnership_id = membership.user_id, membership.partnership_id
    proposals = Proposal.objects.filter(round__partnership_id=partnership_id, proposer_id=user_id).select_related(
        "round", "delivered_by"
    )
    ballots = Ballot.objects.filter(round__partnership_id=partnership_id, voter_id=user_id).select_related("round")
    choices = BallotChoice.objects.filter(
        ballot__round__partnership_id=partnership_id, ballot__voter_id=user_id
    ).values_list("ballot__round__title", "ballot__receipt", "proposal__title", "points")
    reviews = ProposalReview.objects.filter(
        proposal__round__partnership_id=partnership_id, reviewer_id=user_id
    ).select_related("proposal__round")
    awards = Award.objects.filter(partnership_id=partnership_id, holder_id=user_id).select_related("round", "proposal")
    spends = SpendUpdate.objects.filter(award__partnership_id=partnership_id, author_id=user_id).select_related(
        "award__proposal"
    )
    return {
        "proposals": [
            {
                "round": p.round.title,
                "title": p.title,
                "what_it_is": p.description,
                "who_benefits": p.beneficiaries,
                "cost_pence": p.cost_pence,
                "cost": format_pence(p.cost_pence),
                "asked_for_pence": p.proposed_cost_pence,
                "conflict_of_interest": p.conflict_details if p.has_conflict else None,
                "delivered_by": p.delivered_by.name if p.delivered_by else None,
                "status": str(p.get_status_display()),
                "put_forward": iso_or_none(p.created_at),
                "edited": iso_or_none(p.edited_at),
            }
            for p in proposals.order_by("created_at", "pk")
        ],
        "ballots": [
            {
                "round": b.round.title,
                "receipt": b.receipt,
                "version": b.version,
                "points": b.total_points,
                "total_cost_pence": b.total_cost_pence,
                "first_cast": iso_or_none(b.created_at),
                "last_changed": iso_or_none(b.updated_at),
            }
            for b in ballots.order_by("created_at", "pk")
        ],
        "ballot_choices": [
            {"round": r, "receipt": receipt, "proposal": title, "points": points}
            for r, receipt, title, points in choices.order_by("ballot__created_at", "ballot_id", "pk")
        ],
        "reviews": [
            {
                "round": r.proposal.round.title,
                "proposal": r.proposal.title,
                "feasible": r.feasible,
                "cost_pence": r.cost_pence,
                "reason": r.reason,
                "at": iso_or_none(r.created_at),
            }
            for r in reviews.order_by("created_at", "pk")
        ],
        "awards": [
            {
                "round": a.round.title,
                "proposal": a.proposal.title,
                "amount_pence": a.amount_pence,
                "amount": format_pence(a.amount_pence),
                "awarded": iso_or_none(a.awarded_at),
            }
            for a in awards.order_by("awarded_at", "pk")
        ],
        "spend_updates": [
            {
                "proposal": s.award.proposal.title,
                "spent_to_date_pence": s.spent_to_date_pence,
                "note": s.note,
                "at": iso_or_none(s.created_at),
            }
            for s in spends.order_by("created_at", "pk")
        ],
    }


EXPORT = PersonalDataExport(key="fund", title=_("The fund"), export=fund_export, order=30, tables=TABLES)
