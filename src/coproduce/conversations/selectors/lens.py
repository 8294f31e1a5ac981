"""The co-production lens: members' and staff's agree shares, statement by statement. A side of fewer than
MIN_GROUP_SIZE voters on a statement is left out, so that nobody's vote can be read off a share."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, Value, When

from coproduce.conversations.models import Conversation, Statement, Vote
from coproduce.partnerships.assisted import ChannelCounts, channel_counts
from coproduce.partnerships.models import Membership
from coproduce.partnerships.roles import staff_q

# The smallest number of voters whose shares a page shows (members or staff on one statement, or an
# opinion group): with fewer, one person's vote could be worked out from a share.
MIN_GROUP_SIZE = 5
LENS_TOP = 5


@dataclass
class SideShares:
    voters: int
    agree: int
    disagree: int
    passed: int

    @property
    def shown(self) -> bool:
        return self.voters >= MIN_GROUP_SIZE

    @property
    def agree_share(self) -> float:
        return self.agree / self.voters if self.voters else 0.0

    @property
    def disagree_share(self) -> float:
        return self.disagree / self.voters if self.voters else 0.0

    @property
    def agree_percent(self) -> int:
        return round(100 * self.agree_share)

    @property
    def disagree_percent(self) -> int:
        return round(100 * self.disagree_share)

    @property
    def most_agree(self) -> bool:
        """More than half of this side's voters agree (counted exactly, not from rounded shares)."""
        return 2 * self.agree > self.voters


@dataclass
class LensRow:
    statement: Statement
    members: SideShares
    staff: SideShares

    @property
    def comparable(self) -> bool:
        return self.members.shown and self.staff.shown

    @property
    def difference(self) -> int:
        """Members' agree share minus staff's, in percentage points."""
        return self.members.agree_percent - self.staff.agree_percent

    @property
    def gap(self) -> int:
        return abs(self.difference)

    @property
    def common_agreement(self) -> int:
        """The lower of the two sides' agree shares: high when both sides agree."""
        return min(self.members.agree_percent, self.staff.agree_percent)


@dataclass
class Lens:
    rows: list[LensRow]
    differ_most: list[LensRow]
    agree_most: list[LensRow]  # only statements that more than half of each side agrees with
    min_group_size: int = MIN_GROUP_SIZE

    @property
    def compared(self) -> int:
        """How many statements have enough voters on both sides to compare."""
        return sum(1 for row in self.rows if row.comparable)


def _side() -> Case:
    """Each vote's side by its voter's current membership: "member" (first), "staff", or "" (an imported
    participant, or someone who has left)."""
    people = Membership.objects.filter(
        partnership_id=OuterRef("conversation__partnership_id"), user_id=OuterRef("participant__user_id")
    )
    return Case(
        When(Exists(people.filter(is_member=True)), then=Value("member")),
        When(Exists(people.filter(staff_q())), then=Value("staff")),
        default=Value(""),
        output_field=CharField(),
    )


def vote_channels(conversation: Conversation) -> ChannelCounts:
    """The votes on published statements counted apart: members by themselves, members with a keyworker, from
    paper, and staff (sides as in the lens: someone both a member and staff counts as a member). Votes of
    imported participants and of people who have left are in none of them."""
    votes = Vote.objects.filter(conversation=conversation, statement__status=Statement.Status.PUBLISHED).annotate(
        side=_side()
    )
    return channel_counts(votes, staff=Q(side="staff"), member=Q(side="member"))


def coproduction_lens(conversation: Conversation) -> Lens:
    """Agree shares of members and of staff on every published statement, in one query: each vote is
    counted on the side of its voter's current membership of the partnership (a person who is both a
    member and staff, such as a peer mentor, counts as a member). Sides with fewer than MIN_GROUP_SIZE
    voters on a statement are not shown, and such statements are left out of the comparisons."""
    people = Membership.objects.filter(
        partnership_id=conversation.partnership_id, user_id=OuterRef("participant__user_id")
    )
    side = Case(
        When(Exists(people.filter(is_member=True)), then=Value("member")),
        When(Exists(people.filter(staff_q())), then=Value("staff")),
        default=Value(""),
        output_field=CharField(),
    )
    counts = (
        Vote.objects.filter(conversation=conversation, statement__status=Statement.Status.PUBLISHED)
        .annotate(side=side)
        .values("statement_id", "side")
        .annotate(
            voters=Count("pk"),
            agree=Count("pk", filter=Q(value=Vote.Value.AGREE)),
            disagree=Count("pk", filter=Q(value=Vote.Value.DISAGREE)),
        )
        .order_by()
    )
    shares: dict[tuple[int, str], SideShares] = {}
    for row in counts:
        shares[(row["statement_id"], row["side"])] = SideShares(
            voters=row["voters"],
            agree=row["agree"],
            disagree=row["disagree"],
            passed=row["voters"] - row["agree"] - row["disagree"],
        )
    none = SideShares(0, 0, 0, 0)
    rows = [
        LensRow(statement, shares.get((statement.pk, "member"), none), shares.get((statement.pk, "staff"), none))
        for statement in Statement.objects.filter(
            conversation=conversation, status=Statement.Status.PUBLISHED
        ).order_by("number")
    ]
    comparable = [row for row in rows if row.comparable]
    differ = sorted(comparable, key=lambda r: (-r.gap, r.statement.number))[:LENS_TOP]
    # "Agree most" means a majority of each side agrees: a statement both sides mostly reject is not common
    # ground, however close their shares.
    agreed = [row for row in comparable if row.members.most_agree and row.staff.most_agree]
    agree = sorted(agreed, key=lambda r: (-r.common_agreement, r.gap, r.statement.number))[:LENS_TOP]
    return Lens(rows=rows, differ_most=[r for r in differ if r.gap > 0], agree_most=agree)
