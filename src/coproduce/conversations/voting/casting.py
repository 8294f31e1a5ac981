"""Casting a vote: the person's one current vote on a statement, its row in the history, and their count of
statements voted on, in one transaction.

A vote reads its statement with its conversation (the tenancy check: the conversation must be in the acting
person's partnership), locks the voter's participant row (so one person's votes are applied one at a time,
without holding up anyone else), upserts the one current vote of that person on that statement (a unique
constraint backs it), adds the vote to the history (``VoteEvent``), stamped after the lock so that a person's
history is in the order their votes were applied, and adds one to the person's ``votes_cast`` when the vote is
new (ADR 16). Whether the statement takes the vote is ``rule``'s.

On PostgreSQL a vote by someone who has voted in the conversation before is one statement (ADR 15); a first
vote, and every vote on SQLite, is a short transaction of several (``_cast_in_steps``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from coproduce.conversations.models import Conversation, Participant, Statement, Vote, VoteEvent, next_number
from coproduce.conversations.voting import rule
from coproduce.conversations.voting.sql import built_once, column, columns, table
from coproduce.core.db import prepared_cursor, prepared_rows
from coproduce.core.exceptions import NotPermitted
from coproduce.partnerships.models import Membership


@dataclass(frozen=True)
class Target:
    """The statement a vote is for: its conversation (the columns a vote reads) and its status."""

    conversation: Conversation
    statement_id: int
    status: str

    def check(self, conversation_id: int | None, now: datetime) -> None:
        """Raise why the statement takes no vote now (or is not in the conversation asked for)."""
        if conversation_id is not None and self.conversation.pk != conversation_id:
            raise NotPermitted()
        refused = rule.refusal(self.conversation.opens_at, self.conversation.closes_at, self.status, now)
        if refused is not None:
            raise refused


# Columns of the conversation a vote does not need (what is left: whether and until when it takes votes, who
# may add statements, the snapshot mark): left deferred, so a long description is not sent on every vote.
_NOT_READ_BY_A_VOTE = ("description", "description_html", "created_by", "created_at", "imported_from")

_TARGET_SQL = (
    "SELECT {conversation_columns}, s.{status} AS statement_status FROM {conversations} c "
    "JOIN {statements} s ON s.conversation_id = c.id WHERE s.id = %s AND c.partnership_id = %s"
)


@built_once
def _target_sql(vendor: str) -> str:
    return _TARGET_SQL.format(
        conversation_columns=columns(Conversation, "c", leave_out=_NOT_READ_BY_A_VOTE),
        status=column(Statement, "status"),
        conversations=table(Conversation),
        statements=table(Statement),
    )


# A vote the member casts herself replaces one a keyworker recorded with her: it is hers again ("self", the
# column's default, as the proposed row has it), no longer recorded by anyone (partnerships/assisted.py).
_OWN_VOTE = "channel = excluded.channel, recorded_by_id = NULL, confirmed_at = NULL"

# The one way ``votes_cast`` is kept: one more when the person's vote on the statement is new.
_COUNT_ONE_SQL = "UPDATE {participants} SET votes_cast = votes_cast + 1 WHERE id = {which}"

_PARTICIPANT_SQL = "SELECT id FROM {participants} WHERE conversation_id = %s AND user_id = %s{lock}"
_VOTED_SQL = "SELECT 1 FROM {votes} WHERE participant_id = %s AND statement_id = %s"
_UPSERT_SQL = (
    "INSERT INTO {votes} (participant_id, statement_id, conversation_id, value, created_at, updated_at) "
    "VALUES (%s, %s, %s, %s, %s, %s) "
    "ON CONFLICT (participant_id, statement_id) DO UPDATE SET value = excluded.value, "
    "updated_at = excluded.updated_at, {own_vote} "
    "RETURNING id"
)
_HISTORY_SQL = (
    "INSERT INTO {events} (participant_id, statement_id, conversation_id, value, cast_at) VALUES (%s, %s, %s, %s, %s)"
)


@built_once
def _participant_sql(vendor: str) -> str:
    return _PARTICIPANT_SQL.format(
        participants=table(Participant), lock=" FOR UPDATE" if connection.features.has_select_for_update else ""
    )


@built_once
def _steps_sql(vendor: str) -> tuple[str, str, str, str]:
    """The SQL of the steps: voted before, upsert, history, count one more."""
    return (
        _VOTED_SQL.format(votes=table(Vote)),
        _UPSERT_SQL.format(votes=table(Vote), own_vote=_OWN_VOTE),
        _HISTORY_SQL.format(events=table(VoteEvent)),
        _COUNT_ONE_SQL.format(participants=table(Participant), which="%s"),
    )


def _target(statement_id: int, partnership_id: int) -> Target | None:
    found = prepared_rows(Conversation, _target_sql(), [statement_id, partnership_id])
    if not found:
        return None
    conversation, extra = found[0]
    return Target(conversation, statement_id, extra["statement_status"])


def _participant_id_locked(conversation_id: int, user_id: int) -> int | None:
    """The voter's participant row id, with the row locked (FOR UPDATE where the database has it)."""
    with prepared_cursor(connection) as cursor:
        cursor.execute(_participant_sql(), [conversation_id, user_id])
        row = cursor.fetchone()
    return int(row[0]) if row else None


def _participant_locked(conversation: Conversation, user_id: int) -> int:
    """The voter's participant row id, locked; the row is made on the first vote (numbered under the
    conversation's lock, so numbers are dense and unique)."""
    found = _participant_id_locked(conversation.pk, user_id)
    if found is not None:
        return found
    Conversation.objects.select_for_update(no_key=True).filter(pk=conversation.pk).values_list("pk", flat=True).get()
    found = _participant_id_locked(conversation.pk, user_id)
    if found is None:
        number = next_number(Participant.objects.filter(conversation=conversation))
        found = Participant.objects.create(conversation=conversation, user_id=user_id, number=number).pk
    return found


def _cast_in_steps(actor: Membership, statement_id: int, value: int, conversation_id: int | None) -> Vote:
    with transaction.atomic(durable=True):
        target = _target(statement_id, actor.partnership_id)
        if target is None:
            raise NotPermitted()
        target.check(conversation_id, timezone.now())
        conversation = target.conversation
        participant_id = _participant_locked(conversation, actor.user_id)
        # Stamped once the lock is held: two votes of one person from two tabs get times in the order
        # they are applied, so the latest in the history is always the current vote.
        now = timezone.now()
        at = connection.ops.adapt_datetimefield_value(now)
        voted_sql, upsert_sql, history_sql, count_sql = _steps_sql()
        with prepared_cursor(connection) as cursor:
            cursor.execute(voted_sql, [participant_id, statement_id])
            new = cursor.fetchone() is None
            cursor.execute(upsert_sql, [participant_id, statement_id, conversation.pk, value, at, at])
            (vote_id,) = cursor.fetchone()
            cursor.execute(history_sql, [participant_id, statement_id, conversation.pk, value, at])
            if new:
                cursor.execute(count_sql, [participant_id])
    return _vote(vote_id, participant_id, target, value, now)


# On PostgreSQL, one statement: the statement with its conversation; the voter's participant row, locked, only
# if the statement takes votes now (``rule``); the time, taken once the lock is held (so one person's votes from
# two tabs are stamped in the order they are applied, ADR 12); the upsert of the current vote and its history
# row with that time; one more on the person's count when the vote is new (``xmax = 0``: the row was inserted,
# ADR 16). Python then reads the answer: a vote, or why nothing was written (``Target.check``), or, when
# everything allowed the vote but the person has no participant row yet, casts it in steps.
_VOTE_SQL = """
WITH target AS ({target}),
voter AS (
  SELECT pa.id FROM {participants} pa JOIN target t ON pa.conversation_id = t.id
  WHERE pa.user_id = %s AND {votable} AND t.id = COALESCE(%s, t.id)
  FOR UPDATE OF pa
),
stamped AS (SELECT voter.id AS participant_id, clock_timestamp() AS at FROM voter),
cast_vote AS (
  INSERT INTO {votes} (participant_id, statement_id, conversation_id, value, created_at, updated_at)
  SELECT st.participant_id, %s, t.id, %s, st.at, st.at FROM stamped st CROSS JOIN target t
  ON CONFLICT (participant_id, statement_id) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at,
    {own_vote}
  RETURNING id, participant_id, updated_at, xmax = 0 AS inserted
),
counted AS ({count_one}),
history AS (
  INSERT INTO {events} (participant_id, statement_id, conversation_id, value, cast_at)
  SELECT v.participant_id, %s, t.id, %s, v.updated_at FROM cast_vote v CROSS JOIN target t
)
SELECT t.*, v.id AS cast_vote_id, v.participant_id AS cast_participant_id, v.updated_at AS cast_at
FROM target t LEFT JOIN cast_vote v ON TRUE
"""


@built_once
def _vote_sql(vendor: str) -> str:
    return _VOTE_SQL.format(
        target=_target_sql(),
        votable=rule.votable_sql("t", "t", status_column="statement_status"),
        count_one=_COUNT_ONE_SQL.format(
            participants=table(Participant), which="(SELECT participant_id FROM cast_vote WHERE inserted)"
        ),
        participants=table(Participant),
        votes=table(Vote),
        events=table(VoteEvent),
        own_vote=_OWN_VOTE,
    )


def _cast_in_one_statement(
    actor: Membership, statement_id: int, value: int, conversation_id: int | None
) -> tuple[Target | None, Vote | None]:
    """PostgreSQL: the statement's target (None: not in this partnership) and the vote stored (None: nothing
    was written)."""
    now = timezone.now()
    params: list[Any] = [statement_id, actor.partnership_id, actor.user_id, *rule.votable_params(now)]
    params += [conversation_id, statement_id, value, statement_id, value]
    found = prepared_rows(Conversation, _vote_sql(), params)
    if not found:
        return None, None
    conversation, extra = found[0]
    target = Target(conversation, statement_id, extra["statement_status"])
    if extra["cast_vote_id"] is None:
        target.check(conversation_id, now)  # says why, or this is the person's first vote here
        return target, None
    return target, _vote(extra["cast_vote_id"], extra["cast_participant_id"], target, value, extra["cast_at"])


def _vote(vote_id: int, participant_id: int, target: Target, value: int, at: datetime) -> Vote:
    statement = Statement(pk=target.statement_id, conversation=target.conversation, status=target.status)
    return Vote(
        pk=vote_id,
        participant_id=participant_id,
        statement=statement,
        conversation=target.conversation,
        value=value,
        updated_at=at,
    )


def cast(*, actor: Membership, statement_id: int, value: int, conversation_id: int | None = None) -> Vote:
    """Store the person's vote (a checked value) on the statement, if it takes it: the current vote, with its
    statement and conversation. Raises ``NotPermitted`` for a statement the person may not see (or not in
    ``conversation_id``), and ``ServiceError`` with the reason when it takes no vote now."""
    if connection.vendor == "postgresql":
        target, stored = _cast_in_one_statement(actor, statement_id, value, conversation_id)
        if target is None:
            raise NotPermitted()
        if stored is not None:
            return stored
    return _cast_in_steps(actor, statement_id, value, conversation_id)


def cast_with_member(
    *, member: Membership, recorded_by_id: int, votes: list[tuple[int, int]], conversation_id: int
) -> tuple[int, int]:
    """Store votes a keyworker recorded with a member (assisted participation; who may, with whom, is
    ``partnerships.assisted.assistance_check``, asked by the service): ``votes`` are (statement id, checked
    value) pairs of one conversation, all in one transaction. Each is her vote — her participant row, counted
    in the opinion map as hers — marked ``assisted`` with who recorded it. A vote she cast herself is never
    replaced. Returns (how many were recorded, how many of hers were kept). Raises as ``cast`` does."""
    recorded = kept = 0
    with transaction.atomic():  # inside the service's transaction, with its audit event and notice
        now = timezone.now()
        targets = []
        for statement_id, value in votes:
            target = _target(statement_id, member.partnership_id)
            if target is None:
                raise NotPermitted()
            target.check(conversation_id, now)
            targets.append((target, value))
        if not targets:
            return 0, 0
        participant_id = _participant_locked(targets[0][0].conversation, member.user_id)
        now = timezone.now()
        existing = {
            vote.statement_id: vote
            for vote in Vote.objects.filter(
                participant_id=participant_id, statement_id__in=[t.statement_id for t, _v in targets]
            )
        }
        new = 0
        for target, value in targets:
            vote = existing.get(target.statement_id)
            if vote is not None and vote.channel == "self":
                kept += 1
                continue
            if vote is None:
                Vote.objects.create(
                    participant_id=participant_id,
                    statement_id=target.statement_id,
                    conversation_id=conversation_id,
                    value=value,
                    created_at=now,
                    updated_at=now,
                    channel="assisted",
                    recorded_by_id=recorded_by_id,
                )
                new += 1
            else:
                Vote.objects.filter(pk=vote.pk).update(
                    value=value, updated_at=now, channel="assisted", recorded_by_id=recorded_by_id, confirmed_at=None
                )
            VoteEvent.objects.create(
                participant_id=participant_id,
                statement_id=target.statement_id,
                conversation_id=conversation_id,
                value=value,
                cast_at=now,
            )
            recorded += 1
        if new:
            Participant.objects.filter(pk=participant_id).update(votes_cast=F("votes_cast") + new)
    return recorded, kept
