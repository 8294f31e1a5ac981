"""Adding statements: a participant's own (waiting for a coordinator when the conversation is moderated
before publishing) and a coordinator's seed statements, optionally grown from a voice idea."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from coproduce.conversations.models import Conversation, Statement
from coproduce.conversations.services._common import create_statement, statement_text_clean
from coproduce.core.audit import audit_record
from coproduce.core.exceptions import ServiceError
from coproduce.core.guards import same_partnership
from coproduce.core.permissions import require_rule
from coproduce.partnerships.models import Membership


def _author_kind(membership: Membership) -> str:
    if membership.is_member:
        return Statement.AuthorKind.MEMBER
    if membership.is_staff_role:
        return Statement.AuthorKind.STAFF
    return Statement.AuthorKind.OBSERVER


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
        statement = create_statement(
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
        statement = create_statement(
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
