"""Conversations in the public API (/api/v1/partnerships/{slug}/conversations…): the list, one conversation,
its statements, the published figures of its opinion map, and a vote on a statement.

Every endpoint resolves the token's membership (``actor``, or ``writer`` for a vote) and then calls the same
selectors and services as the conversation pages: the same statements are shown to the same people (published
ones to everyone; coordinators also see waiting and taken-out ones, authors their own), a vote goes through
``services.vote_cast`` (one current vote per person and statement, the same refusals), and the opinion map's
figures are the report page's (``report.report_context``), with no share of fewer than MIN_GROUP_SIZE voters.
Nobody's vote but the person's own is ever given."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Schema

from coproduce.api.framework import Input, PageQuery, actor, page_of, paginate, router, writer
from coproduce.conversations import report, selectors, services
from coproduce.conversations.models import Conversation, Statement, Vote
from coproduce.core.exceptions import NotPermitted
from coproduce.partnerships.access import may
from coproduce.partnerships.models import Membership

r = router("conversations")

VoteWord = Literal["agree", "disagree", "pass"]
WORD_OF: dict[int, VoteWord] = {Vote.Value.AGREE: "agree", Vote.Value.DISAGREE: "disagree", Vote.Value.PASS: "pass"}
MapStatus = Literal["ready", "waiting", "late", "failed", "none"]


# --- What the endpoints answer ----------------------------------------------------------------


class ConversationOut(Schema):
    id: int
    topic: str
    opens_at: datetime
    closes_at: datetime | None
    is_open: bool = Field(description="Takes votes now: it has opened and has not closed.")
    participants_may_add: bool
    moderation: Literal["before", "after"]
    statement_count: int = Field(description="Published statements.")
    participant_count: int
    my_vote_count: int = Field(description="Published statements you have voted on.")


class NextStatementOut(Schema):
    id: int
    number: int
    text: str


class ConversationDetailOut(ConversationOut):
    description: str
    vote_count: int = Field(description="Current votes, everyone's together.")
    next_statement: NextStatementOut | None = Field(
        description="The statement the voting page would show you next; null when you have voted on all of "
        "them or may not vote."
    )
    remaining: int = Field(description="Published statements you have not voted on yet (0 if you may not vote).")


class StatementOut(Schema):
    id: int
    number: int
    text: str
    status: Literal["pending", "published", "moderated_out"]
    author_kind: Literal["member", "staff", "observer", "seed"]
    mine: bool = Field(description="You wrote it.")
    my_vote: VoteWord | None


class GroupStatementOut(Schema):
    statement_id: int
    text: str
    repful_for: Literal["agree", "disagree"]
    agree_percent: int
    disagree_percent: int


class GroupOut(Schema):
    label: str
    size: int
    shown: bool = Field(description="Large enough (at least min_group_size people) for what it thinks to be shown.")
    you_are_in_it: bool
    statements: list[GroupStatementOut]


class ShareOut(Schema):
    statement_id: int
    text: str
    percent: int
    voters: int


class GroupAwareOut(Schema):
    statement_id: int
    text: str
    percent: int = Field(description="How likely it is that every group agrees, in %.")


class LensRowOut(Schema):
    statement_id: int
    text: str
    members_agree_percent: int
    staff_agree_percent: int


class OpinionMapOut(Schema):
    computed_at: datetime
    vote_count: int
    participant_count: int
    in_map: int
    not_in_map: int
    groups: list[GroupOut]
    most_agree: list[ShareOut]
    most_disagree: list[ShareOut]
    agreed_by_every_group: list[GroupAwareOut]


class SnapshotsOut(Schema):
    """What the report page shows: the latest opinion map's published figures and the co-production lens."""

    map_status: MapStatus
    min_group_size: int
    latest: OpinionMapOut | None
    members_and_staff_differ_most: list[LensRowOut]
    members_and_staff_agree_most: list[LensRowOut]


class VoteOut(Schema):
    conversation_id: int
    statement_id: int
    vote: VoteWord
    updated_at: datetime


# --- What the endpoints take ------------------------------------------------------------------


class VoteIn(Input):
    vote: VoteWord


# --- Presenting ---------------------------------------------------------------------------------


def _conversation(conversation: Conversation) -> dict[str, Any]:
    """A conversation of ``selectors.conversations_visible_to`` (with its counts)."""
    return {
        "id": conversation.pk,
        "topic": conversation.topic,
        "opens_at": conversation.opens_at,
        "closes_at": conversation.closes_at,
        "is_open": conversation.is_open,
        "participants_may_add": conversation.participants_may_add,
        "moderation": conversation.moderation,
        "statement_count": conversation.statement_count,  # type: ignore[attr-defined]
        "participant_count": conversation.participant_count,  # type: ignore[attr-defined]
        "my_vote_count": conversation.my_vote_count,  # type: ignore[attr-defined]
    }


def _statement(membership: Membership, statement: Statement, mine: dict[int, int]) -> dict[str, Any]:
    value = mine.get(statement.pk)
    return {
        "id": statement.pk,
        "number": statement.number,
        "text": statement.text,
        "status": statement.status,
        "author_kind": statement.author_kind,
        "mine": statement.author_id is not None and statement.author_id == membership.user_id,
        "my_vote": WORD_OF[value] if value is not None else None,
    }


def _lens_rows(rows: list[selectors.LensRow]) -> list[dict[str, Any]]:
    return [
        {
            "statement_id": row.statement.pk,
            "text": row.statement.text,
            "members_agree_percent": row.members.agree_percent,
            "staff_agree_percent": row.staff.agree_percent,
        }
        for row in rows
    ]


def _opinion_map(context: dict[str, Any]) -> dict[str, Any] | None:
    """The report page's opinion map without its drawing: who is in which group is never given, only sizes,
    and what a group thinks only for a group of at least MIN_GROUP_SIZE people."""
    snapshot, found = context.get("snapshot"), context.get("map")
    if snapshot is None or found is None:
        return None
    you = (found.you or {}).get("group")
    consensus = context["consensus"]

    def shares(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            {
                "statement_id": item["statement"].pk,
                "text": item["statement"].text,
                "percent": item["percent"],
                "voters": item["n_trials"],
            }
            for item in items
        ]

    return {
        "computed_at": snapshot.computed_at,
        "vote_count": snapshot.vote_count,
        "participant_count": snapshot.participant_count,
        "in_map": found.in_map,
        "not_in_map": found.not_in_map,
        "groups": [
            {
                "label": group.label,
                "size": group.size,
                "shown": group.shown,
                "you_are_in_it": you is not None and you == group.label,
                "statements": [
                    {
                        "statement_id": item["statement"].pk,
                        "text": item["statement"].text,
                        "repful_for": item["repful_for"],
                        "agree_percent": item["agree_percent"],
                        "disagree_percent": item["disagree_percent"],
                    }
                    for item in group.statements
                ],
            }
            for group in found.groups
        ],
        "most_agree": shares(consensus["agree"]),
        "most_disagree": shares(consensus["disagree"]),
        "agreed_by_every_group": [
            {"statement_id": item["statement"].pk, "text": item["statement"].text, "percent": item["percent"]}
            for item in context["group_aware"]
        ],
    }


# --- Reading ------------------------------------------------------------------------------------


@r.get("/partnerships/{slug}/conversations", response=page_of(ConversationOut), summary="The conversations")
def list_conversations(request: HttpRequest, slug: str, page: Query[PageQuery]) -> dict[str, Any]:
    """The partnership's conversations, newest first, with how many statements and people each has and how many
    of its statements you have voted on."""
    membership = actor(request, slug)
    found = paginate(request, selectors.conversations_visible_to(membership), order="-created_at")
    return {**found, "items": [_conversation(item) for item in found["items"]]}


@r.get(
    "/partnerships/{slug}/conversations/{conversation_id}",
    response=ConversationDetailOut,
    summary="One conversation, and what you vote on next",
)
def get_conversation(request: HttpRequest, slug: str, conversation_id: int) -> dict[str, Any]:
    """A conversation as its page shows it: its description, everyone's totals, and, for someone who may vote,
    the statement the voting page would show next and how many are left."""
    membership = actor(request, slug)
    item = selectors.conversation_for(membership, conversation_id)
    listed = selectors.conversations_visible_to(membership).filter(pk=item.pk).first()
    if listed is None:  # the one conversation_for found: only gone if deleted meanwhile
        raise NotPermitted()
    totals = selectors.vote_totals(item)
    state = selectors.voting_state(membership, item) if may("conversations.vote", membership) else None
    following = state.statement if state is not None else None
    return {
        **_conversation(listed),
        "description": item.description,
        "vote_count": totals["votes"],
        "next_statement": (
            {"id": following.pk, "number": following.number, "text": following.text} if following else None
        ),
        "remaining": state.remaining if state is not None else 0,
    }


@r.get(
    "/partnerships/{slug}/conversations/{conversation_id}/statements",
    response=page_of(StatementOut),
    summary="A conversation's statements, with your votes",
)
def list_statements(request: HttpRequest, slug: str, conversation_id: int, page: Query[PageQuery]) -> dict[str, Any]:
    """The statements you see, in number order: published ones for everyone; coordinators also see those
    waiting for them and those taken out, and an author their own. Each has your own vote on it, if any:
    nobody's vote but yours is given."""
    membership = actor(request, slug)
    conversation = selectors.conversation_for(membership, conversation_id)
    found = paginate(request, selectors.statements_visible_to(membership, conversation), order="number")
    mine = selectors.my_votes(membership, conversation)
    return {**found, "items": [_statement(membership, statement, mine) for statement in found["items"]]}


@r.get(
    "/partnerships/{slug}/conversations/{conversation_id}/snapshots",
    response=SnapshotsOut,
    summary="The opinion map's published figures",
)
def get_snapshots(request: HttpRequest, slug: str, conversation_id: int) -> dict[str, Any]:
    """What the report page shows you, read from the latest stored opinion map (never computed here): the
    groups of opinion (their sizes; what a group thinks only for a group of at least ``min_group_size``
    people), what most people agree and disagree with, what every group agrees with, and where members and
    staff differ and agree most (a side of fewer than ``min_group_size`` voters on a statement left out).
    Nobody's place on the map but your own group is given."""
    membership = actor(request, slug)
    conversation = selectors.conversation_for(membership, conversation_id)
    context = report.report_context(membership, conversation)
    lens: selectors.Lens = context["lens"]
    return {
        "map_status": context["map_status"],
        "min_group_size": selectors.MIN_GROUP_SIZE,
        "latest": _opinion_map(context),
        "members_and_staff_differ_most": _lens_rows(lens.differ_most),
        "members_and_staff_agree_most": _lens_rows(lens.agree_most),
    }


# --- Voting -------------------------------------------------------------------------------------


@r.post(
    "/partnerships/{slug}/conversations/{conversation_id}/statements/{statement_id}/vote",
    response=VoteOut,
    summary="Vote on a statement",
)
def vote(request: HttpRequest, slug: str, conversation_id: int, statement_id: int, payload: VoteIn) -> dict[str, Any]:
    """Agree, disagree or pass on a published statement of an open conversation (members and staff; observers
    only read). A person has one vote on a statement: voting again changes it. A closed conversation, one not
    open yet, or a statement taken out answers 400 with the reason; a statement you cannot see, 404."""
    membership = writer(request, slug)
    stored = services.vote_cast(
        actor=membership, statement_id=statement_id, vote=payload.vote, conversation_id=conversation_id
    )
    return {
        "conversation_id": stored.conversation.pk,
        "statement_id": stored.statement.pk,
        "vote": WORD_OF[stored.value],
        "updated_at": stored.updated_at,
    }
