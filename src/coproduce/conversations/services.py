"""Every write in conversations: keyword-only, the acting membership first, permission checked, one
transaction, an audit event where it matters, the snapshot computation enqueued on commit.

Votes are the hot path: a vote reads its statement with its conversation (one query), locks the voter's
participant row (so one person's votes are applied one at a time, without holding up anyone else),
upserts the one current vote of that person on that statement (a unique constraint backs it) and adds
the vote to the history (``VoteEvent``), stamped after the lock so that a person's history is in the
order their votes were applied."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.conversations.models import (
    DESCRIPTION_MAX,
    STATEMENT_MAX,
    TOPIC_MAX,
    Conversation,
    Participant,
    Statement,
    Vote,
    VoteEvent,
    statement_key,
)
from coproduce.conversations.snapshots import SNAPSHOT_STALE_AFTER
from coproduce.core.audit import audit_record
from coproduce.core.db import prepared_cursor, prepared_raw
from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.permissions import require_rule
from coproduce.core.richtext import render_markdown
from coproduce.partnerships.models import Membership

SNAPSHOT_INTERVAL = timedelta(seconds=10)  # at most one computation per conversation in this time
MAX_SEEDS = 200

VOTE_VALUES = {"agree": Vote.Value.AGREE, "disagree": Vote.Value.DISAGREE, "pass": Vote.Value.PASS}


def _same_partnership(membership: Membership, obj: Any) -> None:
    if obj is None or obj.partnership_id != membership.partnership_id:
        raise NotPermitted()


def _next_number(qs: Any) -> int:
    highest = qs.aggregate(n=Max("number"))["n"]
    return 0 if highest is None else highest + 1


def _author_kind(membership: Membership) -> str:
    if membership.is_member:
        return Statement.AuthorKind.MEMBER
    if membership.is_staff_role:
        return Statement.AuthorKind.STAFF
    return Statement.AuthorKind.OBSERVER


# --- Statements: the checks shared by every way a statement is added ----------------------------


def statement_text_clean(text: str, *, field: str = "text") -> str:
    """Trim and check one statement's words: refuse empty and over-long ones with a plain message."""
    text = " ".join((text or "").split())
    if not statement_key(text):
        raise ServiceError(_("Write the statement."), field=field, code="required")
    if len(text) > STATEMENT_MAX:
        raise ServiceError(
            _("A statement must be %(max)d characters or fewer (this one has %(n)d).")
            % {"max": STATEMENT_MAX, "n": len(text)},
            field=field,
            code="too_long",
        )
    return text


def _duplicate_message(text: str) -> str:
    return _("“%(text)s” is already in this conversation. Vote on it rather than adding it again.") % {"text": text}


def _create_statement(conversation: Conversation, text: str, *, field: str = "text", **fields: Any) -> Statement:
    """Add a statement to a conversation whose row the caller has locked; refuse a duplicate."""
    key = statement_key(text)
    if Statement.objects.filter(conversation=conversation, text_key=key).exists():
        raise ServiceError(_duplicate_message(text), field=field, code="duplicate")
    number = _next_number(Statement.objects.filter(conversation=conversation))
    try:
        with transaction.atomic():
            statement = Statement.objects.create(
                conversation=conversation, number=number, text=text, text_key=key, **fields
            )
    except IntegrityError as exc:  # the same words added at the same moment by someone else
        raise ServiceError(_duplicate_message(text), field=field, code="duplicate") from exc
    if statement.status == Statement.Status.PUBLISHED:
        _count_published(conversation.pk)
    return statement


def _count_published(conversation_id: int) -> None:
    """Store how many of the conversation's statements are published (ADR 16). The caller holds the
    conversation's row lock, which every change of a statement's status takes first, so the count is exact."""
    published = Statement.objects.filter(conversation_id=conversation_id, status=Statement.Status.PUBLISHED).count()
    Conversation.objects.filter(pk=conversation_id).update(published_count=published)


def seed_lines(text: str) -> list[str]:
    """Seed statements typed one a line; blank lines are ignored."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _check_seeds(seeds: Iterable[str], *, field: str = "seeds") -> list[str]:
    cleaned: list[str] = []
    seen: set[str] = set()
    for position, line in enumerate(seeds, start=1):
        try:
            text = statement_text_clean(line, field=field)
        except ServiceError as error:
            raise ServiceError(
                _("Statement %(n)d: %(error)s") % {"n": position, "error": error.message}, field=field
            ) from error
        if statement_key(text) in seen:
            raise ServiceError(
                _("Statement %(n)d repeats an earlier one: “%(text)s”.") % {"n": position, "text": text}, field=field
            )
        seen.add(statement_key(text))
        cleaned.append(text)
    if len(cleaned) > MAX_SEEDS:
        raise ServiceError(_("Start with at most %(max)d statements.") % {"max": MAX_SEEDS}, field=field)
    return cleaned


# --- Conversations ----------------------------------------------------------------------------


def _conversation_fields(
    topic: str, description: str, moderation: str, opens_at: datetime | None, closes_at: datetime | None
) -> tuple[str, str, str, datetime, datetime | None]:
    topic = " ".join((topic or "").split())
    if not topic:
        raise ServiceError(_("Enter the topic of the conversation."), field="topic", code="required")
    if len(topic) > TOPIC_MAX:
        raise ServiceError(_("The topic must be %(max)d characters or fewer.") % {"max": TOPIC_MAX}, field="topic")
    description = (description or "").strip()
    if len(description) > DESCRIPTION_MAX:
        raise ServiceError(
            _("The description must be %(max)d characters or fewer.") % {"max": DESCRIPTION_MAX}, field="description"
        )
    if moderation not in Conversation.Moderation.values:
        raise ServiceError(_("Choose when new statements are checked."), field="moderation")
    opens_at = opens_at or timezone.now()
    if closes_at is not None and closes_at <= opens_at:
        raise ServiceError(_("The closing date must be after the opening date."), field="closes_at")
    return topic, description, moderation, opens_at, closes_at


def conversation_create(
    *,
    actor: Membership,
    topic: str,
    description: str = "",
    participants_may_add: bool = True,
    moderation: str = Conversation.Moderation.AFTER,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    seeds: Iterable[str] = (),
) -> Conversation:
    require_rule("conversations.manage", actor)
    topic, description, moderation, opens_at, closes_at = _conversation_fields(
        topic, description, moderation, opens_at, closes_at
    )
    if closes_at is not None and closes_at <= timezone.now():
        raise ServiceError(_("The closing date must be in the future."), field="closes_at")
    seed_texts = _check_seeds(seeds)
    with transaction.atomic(durable=True):
        conversation = Conversation.objects.create(
            partnership_id=actor.partnership_id,
            topic=topic,
            description=description,
            description_html=render_markdown(description),
            participants_may_add=participants_may_add,
            moderation=moderation,
            opens_at=opens_at,
            closes_at=closes_at,
            created_by=actor.user,
            published_count=len(seed_texts),  # seeds are published
        )
        Statement.objects.bulk_create(
            [
                Statement(
                    conversation=conversation,
                    number=number,
                    text=text,
                    text_key=statement_key(text),
                    author=actor.user,
                    author_kind=Statement.AuthorKind.SEED,
                    is_seed=True,
                )
                for number, text in enumerate(seed_texts)
            ]
        )
        audit_record(
            actor=actor.user,
            action="conversations.created",
            partnership_id=actor.partnership_id,
            target=conversation,
            detail={"seeds": len(seed_texts)},
        )
    return conversation


def conversation_update(
    *,
    actor: Membership,
    conversation: Conversation,
    topic: str,
    description: str = "",
    participants_may_add: bool = True,
    moderation: str = Conversation.Moderation.AFTER,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
) -> Conversation:
    _same_partnership(actor, conversation)
    require_rule("conversations.manage", actor, conversation)
    topic, description, moderation, opens_at, closes_at = _conversation_fields(
        topic, description, moderation, opens_at or conversation.opens_at, closes_at
    )
    with transaction.atomic(durable=True):
        locked = Conversation.objects.select_for_update(no_key=True).get(pk=conversation.pk)
        locked.topic, locked.description, locked.description_html = topic, description, render_markdown(description)
        locked.participants_may_add, locked.moderation = participants_may_add, moderation
        locked.opens_at, locked.closes_at = opens_at, closes_at
        locked.save(
            update_fields=[
                "topic",
                "description",
                "description_html",
                "participants_may_add",
                "moderation",
                "opens_at",
                "closes_at",
            ]
        )
        audit_record(
            actor=actor.user,
            action="conversations.changed",
            partnership_id=actor.partnership_id,
            target=locked,
        )
    return locked


# --- Statements -------------------------------------------------------------------------------


def statement_add(*, actor: Membership, conversation: Conversation, text: str) -> Statement:
    """A participant adds a statement (when the conversation allows it). With moderation before
    publishing it waits for a coordinator; otherwise everyone can vote on it at once."""
    _same_partnership(actor, conversation)
    require_rule("conversations.add_statement", actor, conversation)
    text = statement_text_clean(text)
    with transaction.atomic(durable=True):
        locked = Conversation.objects.select_for_update(no_key=True).get(pk=conversation.pk)
        if not locked.participants_may_add and not actor.is_coordinator:
            raise ServiceError(_("This conversation does not take new statements."), code="closed")
        if not locked.is_open:
            raise ServiceError(_("This conversation is closed, so it takes no new statements."), code="closed")
        waits = locked.moderation == Conversation.Moderation.BEFORE and not actor.is_coordinator
        statement = _create_statement(
            locked,
            text,
            author=actor.user,
            author_kind=_author_kind(actor),
            status=Statement.Status.PENDING if waits else Statement.Status.PUBLISHED,
        )
        audit_record(
            actor=actor.user,
            action="conversations.statement_added",
            partnership_id=actor.partnership_id,
            target=statement,
        )
    return statement


def statement_seed(
    *,
    actor: Membership,
    conversation: Conversation,
    text: str,
    idea: Any = None,
    statement_url: str = "",
) -> Statement:
    """A coordinator adds a seed statement, optionally grown from a voice idea: then a response is
    recorded on the idea, so the person who had it sees where it went."""
    _same_partnership(actor, conversation)
    require_rule("conversations.manage", actor, conversation)
    text = statement_text_clean(text)
    if idea is not None:
        _same_partnership(actor, idea)
    with transaction.atomic(durable=True):
        locked = Conversation.objects.select_for_update(no_key=True).get(pk=conversation.pk)
        statement = _create_statement(
            locked,
            text,
            author=actor.user,
            author_kind=Statement.AuthorKind.SEED,
            is_seed=True,
            source_idea_id=idea.pk if idea is not None else None,
        )
        if idea is not None:
            from coproduce.voice.api import response_record

            try:
                response_record(
                    actor=actor,
                    idea=idea,
                    text=_(
                        "This idea is now a statement in the conversation “%(topic)s”: "
                        "everyone can say whether they agree."
                    )
                    % {"topic": locked.topic},
                    link_url=statement_url,
                    link_label=_("Vote on it in “%(topic)s”") % {"topic": locked.topic},
                    source="conversations",
                )
            except ServiceError as error:  # the idea was withdrawn or hidden meanwhile
                raise ServiceError(error.message, field="idea", code=error.code) from error
        audit_record(
            actor=actor.user,
            action="conversations.statement_seeded",
            partnership_id=actor.partnership_id,
            target=statement,
            detail={"idea": idea.pk} if idea is not None else None,
        )
    return statement


def statement_moderate(*, actor: Membership, statement: Statement, publish: bool, reason: str = "") -> Statement:
    """Publish a statement, or take it out of the conversation (its votes stay but no longer count)."""
    _same_partnership(actor, statement.conversation)
    require_rule("conversations.moderate", actor, statement)
    reason = (reason or "").strip()
    if len(reason) > 500:
        raise ServiceError(_("The reason must be 500 characters or fewer."), field="reason")
    with transaction.atomic(durable=True):
        # The conversation first, as every change to its statements does: its count of published ones.
        Conversation.objects.select_for_update(no_key=True).filter(pk=statement.conversation_id).values_list(
            "pk", flat=True
        ).get()
        locked = (
            Statement.objects.select_for_update(no_key=True, of=("self",))
            .select_related("conversation")
            .get(pk=statement.pk)
        )
        was_published = locked.status == Statement.Status.PUBLISHED
        locked.status = Statement.Status.PUBLISHED if publish else Statement.Status.MODERATED_OUT
        locked.moderated_reason = "" if publish else reason
        locked.save(update_fields=["status", "moderated_reason"])
        if was_published != publish:
            _count_published(locked.conversation_id)
        audit_record(
            actor=actor.user,
            action="conversations.statement_published" if publish else "conversations.statement_taken_out",
            partnership_id=actor.partnership_id,
            target=locked,
            detail={"reason": reason} if reason else None,
        )
        snapshot_schedule(locked.conversation)
    return locked


# --- Votes ------------------------------------------------------------------------------------


def vote_value(word: str) -> int:
    """ "agree", "disagree" or "pass" as the stored value; anything else is refused."""
    try:
        return int(VOTE_VALUES[word])
    except (KeyError, TypeError):
        raise ServiceError(_("Choose agree, disagree or pass."), field="vote", code="invalid_vote") from None


# The statements every vote runs are written out in SQL (the same on PostgreSQL and SQLite): building
# them through the ORM cost more CPU than running them (docs/performance.md, "Voting and the report page").
# Table names come from the models' metadata, values are always parameters.
_PARTICIPANT_SQL = "SELECT id FROM {table} WHERE conversation_id = %s AND user_id = %s{lock}"
_UPSERT_SQL = (
    "INSERT INTO {table} (participant_id, statement_id, conversation_id, value, created_at, updated_at) "
    "VALUES (%s, %s, %s, %s, %s, %s) "
    "ON CONFLICT (participant_id, statement_id) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at "
    "RETURNING id"
)
_HISTORY_SQL = (
    "INSERT INTO {table} (participant_id, statement_id, conversation_id, value, cast_at) VALUES (%s, %s, %s, %s, %s)"
)
# The person's count of statements voted on (ADR 16), counted again under their row's lock.
_COUNTED_SQL = (
    "UPDATE {participants} SET votes_cast = (SELECT COUNT(*) FROM {votes} WHERE participant_id = %s) WHERE id = %s"
)


_STATEMENT_SQL = (
    "SELECT {columns}, s.status AS statement_status FROM {conversations} c "
    "JOIN {statements} s ON s.conversation_id = c.id WHERE s.id = %s AND c.partnership_id = %s"
)


def _statement_with_conversation(statement_id: int, partnership_id: int) -> Statement | None:
    """The statement (its id and status) with its whole conversation, if it is in this partnership."""
    sql = _STATEMENT_SQL.format(
        conversations=connection.ops.quote_name(Conversation._meta.db_table),
        statements=connection.ops.quote_name(Statement._meta.db_table),
        columns=", ".join(f"c.{connection.ops.quote_name(f.column)}" for f in Conversation._meta.concrete_fields),
    )
    found = list(prepared_raw(Conversation, sql, [statement_id, partnership_id]))
    if not found:
        return None
    conversation = found[0]
    return Statement(pk=statement_id, conversation=conversation, status=conversation.statement_status)  # type: ignore[attr-defined]


def _participant_id_locked(conversation_id: int, user_id: int) -> int | None:
    """The voter's participant row id, with the row locked (FOR UPDATE where the database has it)."""
    sql = _PARTICIPANT_SQL.format(
        table=connection.ops.quote_name(Participant._meta.db_table),
        lock=" FOR UPDATE" if connection.features.has_select_for_update else "",
    )
    with prepared_cursor(connection) as cursor:
        cursor.execute(sql, [conversation_id, user_id])
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
        number = _next_number(Participant.objects.filter(conversation=conversation))
        found = Participant.objects.create(conversation=conversation, user_id=user_id, number=number).pk
    return found


def _vote_upsert(*, participant_id: int, statement: Statement, value: int, now: datetime) -> Vote:
    """Insert the vote, or replace the value of the person's current vote on the statement; and add it
    to the history. The caller holds the participant's row lock."""
    at = connection.ops.adapt_datetimefield_value(now)
    with prepared_cursor(connection) as cursor:
        cursor.execute(
            _UPSERT_SQL.format(table=connection.ops.quote_name(Vote._meta.db_table)),
            [participant_id, statement.pk, statement.conversation_id, value, at, at],
        )
        (vote_id,) = cursor.fetchone()
        cursor.execute(
            _HISTORY_SQL.format(table=connection.ops.quote_name(VoteEvent._meta.db_table)),
            [participant_id, statement.pk, statement.conversation_id, value, at],
        )
        cursor.execute(
            _COUNTED_SQL.format(
                participants=connection.ops.quote_name(Participant._meta.db_table),
                votes=connection.ops.quote_name(Vote._meta.db_table),
            ),
            [participant_id, participant_id],
        )
    return Vote(
        pk=vote_id,
        participant_id=participant_id,
        statement=statement,
        conversation=statement.conversation,
        value=value,
        updated_at=now,
    )


# On PostgreSQL a vote by someone who has voted in the conversation before is one statement (ADR 15): the
# statement with its conversation; the voter's participant row, locked, only if the statement takes votes now;
# the time, taken once the lock is held (so one person's votes from two tabs are stamped in the order they
# are applied, ADR 12); the upsert of the current vote and its history row with that time; one more on the
# person's count of statements voted on when the vote is new (``xmax = 0``: the row was inserted, ADR 16).
# It runs in its own transaction (or the caller's). Python then reads the conversation and the statement's
# status from the answer to say why nothing was written, or, when everything allowed the vote but the person
# has no participant row yet, casts it the long way, which makes the row under the conversation's lock.
_VOTE_SQL = """
WITH target AS (
  SELECT {columns}, s.status AS statement_status
  FROM {conversations} c JOIN {statements} s ON s.conversation_id = c.id
  WHERE s.id = %s AND c.partnership_id = %s
),
voter AS (
  SELECT pa.id FROM {participants} pa JOIN target t ON pa.conversation_id = t.id
  WHERE pa.user_id = %s AND t.statement_status = %s AND t.opens_at <= %s
    AND (t.closes_at IS NULL OR t.closes_at > %s) AND t.id = COALESCE(%s, t.id)
  FOR UPDATE OF pa
),
stamped AS (SELECT voter.id AS participant_id, clock_timestamp() AS at FROM voter),
cast_vote AS (
  INSERT INTO {votes} (participant_id, statement_id, conversation_id, value, created_at, updated_at)
  SELECT st.participant_id, %s, t.id, %s, st.at, st.at FROM stamped st CROSS JOIN target t
  ON CONFLICT (participant_id, statement_id) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
  RETURNING id, participant_id, updated_at, xmax = 0 AS inserted
),
counted AS (
  UPDATE {participants} SET votes_cast = votes_cast + 1
  WHERE id = (SELECT participant_id FROM cast_vote WHERE inserted)
),
history AS (
  INSERT INTO {events} (participant_id, statement_id, conversation_id, value, cast_at)
  SELECT v.participant_id, %s, t.id, %s, v.updated_at FROM cast_vote v CROSS JOIN target t
)
SELECT t.*, v.id AS cast_vote_id, v.participant_id AS cast_participant_id, v.updated_at AS cast_at
FROM target t LEFT JOIN cast_vote v ON TRUE
"""


# Columns of the conversation a vote does not need (what is left: whether and until when it takes votes, who
# may add statements, the snapshot mark): left deferred, so a long description is not sent on every vote.
_NOT_READ_BY_A_VOTE = {"description", "description_html", "created_by", "created_at", "imported_from"}


@functools.cache
def _vote_sql() -> str:
    """The one-statement vote's SQL, built once per process (it is PostgreSQL's only)."""
    qn = connection.ops.quote_name
    return _VOTE_SQL.format(
        columns=", ".join(
            f"c.{qn(field.column)}"
            for field in Conversation._meta.concrete_fields
            if field.name not in _NOT_READ_BY_A_VOTE
        ),
        conversations=qn(Conversation._meta.db_table),
        statements=qn(Statement._meta.db_table),
        participants=qn(Participant._meta.db_table),
        votes=qn(Vote._meta.db_table),
        events=qn(VoteEvent._meta.db_table),
    )


def _vote_in_one_statement(
    actor: Membership, statement_id: int, value: int, conversation_id: int | None, now: datetime
) -> tuple[Statement | None, Vote | None]:
    """PostgreSQL: cast the vote in one statement. Returns the statement with its conversation (None: not
    in this partnership) and the vote stored (None: nothing was written)."""
    sql = _vote_sql()
    published = Statement.Status.PUBLISHED.value
    params = [statement_id, actor.partnership_id, actor.user_id, published, now, now, conversation_id]
    params += [statement_id, value, statement_id, value]
    found = prepared_raw(Conversation, sql, params)
    if not found:
        return None, None
    conversation = found[0]
    statement = Statement(pk=statement_id, conversation=conversation, status=conversation.statement_status)  # type: ignore[attr-defined]
    if conversation.cast_vote_id is None:  # type: ignore[attr-defined]
        return statement, None
    vote = Vote(
        pk=conversation.cast_vote_id,  # type: ignore[attr-defined]
        participant_id=conversation.cast_participant_id,  # type: ignore[attr-defined]
        statement=statement,
        conversation=conversation,
        value=value,
        updated_at=conversation.cast_at,  # type: ignore[attr-defined]
    )
    return statement, vote


def _check_votable(statement: Statement | None, conversation_id: int | None, now: datetime) -> Statement:
    """The statement, if it takes this vote now; otherwise the reason, as an error."""
    if statement is None or (conversation_id is not None and statement.conversation_id != conversation_id):
        raise NotPermitted()
    conversation = statement.conversation
    if not conversation.has_opened:
        raise ServiceError(_("This conversation has not opened yet."), code="not_open")
    if not conversation.is_open_at(now):
        raise ServiceError(_("This conversation has closed, so it takes no more votes."), code="closed")
    if statement.status == Statement.Status.MODERATED_OUT:
        raise ServiceError(
            _("This statement was taken out of the conversation, so it takes no votes."), code="moderated_out"
        )
    if statement.status != Statement.Status.PUBLISHED:
        raise NotPermitted()  # a statement waiting for a coordinator is not there yet for voters
    return statement


def vote_cast(*, actor: Membership, statement_id: int, vote: str | int, conversation_id: int | None = None) -> Vote:
    """Record (or change) the person's vote on a statement: agree, disagree or pass. With
    ``conversation_id``, a statement of another conversation is refused as missing."""
    require_rule("conversations.vote", actor)
    value = vote_value(vote) if isinstance(vote, str) else vote
    if value not in (Vote.Value.AGREE, Vote.Value.DISAGREE, Vote.Value.PASS):
        raise ServiceError(_("Choose agree, disagree or pass."), field="vote", code="invalid_vote")
    now = timezone.now()
    stored: Vote | None = None
    if connection.vendor == "postgresql":
        found, stored = _vote_in_one_statement(actor, statement_id, value, conversation_id, now)
        if stored is None:
            _check_votable(found, conversation_id, now)  # says why, or this is the person's first vote here
    if stored is None:
        with transaction.atomic(durable=True):
            statement = _check_votable(
                _statement_with_conversation(statement_id, actor.partnership_id), conversation_id, now
            )
            participant_id = _participant_locked(statement.conversation, actor.user_id)
            # Stamped once the lock is held: two votes of one person from two tabs get times in the order
            # they are applied, so the latest in the history is always the current vote.
            stored = _vote_upsert(participant_id=participant_id, statement=statement, value=value, now=timezone.now())
    conversation = stored.conversation
    if conversation.snapshot_due_at is None or snapshot_overdue(conversation.snapshot_due_at):
        # After the commit, in its own statement: the vote's transaction never writes the conversation
        # row that every other vote's foreign key check reads (that made deadlocks under load).
        transaction.on_commit(lambda: snapshot_schedule(conversation))
    return stored


# --- Snapshots --------------------------------------------------------------------------------


def snapshot_overdue(due: datetime, now: datetime | None = None) -> bool:
    """Whether a computation due at ``due`` should have started long ago: its task was lost (the worker
    stops it being lost once enqueued, not before), so the next request asks again."""
    return due < (now or timezone.now()) - SNAPSHOT_STALE_AFTER


def snapshot_schedule(conversation: Conversation, *, now: datetime | None = None) -> datetime | None:
    """Ask for a new snapshot, at most one per SNAPSHOT_INTERVAL per conversation: when none is waiting
    (or the one waiting is overdue), mark one due (at the earliest SNAPSHOT_INTERVAL after the last one
    started) and enqueue the task to run then, on commit. Returns the due time, or None when one was
    already waiting."""
    from coproduce.conversations.tasks import enqueue_snapshot

    now = now or timezone.now()
    last = Conversation.objects.filter(pk=conversation.pk).values_list("snapshot_started_at", flat=True).first()
    due = max(now, last + SNAPSHOT_INTERVAL) if last is not None else now
    waiting = Q(snapshot_due_at__isnull=True) | Q(snapshot_due_at__lt=now - SNAPSHOT_STALE_AFTER)
    claimed = Conversation.objects.filter(waiting, pk=conversation.pk).update(snapshot_due_at=due)
    if not claimed:
        return None
    conversation_id = conversation.pk
    transaction.on_commit(lambda: enqueue_snapshot(conversation_id, due))
    return due
