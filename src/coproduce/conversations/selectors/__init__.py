"""Every read in conversations, narrowed to what the acting person may see.

Nobody sees who voted how: no selector returns another person's votes, only the person's own and
aggregates (counts and shares), and the co-production lens leaves out any side of fewer than
MIN_GROUP_SIZE voters on a statement so that nobody's vote can be read off a share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Case, CharField, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from coproduce.conversations.models import Conversation, Participant, Snapshot, Statement, Vote
from coproduce.conversations.voting import routing, rule
from coproduce.conversations.voting.routing import VotingState
from coproduce.core.db import prepared_raw
from coproduce.partnerships.models import Membership
from coproduce.partnerships.roles import staff_q

# The smallest number of voters whose shares a page shows (members or staff on one statement, or an
# opinion group): with fewer, one person's vote could be worked out from a share.
MIN_GROUP_SIZE = 5
LENS_TOP = 5


def _count_subquery(qs: QuerySet[Any], column: str) -> Any:
    return Coalesce(
        Subquery(qs.order_by().values(column).annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()),
        0,
    )


def conversations_visible_to(membership: Membership) -> QuerySet[Conversation]:
    """The partnership's conversations with their statement and participant counts and how many
    statements this person has voted on: four queries' worth of work in one."""
    published = Statement.objects.filter(conversation=OuterRef("pk"), status=Statement.Status.PUBLISHED)
    people = Participant.objects.filter(conversation=OuterRef("pk"))
    mine = Vote.objects.filter(
        conversation=OuterRef("pk"),
        participant__user_id=membership.user_id,
        statement__status=Statement.Status.PUBLISHED,
    )
    return (
        Conversation.objects.filter(partnership_id=membership.partnership_id)
        .annotate(
            statement_count=_count_subquery(published, "conversation"),
            participant_count=_count_subquery(people, "conversation"),
            my_vote_count=_count_subquery(mine, "conversation"),
        )
        .order_by("-created_at", "-id")
    )


# The home page's conversations section, on every home page: written once as SQL (only quoted table names are
# put into the text; values are parameters), as the vote path's reads are (ADR 8, ADR 13). The ORM built its two
# counting subqueries afresh each time, a fifth of the home page's CPU.
_OPEN_CONVERSATIONS_SQL = (
    "SELECT {columns}, "
    "(SELECT COUNT(*) FROM {statements} s WHERE s.conversation_id = c.id AND s.status = %s) AS statement_count, "
    "(SELECT COUNT(*) FROM {votes} v "
    "INNER JOIN {statements} vs ON vs.id = v.statement_id "
    "INNER JOIN {participants} p ON p.id = v.participant_id "
    "WHERE v.conversation_id = c.id AND p.user_id = %s AND vs.status = %s) AS my_vote_count "
    "FROM {conversations} c "
    "WHERE c.partnership_id = %s AND {open} "
    "ORDER BY c.created_at DESC, c.id DESC LIMIT %s"
)


def open_conversations(membership: Membership, *, limit: int = 3) -> list[Conversation]:
    """The newest conversations open for votes now (for the home page), with their published statement
    count and how many of them this person has voted on (``tests/conversations/test_views.py`` holds it to
    the same counts in the ORM)."""
    qn = connection.ops.quote_name
    sql = _OPEN_CONVERSATIONS_SQL.format(
        statements=qn(Statement._meta.db_table),
        votes=qn(Vote._meta.db_table),
        participants=qn(Participant._meta.db_table),
        conversations=qn(Conversation._meta.db_table),
        columns=", ".join(f"c.{qn(field.column)}" for field in Conversation._meta.concrete_fields),
        open=rule.open_sql("c"),
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    published = Statement.Status.PUBLISHED.value
    params = [published, membership.user_id, published, membership.partnership_id, now, now, limit]
    return list(prepared_raw(Conversation, sql, params))


def conversation_for(membership: Membership, conversation_id: int) -> Conversation | None:
    return (
        Conversation.objects.filter(partnership_id=membership.partnership_id, pk=conversation_id)
        .select_related("partnership")
        .first()
    )


def statements_visible_to(membership: Membership, conversation: Conversation) -> QuerySet[Statement]:
    """Published statements for everyone; coordinators also see waiting and taken-out ones, and authors
    their own."""
    qs = Statement.objects.filter(conversation=conversation)
    if membership.is_coordinator:
        return qs
    return qs.filter(Q(status=Statement.Status.PUBLISHED) | Q(author_id=membership.user_id))


def statement_for(membership: Membership, conversation: Conversation, statement_id: int) -> Statement | None:
    return statements_visible_to(membership, conversation).filter(pk=statement_id).first()


def my_own_statements(membership: Membership, conversation: Conversation) -> list[Statement]:
    return list(
        Statement.objects.filter(conversation=conversation, author_id=membership.user_id, is_seed=False).order_by(
            "number"
        )
    )


def statements_for_moderation(membership: Membership, conversation: Conversation) -> dict[str, list[Statement]]:
    if not membership.is_coordinator:
        return {"pending": [], "published": [], "moderated_out": []}
    grouped: dict[str, list[Statement]] = {"pending": [], "published": [], "moderated_out": []}
    for statement in Statement.objects.filter(conversation=conversation).annotate(vote_count=Count("votes")):
        grouped[statement.status].append(statement)
    return grouped


# --- Voting -----------------------------------------------------------------------------------


def my_votes(membership: Membership, conversation: Conversation) -> dict[int, int]:
    """The person's own current votes: statement id -> value."""
    return dict(
        Vote.objects.filter(conversation=conversation, participant__user_id=membership.user_id).values_list(
            "statement_id", "value"
        )
    )


def voting_state(membership: Membership, conversation: Conversation, *, statement_id: int | None = None) -> VotingState:
    """What the voting page shows: one statement (the one asked for, to change a vote, or the next one,
    chosen by routing priority as Pol.is does; see ``routing``) and the person's progress."""
    return routing.route(conversation.pk, membership.user_id, asked=statement_id)


def my_voted_statements(membership: Membership, conversation: Conversation) -> list[tuple[Statement, int]]:
    mine = my_votes(membership, conversation)
    statements = Statement.objects.filter(pk__in=list(mine), status=Statement.Status.PUBLISHED).order_by("number")
    return [(statement, mine[statement.pk]) for statement in statements]


# --- The co-production lens: members and staff, statement by statement --------------------------


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


def snapshot_for(conversation: Conversation) -> Snapshot | None:
    return Snapshot.objects.filter(conversation=conversation).first()


def participant_for(membership: Membership, conversation: Conversation) -> Participant | None:
    return Participant.objects.filter(conversation=conversation, user_id=membership.user_id).first()


def vote_totals(conversation: Conversation) -> dict[str, int]:
    return Vote.objects.filter(conversation=conversation).aggregate(
        votes=Count("pk"), participants=Count("participant", distinct=True)
    )
