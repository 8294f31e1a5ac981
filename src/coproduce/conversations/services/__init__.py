"""Every write in conversations: keyword-only, the acting membership first, permission checked, one
transaction, an audit event where it matters, the snapshot computation enqueued on commit.

Votes are the hot path: ``vote_cast`` checks the permission and the value, ``voting.casting`` stores the
vote (whether the statement takes it is ``voting.rule``'s), and a snapshot is asked for after the commit."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.conversations.models import (
    DESCRIPTION_MAX,
    STATEMENT_MAX,
    TOPIC_MAX,
    Conversation,
    Statement,
    Vote,
    next_number,
    statement_key,
)
from coproduce.conversations.snapshots import SNAPSHOT_STALE_AFTER
from coproduce.conversations.voting import casting
from coproduce.core.audit import audit_record
from coproduce.core.exceptions import ServiceError
from coproduce.core.guards import same_partnership
from coproduce.core.permissions import require_rule
from coproduce.core.richtext import render_markdown
from coproduce.partnerships.models import Membership

SNAPSHOT_INTERVAL = timedelta(seconds=10)  # at most one computation per conversation in this time
MAX_SEEDS = 200

VOTE_VALUES = {"agree": Vote.Value.AGREE, "disagree": Vote.Value.DISAGREE, "pass": Vote.Value.PASS}


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
    number = next_number(Statement.objects.filter(conversation=conversation))
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
    same_partnership(actor, conversation)
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
    same_partnership(actor, conversation)
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
    same_partnership(actor, conversation)
    require_rule("conversations.manage", actor, conversation)
    text = statement_text_clean(text)
    if idea is not None:
        same_partnership(actor, idea)
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
    same_partnership(actor, statement.conversation)
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


def vote_cast(*, actor: Membership, statement_id: int, vote: str | int, conversation_id: int | None = None) -> Vote:
    """Record (or change) the person's vote on a statement: agree, disagree or pass. With
    ``conversation_id``, a statement of another conversation is refused as missing."""
    require_rule("conversations.vote", actor)
    value = vote_value(vote) if isinstance(vote, str) else vote
    if value not in (Vote.Value.AGREE, Vote.Value.DISAGREE, Vote.Value.PASS):
        raise ServiceError(_("Choose agree, disagree or pass."), field="vote", code="invalid_vote")
    stored = casting.cast(actor=actor, statement_id=statement_id, value=value, conversation_id=conversation_id)
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
