"""What leaving and erasure do to the fund (registered in ``apps.py``; see ``partnerships.personal_data`` and
ADR 24). Ballots still count, no longer linked to the person (the receipt still checks them). Money records
(awards, payments, spend updates, and the proposals that were awarded) are kept as they are: the
partnership must account for public money."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from coproduce.core.audit import audit_forget
from coproduce.core.richtext import render_markdown
from coproduce.fund.models import Award, Ballot, Proposal, ProposalReview, SpendUpdate
from coproduce.partnerships.models import Membership
from coproduce.partnerships.personal_data import Departure, Disposal, Fate

REMOVED = "Removed at the person's request"


def _ballots(m: Membership) -> QuerySet[Ballot]:
    return Ballot.objects.filter(round__partnership_id=m.partnership_id, voter_id=m.user_id)


def _proposals(m: Membership) -> QuerySet[Proposal]:
    return Proposal.objects.filter(round__partnership_id=m.partnership_id, proposer_id=m.user_id)


def _money(m: Membership) -> int:
    return (
        Award.objects.filter(partnership_id=m.partnership_id)
        .filter(Q(holder_id=m.user_id) | Q(proposal__proposer_id=m.user_id))
        .count()
        + SpendUpdate.objects.filter(award__partnership_id=m.partnership_id, author_id=m.user_id).count()
    )


def _common(m: Membership) -> list[Disposal]:
    return [
        Disposal(
            _("Your ballots in fund rounds"),
            Fate.ANONYMISE,
            _("They still count; your receipt still shows your ballot was counted, but nothing links it to you."),
            _ballots(m).count(),
        ),
        Disposal(
            _("Awards and spending you are named on"),
            Fate.KEEP,
            _("Money records: the partnership must account for public money, so they stay as they are."),
            _money(m),
        ),
        Disposal(
            _("Your reviews of fund proposals"),
            Fate.KEEP,
            _("They are the partnership's reasons for its decisions about money."),
            ProposalReview.objects.filter(
                proposal__round__partnership_id=m.partnership_id, reviewer_id=m.user_id
            ).count(),
        ),
    ]


def leaving(m: Membership) -> list[Disposal]:
    return [
        Disposal(
            _("Your fund proposals"),
            Fate.KEEP,
            _("They stay, with your name, as the record of what the partnership considered spending money on."),
            _proposals(m).count(),
        ),
        *_common(m),
    ]


def leave(m: Membership) -> None:
    _ballots(m).update(voter=None)


def erasure(m: Membership) -> list[Disposal]:
    unawarded = _proposals(m).filter(award__isnull=True).count()
    return [
        Disposal(
            _("Your fund proposals that were not awarded money"),
            Fate.ANONYMISE,
            _(
                "Their words become “Removed at the person's request”; the costs stay, so the round's figures "
                "stay right."
            ),
            unawarded,
        ),
        Disposal(
            _("Your fund proposals that were awarded money"),
            Fate.KEEP,
            _("Money records: the partnership must account for public money."),
            _proposals(m).count() - unawarded,
        ),
        *_common(m),
    ]


def erase(m: Membership) -> None:
    unawarded = list(_proposals(m).filter(award__isnull=True).select_for_update(of=("self",)))
    html = render_markdown(REMOVED)
    Proposal.objects.filter(pk__in=[p.pk for p in unawarded]).update(
        title=REMOVED, description=REMOVED, description_html=html, beneficiaries=REMOVED, proposer=None
    )
    Proposal.objects.filter(pk__in=[p.pk for p in unawarded], has_conflict=True).update(conflict_details=REMOVED)
    _ballots(m).update(voter=None)
    audit_forget(partnership_id=m.partnership_id, objects=unawarded, person=m.user, action_prefix="fund.")


DEPARTURE = Departure(key="fund", erasure=erasure, erase=erase, leaving=leaving, leave=leave, order=30)
