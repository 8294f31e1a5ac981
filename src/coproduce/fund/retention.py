"""The fund's kinds of data with a retention period. Ballots and money always keep counting: only the link to
the person goes. An award not yet paid in full is under a legal hold."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from coproduce.fund.models import Award, Ballot, Proposal
from coproduce.partnerships.models import Partnership
from coproduce.partnerships.personal_data import Fate, RetentionKind, register_retention_kind

REMOVED = "(removed)"


def purge_ballot_voters(partnership: Partnership, older_than: datetime, dry_run: bool) -> int:
    """Ballots of rounds whose results came out before the cut-off: no longer tied to the voter (the ballot, its
    choices and its receipt stay, so the results and the open data do not change)."""
    rows = Ballot.objects.filter(
        round__partnership=partnership, round__results_from__lt=older_than, voter__isnull=False
    )
    if dry_run:
        return rows.count()
    return rows.update(voter=None)


def _unpaid_award_ids(partnership: Partnership) -> Any:
    """The proposals whose award is not yet paid in full (a subquery)."""
    return (
        Award.objects.filter(partnership=partnership)
        .annotate(paid=Coalesce(Sum("payments__amount_pence"), 0))
        .filter(paid__lt=F("amount_pence"))
        .values("proposal_id")
    )


def _proposals_past(partnership: Partnership, older_than: datetime) -> QuerySet[Proposal]:
    """Proposals of rounds whose delivery began before the cut-off, still naming their proposer."""
    return Proposal.objects.filter(round__partnership=partnership, round__delivery_from__lt=older_than).filter(
        Q(proposer__isnull=False) | (Q(has_conflict=True) & ~Q(conflict_details=REMOVED))
    )


def purge_proposers(partnership: Partnership, older_than: datetime, dry_run: bool) -> int:
    rows = _proposals_past(partnership, older_than).exclude(pk__in=_unpaid_award_ids(partnership))
    if dry_run:
        return rows.count()
    ids = list(rows.values_list("pk", flat=True))
    Proposal.objects.filter(pk__in=ids, has_conflict=True).update(conflict_details=REMOVED)
    return Proposal.objects.filter(pk__in=ids).update(proposer=None)


def held_proposers(partnership: Partnership, older_than: datetime) -> str | None:
    held = list(
        _proposals_past(partnership, older_than)
        .filter(pk__in=_unpaid_award_ids(partnership))
        .values_list("title", flat=True)[:3]
    )
    if not held:
        return None
    return ngettext(
        "An award not yet paid in full (%(titles)s) still needs its proposer: pay it first.",
        "Awards not yet paid in full (%(titles)s) still need their proposers: pay them first.",
        len(held),
    ) % {"titles": ", ".join(f"“{title}”" for title in held)}


def register() -> None:
    register_retention_kind(
        RetentionKind(
            key="fund.ballot_voters",
            label=_(
                "Who cast each ballot, counted from when a round's results came out: the ballot is no longer tied "
                "to the voter (it still counts, and its receipt still works)"
            ),
            default_days=365,
            purge=purge_ballot_voters,
            fate=Fate.ANONYMISE,
        )
    )
    register_retention_kind(
        RetentionKind(
            key="fund.proposers",
            label=_(
                "Who proposed each project, counted from when a round's delivery began: the project stays, without "
                "its proposer or their declared interests"
            ),
            default_days=2 * 365,
            purge=purge_proposers,
            held=held_proposers,
            fate=Fate.ANONYMISE,
        )
    )
