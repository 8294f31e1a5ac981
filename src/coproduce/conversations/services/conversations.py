"""Setting a conversation up (with its seed statements) and changing it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.conversations.models import DESCRIPTION_MAX, TOPIC_MAX, Conversation, Statement, statement_key
from coproduce.conversations.services._common import check_seeds
from coproduce.core.audit import audit_record
from coproduce.core.exceptions import ServiceError
from coproduce.core.guards import same_partnership
from coproduce.core.permissions import require_rule
from coproduce.core.richtext import render_markdown
from coproduce.partnerships.models import Membership


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
    seed_texts = check_seeds(seeds)
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
