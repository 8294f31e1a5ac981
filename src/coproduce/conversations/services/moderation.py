"""Moderation: a coordinator publishes a statement or takes it out of the conversation."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from coproduce.conversations.models import Conversation, Statement
from coproduce.conversations.services._common import count_published
from coproduce.conversations.services.snapshots import snapshot_schedule
from coproduce.core.audit import audit_record
from coproduce.core.exceptions import ServiceError
from coproduce.core.guards import same_partnership
from coproduce.core.permissions import require_rule
from coproduce.notifications import api as notices
from coproduce.partnerships.models import Membership


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
            count_published(locked.conversation_id)
        audit_record(
            actor=actor.user,
            action="conversations.statement_published" if publish else "conversations.statement_taken_out",
            partnership_id=actor.partnership_id,
            target=locked,
            detail={"reason": reason} if reason else None,
        )
        snapshot_schedule(locked.conversation)
        subject = f"conversations.statement:{locked.pk}"
        if publish:
            notices.notices_done(partnership_id=actor.partnership_id, subject_key=subject)
        elif locked.author_id is not None and locked.author_id != actor.user_id:
            notices.notify(
                partnership_id=actor.partnership_id,
                user_ids=[locked.author_id],
                kind="conversations.statement_taken_out",
                text=(
                    _("A moderator took your statement out of “%(topic)s”: %(reason)s")
                    if reason
                    else _("A moderator took your statement out of “%(topic)s”.")
                )
                % {"topic": locked.conversation.topic, "reason": reason},
                url=reverse(
                    "conversations:detail",
                    kwargs={"slug": actor.partnership.slug, "conversation_id": locked.conversation_id},
                ),
                subject_key=subject,
            )
    return locked
