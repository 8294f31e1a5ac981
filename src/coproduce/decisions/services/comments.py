"""The discussion beside a decision."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.exceptions import ServiceError
from coproduce.core.guards import same_partnership, text_checked
from coproduce.core.permissions import require_rule
from coproduce.core.richtext import render_markdown
from coproduce.decisions.models import COMMENT_MAX, Decision, DecisionComment
from coproduce.decisions.services._common import audit
from coproduce.partnerships.models import Membership


def comment_add(*, actor: Membership, decision: Decision, body: str) -> DecisionComment:
    """Add to the discussion (open or closed: people may still talk about what was decided)."""
    same_partnership(actor, decision)
    require_rule("decisions.comment", actor, decision)
    body = text_checked(body, field="body", max_length=COMMENT_MAX, required=_("Write your comment."))
    with transaction.atomic(durable=True):
        comment = DecisionComment.objects.create(
            decision=decision, author=actor.user, body=body, body_html=render_markdown(body)
        )
        audit(actor, "comment_added", decision)
    return comment


def comment_hide(*, actor: Membership, comment: DecisionComment) -> DecisionComment:
    """A coordinator hides a comment from the discussion (kept, for the record)."""
    decision = comment.decision
    same_partnership(actor, decision)
    require_rule("decisions.hide_comment", actor, decision)
    with transaction.atomic(durable=True):
        locked = DecisionComment.objects.select_for_update().get(pk=comment.pk)
        if locked.hidden_at is not None:
            raise ServiceError(_("This comment is already hidden."), code="hidden")
        locked.hidden_at = timezone.now()
        locked.hidden_by = actor.user
        locked.save(update_fields=["hidden_at", "hidden_by"])
        audit(actor, "comment_hidden", decision, comment=locked.pk)
    return locked
