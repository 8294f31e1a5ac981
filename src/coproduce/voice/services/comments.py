"""Comments on an idea: posting, replying, editing and removing one."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, TextField, Value
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.guards import same_partnership, text_checked
from coproduce.core.permissions import require_rule
from coproduce.core.richtext import render_markdown
from coproduce.partnerships.models import Membership
from coproduce.voice.models import COMMENT_MAX, Comment, Idea
from coproduce.voice.services._common import (
    RESUBMISSION_WINDOW,
    author_kind,
    idea_audience,
    notify,
    search_text_refresh,
    visible_idea_for_update,
)

# --- Comments ---------------------------------------------------------------------------------


def _comment_body(body: str) -> str:
    return text_checked(
        body,
        field="body",
        max_length=COMMENT_MAX,
        required=_("Write your comment."),
        too_long=_("Your comment must be %(max)d characters or fewer."),
    )


def comment_create(*, actor: Membership, idea: Idea, body: str, parent: Comment | None = None) -> Comment:
    require_rule("voice.comment", actor)
    body = _comment_body(body)
    with transaction.atomic(durable=True):
        locked = visible_idea_for_update(actor, idea)
        if parent is not None:
            if parent.idea_id != locked.pk:
                raise NotPermitted()
            if parent.parent_id is not None:
                parent = parent.parent  # one level of replies: a reply to a reply joins its thread
        now = timezone.now()
        same = (
            Comment.objects.filter(
                idea=locked,
                parent=parent,
                author=actor.user,
                body=body,
                deleted_at__isnull=True,
                created_at__gte=now - RESUBMISSION_WINDOW,
            )
            .order_by("-created_at")
            .first()
        )
        if same is not None:
            return same  # the same comment sent twice: the idea's row lock makes the second one find the first
        comment = Comment.objects.create(
            idea=locked,
            parent=parent,
            author=actor.user,
            author_kind=author_kind(actor),
            body=body,
            body_html=render_markdown(body),
            created_at=now,
        )
        Idea.objects.filter(pk=locked.pk).update(
            comment_count=F("comment_count") + 1,
            last_activity_at=now,
            search_text=Concat(F("search_text"), Value(f"\n{body}"), output_field=TextField()),
        )
        notify(
            users=idea_audience(locked, exclude=actor.user_id),
            partnership_id=actor.partnership_id,
            kind="voice.comment",
            idea=locked,
            text=_("New comment on “%(title)s”") % {"title": locked.title},
        )
    return comment


def comment_update(*, actor: Membership, comment: Comment, body: str) -> Comment:
    same_partnership(actor, comment.idea)
    require_rule("voice.change_comment", actor, comment)
    body = _comment_body(body)
    with transaction.atomic(durable=True):
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        if locked.deleted_at is not None or locked.hidden_at is not None:
            raise ServiceError(_("This comment can no longer be changed."), code="gone")
        locked.body, locked.body_html, locked.edited_at = body, render_markdown(body), timezone.now()
        locked.save(update_fields=["body", "body_html", "edited_at"])
        search_text_refresh(locked.idea_id)
    return locked


def comment_delete(*, actor: Membership, comment: Comment) -> Comment:
    """The author removes their comment: the words go, a "removed by its author" note stays in the thread."""
    same_partnership(actor, comment.idea)
    require_rule("voice.change_comment", actor, comment)
    with transaction.atomic(durable=True):
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        if locked.deleted_at is None:
            locked.deleted_at = timezone.now()
            locked.body = locked.body_html = ""
            locked.save(update_fields=["deleted_at", "body", "body_html"])
            Idea.objects.filter(pk=locked.idea_id).update(comment_count=F("comment_count") - 1)
            search_text_refresh(locked.idea_id)
    return locked
