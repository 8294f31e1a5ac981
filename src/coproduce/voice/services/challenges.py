"""Challenges: the questions a partnership asks its people."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.audit import audit_record
from coproduce.core.exceptions import ServiceError
from coproduce.core.guards import same_partnership, text_checked
from coproduce.core.permissions import require_rule
from coproduce.core.richtext import render_markdown
from coproduce.partnerships.models import Membership
from coproduce.voice.models import BODY_MAX, TITLE_MAX, Challenge

# --- Challenges -------------------------------------------------------------------------------


def _challenge_fields(title: str, body: str, closes_at: datetime | None) -> tuple[str, str, datetime | None]:
    title = text_checked(
        title,
        field="title",
        max_length=TITLE_MAX,
        required=_("Enter the question."),
        too_long=_("The question must be %(max)d characters or fewer."),
    )
    body = (body or "").strip()
    if len(body) > BODY_MAX:
        raise ServiceError(_("The description must be %(max)d characters or fewer.") % {"max": BODY_MAX}, field="body")
    if closes_at is not None and closes_at <= timezone.now():
        raise ServiceError(_("The closing date must be in the future."), field="closes_at")
    return title, body, closes_at


def challenge_create(
    *,
    actor: Membership,
    title: str,
    body: str = "",
    closes_at: datetime | None = None,
) -> Challenge:
    require_rule("voice.add_challenge", actor)
    title, body, closes_at = _challenge_fields(title, body, closes_at)
    with transaction.atomic(durable=True):
        challenge = Challenge.objects.create(
            partnership_id=actor.partnership_id,
            title=title,
            body=body,
            body_html=render_markdown(body),
            created_by=actor.user,
            closes_at=closes_at,
        )
        audit_record(
            actor=actor.user,
            action="voice.challenge_created",
            partnership_id=actor.partnership_id,
            target=challenge,
        )
    return challenge


def challenge_update(
    *,
    actor: Membership,
    challenge: Challenge,
    title: str,
    body: str = "",
    closes_at: datetime | None = None,
) -> Challenge:
    same_partnership(actor, challenge)
    require_rule("voice.change_challenge", actor, challenge)
    title, body, closes_at = _challenge_fields(title, body, closes_at)
    with transaction.atomic(durable=True):
        locked = Challenge.objects.select_for_update().get(pk=challenge.pk)
        locked.title, locked.body, locked.body_html, locked.closes_at = title, body, render_markdown(body), closes_at
        locked.save(update_fields=["title", "body", "body_html", "closes_at"])
        audit_record(
            actor=actor.user,
            action="voice.challenge_changed",
            partnership_id=actor.partnership_id,
            target=locked,
        )
    return locked
