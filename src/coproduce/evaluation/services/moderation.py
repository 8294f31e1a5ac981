"""Moderating free text: a coordinator shows it to the service, with names and identifying details taken out
(``shown_text``; the parent's own words stay as she wrote them, for her alone), or keeps it back. The decision
can be changed. The audit names the remark, never its words."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.exceptions import NotPermitted
from coproduce.core.guards import text_checked
from coproduce.core.permissions import require_rule
from coproduce.evaluation.checks import text_flags
from coproduce.evaluation.models import TEXT_MAX, Remark
from coproduce.evaluation.services._common import audit
from coproduce.partnerships.models import Membership


def _locked(actor: Membership, remark_id: int) -> Remark:
    require_rule("evaluation.manage", actor)
    remark = (
        Remark.objects.select_for_update().filter(pk=remark_id, answer__partnership_id=actor.partnership_id).first()
    )
    if remark is None:
        raise NotPermitted()
    return remark


def remark_show(*, actor: Membership, remark_id: int, shown_text: str) -> Remark:
    """Show the remark to the service as ``shown_text``. ``ServiceError`` when it is empty or too long; the text
    shown may still look like it holds a phone number or email (``flags`` says so; the coordinator decided)."""
    shown_text = text_checked(
        shown_text,
        field="shown_text",
        max_length=TEXT_MAX,
        required=_("Write what the service will read (or keep it back instead)."),
    )
    with transaction.atomic(durable=True):
        remark = _locked(actor, remark_id)
        remark.status = Remark.Status.SHOWN
        remark.shown_text = shown_text
        remark.moderated_by = actor.user
        remark.moderated_at = timezone.now()
        remark.save(update_fields=["status", "shown_text", "moderated_by", "moderated_at"])
        audit(
            actor,
            "remark_shown",
            remark,
            partnership_id=actor.partnership_id,
            edited=shown_text != remark.text,
            still_flagged=text_flags(shown_text),
        )
    return remark


def remark_hide(*, actor: Membership, remark_id: int) -> Remark:
    """Keep the remark back from the service (it still counts nowhere: free text is not a figure)."""
    with transaction.atomic(durable=True):
        remark = _locked(actor, remark_id)
        remark.status = Remark.Status.HIDDEN
        remark.shown_text = ""
        remark.moderated_by = actor.user
        remark.moderated_at = timezone.now()
        remark.save(update_fields=["status", "shown_text", "moderated_by", "moderated_at"])
        audit(actor, "remark_hidden", remark, partnership_id=actor.partnership_id)
    return remark
