"""Ideas: posting, editing and withdrawing one, supporting and following it."""

from __future__ import annotations

from datetime import datetime

import rules
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.audit import audit_record
from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.guards import same_partnership, text_checked
from coproduce.core.permissions import require_rule
from coproduce.core.richtext import render_markdown
from coproduce.notifications.api import notify
from coproduce.partnerships.assisted import Channel, assistance_check, assisted_notice, confirm_recorded
from coproduce.partnerships.models import Membership
from coproduce.voice.models import BODY_MAX, TITLE_MAX, Challenge, Follow, Idea, Support
from coproduce.voice.services._common import (
    RESUBMISSION_WINDOW,
    author_kind,
    search_text_refresh,
    visible_idea_for_update,
)

# --- Ideas ------------------------------------------------------------------------------------


def _idea_fields(title: str, body: str) -> tuple[str, str]:
    title = text_checked(
        title,
        field="title",
        max_length=TITLE_MAX,
        required=_("Enter a title for your idea."),
        too_long=_("The title must be %(max)d characters or fewer."),
    )
    body = text_checked(
        body,
        field="body",
        max_length=BODY_MAX,
        required=_("Describe your idea."),
        too_long=_("Your idea must be %(max)d characters or fewer."),
    )
    return title, body


def _challenge_checked(actor: Membership, challenge: Challenge | None) -> None:
    if challenge is not None:
        same_partnership(actor, challenge)
        if not challenge.is_open:
            raise ServiceError(
                _("This challenge has closed, so it takes no new ideas."), field="challenge", code="closed"
            )


def _idea_made(
    *,
    author: Membership,
    title: str,
    body: str,
    challenge: Challenge | None,
    show_name: bool,
    now: datetime,
    recorded_by: Membership | None = None,
) -> tuple[Idea, bool]:
    """Her idea, made once: the same idea sent again within the resubmission window (a double tap, a resend
    after a slow answer) gives back the first one. Call it in a transaction with her membership row locked,
    so that her submissions are made one at a time. The second value says whether it is new."""
    same = (
        Idea.objects.filter(
            partnership_id=author.partnership_id,
            author=author.user,
            title=title,
            body=body,
            challenge=challenge,
            created_at__gte=now - RESUBMISSION_WINDOW,
            withdrawn_at__isnull=True,
        )
        .order_by("-created_at")
        .first()
    )
    if same is not None:
        return same, False
    idea = Idea.objects.create(
        partnership_id=author.partnership_id,
        challenge=challenge,
        author=author.user,
        author_kind=author_kind(author),
        show_name=show_name,
        title=title,
        body=body,
        body_html=render_markdown(body),
        search_text=f"{title}\n{body}",
        created_at=now,
        last_activity_at=now,
        **({"channel": Channel.ASSISTED, "recorded_by": recorded_by.user} if recorded_by is not None else {}),
    )
    Follow.objects.create(idea=idea, user=author.user)
    return idea, True


def idea_create(
    *,
    actor: Membership,
    title: str,
    body: str,
    challenge: Challenge | None = None,
    show_name: bool = True,
) -> Idea:
    require_rule("voice.add_idea", actor)
    title, body = _idea_fields(title, body)
    _challenge_checked(actor, challenge)
    now = timezone.now()
    with transaction.atomic(durable=True):
        Membership.objects.select_for_update().filter(pk=actor.pk).first()
        idea, _new = _idea_made(author=actor, title=title, body=body, challenge=challenge, show_name=show_name, now=now)
    return idea


def idea_update(*, actor: Membership, idea: Idea, title: str, body: str, show_name: bool) -> Idea:
    same_partnership(actor, idea)
    title, body = _idea_fields(title, body)
    with transaction.atomic(durable=True):
        locked = Idea.objects.select_for_update().get(pk=idea.pk)
        if not rules.test_rule("voice.change_idea", actor, locked):
            if rules.test_rule("voice.withdraw_idea", actor, locked):
                raise ServiceError(
                    _("Ideas can be changed for 24 hours after posting, until the partnership responds."),
                    code="edit_window_closed",
                )
            raise NotPermitted()
        locked.title, locked.body, locked.body_html = title, body, render_markdown(body)
        locked.show_name = show_name
        locked.edited_at = timezone.now()
        fields = ["title", "body", "body_html", "show_name", "edited_at"]
        if locked.channel != Channel.SELF:
            # Recorded with her, now changed by her: it is in her own words (``recorded_by`` keeps who first
            # recorded it, and the audit log says she changed it).
            locked.channel, locked.confirmed_at = Channel.SELF, locked.edited_at
            fields += ["channel", "confirmed_at"]
            audit_record(
                actor=actor.user,
                action="voice.assisted_idea_changed",
                partnership_id=actor.partnership_id,
                target=locked,
            )
        locked.save(update_fields=fields)
        search_text_refresh(locked.pk)
    return locked


def idea_record_with(
    *,
    actor: Membership,
    member: Membership,
    agreed: bool,
    title: str,
    body: str,
    challenge: Challenge | None = None,
    show_name: bool = True,
) -> Idea:
    """A worker or coordinator records an idea with a member who is present or on the phone and agreed: the
    member is its author, it is marked as recorded with a keyworker, and she is told so she can confirm or
    change it (partnerships/assisted.py)."""
    assistance_check(recorder=actor, member_membership=member, agreed=agreed)
    title, body = _idea_fields(title, body)
    _challenge_checked(actor, challenge)
    now = timezone.now()
    with transaction.atomic(durable=True):
        # Her row locked and read afresh: a switch turned off a moment ago is honoured.
        locked_member = Membership.objects.select_for_update().select_related("user").get(pk=member.pk)
        assistance_check(recorder=actor, member_membership=locked_member, agreed=agreed)
        idea, new = _idea_made(
            author=locked_member,
            title=title,
            body=body,
            challenge=challenge,
            show_name=show_name,
            now=now,
            recorded_by=actor,
        )
        if not new:
            return idea
        audit_record(
            actor=actor.user,
            action="voice.idea_recorded_with",
            partnership_id=actor.partnership_id,
            target=idea,
            detail={"member": member.user.name},
        )
        notify(
            **assisted_notice(
                member_membership=member, recorder=actor, what=_("an idea"), subject_key=f"voice.idea:{idea.pk}"
            )
        )
    return idea


def idea_assisted_confirm(*, member: Membership, item_id: int) -> None:
    """She says an idea recorded with her is right: it stays marked as recorded with a keyworker, confirmed."""
    confirm_recorded(
        Idea.objects.filter(
            pk=item_id,
            partnership_id=member.partnership_id,
            author_id=member.user_id,
            confirmed_at__isnull=True,
            withdrawn_at__isnull=True,
        ).exclude(channel=Channel.SELF),
        then=lambda idea: audit_record(
            actor=member.user, action="voice.assisted_idea_confirmed", partnership_id=member.partnership_id, target=idea
        ),
    )


def idea_withdraw(*, actor: Membership, idea: Idea) -> Idea:
    same_partnership(actor, idea)
    require_rule("voice.withdraw_idea", actor, idea)
    with transaction.atomic(durable=True):
        locked = Idea.objects.select_for_update().get(pk=idea.pk)
        if locked.withdrawn_at is None:
            locked.withdrawn_at = timezone.now()
            locked.save(update_fields=["withdrawn_at"])
            audit_record(
                actor=actor.user,
                action="voice.idea_withdrawn",
                partnership_id=actor.partnership_id,
                target=locked,
            )
    return locked


def support_toggle(*, actor: Membership, idea: Idea, support: bool | None = None) -> bool:
    """Support or stop supporting. ``support`` says which (so a replayed request changes nothing);
    None flips. Returns whether the person supports the idea afterwards."""
    require_rule("voice.support", actor)
    with transaction.atomic(durable=True):
        locked = visible_idea_for_update(actor, idea)  # the row lock serialises toggles on one idea
        existing = Support.objects.filter(idea=locked, user_id=actor.user_id).first()
        wanted = (existing is None) if support is None else support
        if wanted and existing is None:
            Support.objects.create(idea=locked, user_id=actor.user_id, is_member=actor.is_member)
            Idea.objects.filter(pk=locked.pk).update(support_count=F("support_count") + 1)
        elif not wanted and existing is not None:
            existing.delete()
            Idea.objects.filter(pk=locked.pk).update(support_count=F("support_count") - 1)
    return wanted


def follow_toggle(*, actor: Membership, idea: Idea, follow: bool) -> bool:
    same_partnership(actor, idea)
    require_rule("voice.view", actor)
    with transaction.atomic(durable=True):
        if follow:
            Follow.objects.get_or_create(idea=idea, user=actor.user)
        else:
            Follow.objects.filter(idea=idea, user=actor.user).delete()
    return follow
