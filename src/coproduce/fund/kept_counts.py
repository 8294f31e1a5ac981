"""The totals the fund keeps on a ballot, registered for ``coproduce check-counts``."""

from django.db.models import Q

from coproduce.fund.models import Ballot, BallotChoice
from coproduce.partnerships.kept_counts import KeptCount, register_kept_count, sum_of

POINTS = KeptCount(
    key="fund.ballot.total_points",
    model=Ballot,
    field="total_points",
    recount=sum_of(BallotChoice, "ballot", "points"),
    partnership="round__partnership_id",
    counts="the points of the ballot's choices (1 each on an approval ballot)",
)
COST = KeptCount(
    key="fund.ballot.total_cost_pence",
    model=Ballot,
    field="total_cost_pence",
    recount=sum_of(BallotChoice, "ballot", "proposal__cost_pence"),
    partnership="round__partnership_id",
    # Ballots read from a Pabulib file keep no total cost (services/pabulib.py stores 0).
    rows=Q(round__imported_from=""),
    counts="the cost of the projects the ballot backs, in pence (not for rounds read from a file)",
)


def register() -> None:
    register_kept_count(POINTS)
    register_kept_count(COST)
