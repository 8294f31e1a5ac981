"""What every way of adding a statement shares: trimming and checking its words, refusing a duplicate,
numbering it and keeping the conversation's count of published statements (ADR 16); and seed statements
typed one a line."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from coproduce.conversations.models import STATEMENT_MAX, Conversation, Statement, next_number, statement_key
from coproduce.core.exceptions import ServiceError

MAX_SEEDS = 200


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


def create_statement(conversation: Conversation, text: str, *, field: str = "text", **fields: Any) -> Statement:
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
        count_published(conversation.pk)
    return statement


def count_published(conversation_id: int) -> None:
    """Store how many of the conversation's statements are published (ADR 16). The caller holds the
    conversation's row lock, which every change of a statement's status takes first, so the count is exact."""
    published = Statement.objects.filter(conversation_id=conversation_id, status=Statement.Status.PUBLISHED).count()
    Conversation.objects.filter(pk=conversation_id).update(published_count=published)


def seed_lines(text: str) -> list[str]:
    """Seed statements typed one a line; blank lines are ignored."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def check_seeds(seeds: Iterable[str], *, field: str = "seeds") -> list[str]:
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
