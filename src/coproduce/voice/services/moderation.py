"""Flags and moderation: flagging an idea or comment, hiding and showing it, dismissing a flag."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.audit import audit_record
from coproduce.core.exceptions import NotPermitted
from coproduce.core.guards import same_partnership, text_checked
from coproduce.core.permissions import require_rule
from coproduce.partnerships.models import Membership
from coproduce.voice.models import REASON_MAX, Comment, Flag, Idea
from coproduce.voice.services._common import notify, search_text_refresh

# --- Flags and moderation ---------------------------------------------------------------------


def _reason(reason: str) -> str:
    return text_checked(
        reason,
        field="reason",
        max_length=REASON_MAX,
        required=_("Say why, so the coordinator knows what to look at."),
        too_long=_("The reason must be %(max)d characters or fewer."),
    )


def flag_create(
    *,
    actor: Membership,
    reason: str,
    idea: Idea | None = None,
    comment: Comment | None = None,
) -> Flag:
    require_rule("voice.flag", actor)
    target_idea = idea if idea is not None else (comment.idea if comment is not None else None)
    same_partnership(actor, target_idea)
    reason = _reason(reason)
    with transaction.atomic(durable=True):
        existing = Flag.objects.filter(
            flagged_by=actor.user, idea=idea, comment=comment, resolved_at__isnull=True
        ).first()
        if existing is not None:
            return existing  # flagging twice changes nothing
        flag = Flag.objects.create(
            partnership_id=actor.partnership_id, idea=idea, comment=comment, flagged_by=actor.user, reason=reason
        )
        audit_record(
            actor=actor.user,
            action="voice.flagged",
            partnership_id=actor.partnership_id,
            target=flag,
            target_label=target_idea.title if idea else f"comment on “{target_idea.title}”",  # type: ignore[union-attr]
        )
    return flag


def moderation_set_hidden(
    *,
    actor: Membership,
    hidden: bool,
    reason: str,
    idea: Idea | None = None,
    comment: Comment | None = None,
) -> Idea | Comment:
    """Hide or restore an idea or comment, with a reason its author sees. Resolves open flags on it."""
    require_rule("voice.moderate", actor)
    target_idea = idea if idea is not None else (comment.idea if comment is not None else None)
    same_partnership(actor, target_idea)
    reason = _reason(reason)
    model = Idea if idea is not None else Comment
    target = idea if idea is not None else comment
    now = timezone.now()
    with transaction.atomic(durable=True):
        locked = model.objects.select_for_update().get(pk=target.pk)  # type: ignore[union-attr]
        locked.hidden_at = now if hidden else None
        locked.hidden_reason = reason
        locked.save(update_fields=["hidden_at", "hidden_reason"])
        if comment is not None:
            search_text_refresh(comment.idea_id)
        Flag.objects.filter(idea=idea, comment=comment, resolved_at__isnull=True).update(
            resolved_at=now, resolved_by=actor.user, outcome="hidden" if hidden else "kept"
        )
        audit_record(
            actor=actor.user,
            action="voice.hidden" if hidden else "voice.restored",
            partnership_id=actor.partnership_id,
            target=locked,
            target_label=(idea.title if idea else f"comment on “{comment.idea.title}”"),  # type: ignore[union-attr]
            detail={"reason": reason},
        )
        if locked.author_id and locked.author_id != actor.user_id:
            what = _("your idea") if idea else _("your comment")
            text = (
                _("A coordinator hid %(what)s: %(reason)s")
                if hidden
                else _("A coordinator restored %(what)s: %(reason)s")
            )
            notify(
                users={locked.author_id},
                partnership_id=actor.partnership_id,
                kind="voice.moderation",
                idea=target_idea,
                text=text % {"what": what, "reason": reason},
            )
    return locked


def flag_dismiss(*, actor: Membership, flag: Flag) -> Flag:
    require_rule("voice.moderate", actor)
    if flag.partnership_id != actor.partnership_id:
        raise NotPermitted()
    with transaction.atomic(durable=True):
        locked = Flag.objects.select_for_update().get(pk=flag.pk)
        if locked.resolved_at is None:
            locked.resolved_at, locked.resolved_by, locked.outcome = timezone.now(), actor.user, "kept"
            locked.save(update_fields=["resolved_at", "resolved_by", "outcome"])
            audit_record(
                actor=actor.user,
                action="voice.flag_dismissed",
                partnership_id=actor.partnership_id,
                target=locked,
            )
    return locked
