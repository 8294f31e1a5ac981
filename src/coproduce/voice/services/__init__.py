"""Every write in voice: keyword-only, the acting membership first, permission checked, one
transaction, an audit event where it matters, notifications and emails enqueued on commit.

``response_record`` is the service other capabilities call when an idea becomes something (a test of
change, a fund proposal, a conversation statement), so the person who had the idea sees what became of it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import rules
from django.conf import settings
from django.db import transaction
from django.db.models import F, TextField, Value
from django.db.models.functions import Concat
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.audit import audit_record
from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.guards import same_partnership, text_checked
from coproduce.core.links import link_target
from coproduce.core.outbox import queue_email
from coproduce.core.permissions import require_rule
from coproduce.core.richtext import render_markdown
from coproduce.partnerships.models import Membership
from coproduce.voice.models import (
    BODY_MAX,
    COMMENT_MAX,
    REASON_MAX,
    TITLE_MAX,
    Challenge,
    Comment,
    DigestPreference,
    Flag,
    Follow,
    Idea,
    Notification,
    Response,
    Support,
)

# A response's link goes to a page of this site ("/p/riverside/tests/4/") or to a web address
# ("https://…"): the rule for every link made from data is coproduce.core.links.link_target.
LINK_MAX = 500
# The same idea or comment from the same person within this time is one sent twice: it is posted once.
RESUBMISSION_WINDOW = timedelta(minutes=10)


def safe_link(value: str) -> str:
    """``value`` stripped when it is a same-site path or an http(s) address; "" when empty.
    Raises ServiceError (field ``link_url``) for anything else (the rule is ``core.links.link_target``)."""
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) > LINK_MAX:
        raise ServiceError(
            _("The link must be %(max)d characters or fewer.") % {"max": LINK_MAX}, field="link_url", code="too_long"
        )
    if not link_target(value):
        raise ServiceError(
            _("A link must be a page on this site starting with a single / or a web address starting with https://."),
            field="link_url",
            code="unsafe_link",
        )
    return value


def _author_kind(membership: Membership) -> str:
    if membership.is_member:
        return Idea.AuthorKind.MEMBER
    if membership.is_staff_role:
        return Idea.AuthorKind.STAFF
    return Idea.AuthorKind.OBSERVER


def _visible_idea_for_update(membership: Membership, idea: Idea) -> Idea:
    same_partnership(membership, idea)
    locked = Idea.objects.select_for_update().get(pk=idea.pk)
    if locked.withdrawn_at is not None:
        raise ServiceError(_("This idea has been withdrawn by its author."), code="withdrawn")
    if locked.hidden_at is not None:
        raise ServiceError(_("This idea has been hidden by a coordinator."), code="hidden")
    return locked


# --- Search text ------------------------------------------------------------------------------


def search_text_refresh(idea_id: int) -> None:
    """Rebuild what search reads for an idea from its title, its text and its visible comments (not removed,
    not hidden): a removed or hidden comment's words must not make the idea turn up in a search."""
    title, body = Idea.objects.filter(pk=idea_id).values_list("title", "body").get()
    comments = Comment.objects.filter(idea_id=idea_id, deleted_at__isnull=True, hidden_at__isnull=True)
    words = "\n".join([title, body, *comments.order_by("created_at", "id").values_list("body", flat=True)])
    Idea.objects.filter(pk=idea_id).update(search_text=words)


# --- Notifications ----------------------------------------------------------------------------


def _notify(*, users: set[int], partnership_id: int, kind: str, idea: Idea | None, text: str) -> None:
    if not users:
        return
    Notification.objects.bulk_create(
        [
            Notification(user_id=user_id, partnership_id=partnership_id, kind=kind, idea=idea, text=text[:300])
            for user_id in sorted(users)
        ]
    )
    user_ids = sorted(users)
    transaction.on_commit(lambda: digests_schedule(user_ids=user_ids))


def _idea_audience(idea: Idea, *, exclude: int | None) -> set[int]:
    """The author and the followers of an idea, except the person acting."""
    people = set(Follow.objects.filter(idea=idea).values_list("user_id", flat=True))
    if idea.author_id:
        people.add(idea.author_id)
    people.discard(exclude)  # type: ignore[arg-type]
    return people


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
    if challenge is not None:
        same_partnership(actor, challenge)
        if not challenge.is_open:
            raise ServiceError(
                _("This challenge has closed, so it takes no new ideas."), field="challenge", code="closed"
            )
    now = timezone.now()
    with transaction.atomic(durable=True):
        # One person's submissions one at a time, so that a form sent twice (a double tap, a resend after a
        # slow answer) finds the idea the first one made and gives it back instead of posting it again.
        Membership.objects.select_for_update().filter(pk=actor.pk).first()
        same = (
            Idea.objects.filter(
                partnership_id=actor.partnership_id,
                author=actor.user,
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
            return same
        idea = Idea.objects.create(
            partnership_id=actor.partnership_id,
            challenge=challenge,
            author=actor.user,
            author_kind=_author_kind(actor),
            show_name=show_name,
            title=title,
            body=body,
            body_html=render_markdown(body),
            search_text=f"{title}\n{body}",
            created_at=now,
            last_activity_at=now,
        )
        Follow.objects.create(idea=idea, user=actor.user)
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
        locked.save(update_fields=["title", "body", "body_html", "show_name", "edited_at"])
        search_text_refresh(locked.pk)
    return locked


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
        locked = _visible_idea_for_update(actor, idea)  # the row lock serialises toggles on one idea
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
        locked = _visible_idea_for_update(actor, idea)
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
            author_kind=_author_kind(actor),
            body=body,
            body_html=render_markdown(body),
            created_at=now,
        )
        Idea.objects.filter(pk=locked.pk).update(
            comment_count=F("comment_count") + 1,
            last_activity_at=now,
            search_text=Concat(F("search_text"), Value(f"\n{body}"), output_field=TextField()),
        )
        _notify(
            users=_idea_audience(locked, exclude=actor.user_id),
            partnership_id=actor.partnership_id,
            kind=Notification.Kind.COMMENT,
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
            _notify(
                users={locked.author_id},
                partnership_id=actor.partnership_id,
                kind=Notification.Kind.MODERATION,
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


# --- Status and responses ---------------------------------------------------------------------


def _record_response(
    *,
    actor: Membership,
    idea: Idea,
    status: str,
    text: str,
    link_url: str,
    link_label: str,
    source: str,
) -> Response:
    if status not in Idea.Status.values or status == Idea.Status.NEW:
        raise ServiceError(_("Choose what is happening with the idea."), field="status")
    text = text_checked(
        text,
        field="text",
        max_length=BODY_MAX,
        required=(
            _("Give the reason it is not being taken forward.")
            if status == Idea.Status.NOT_TAKEN_FORWARD
            else _("Write the response people will see.")
        ),
        too_long=_("The response must be %(max)d characters or fewer."),
    )
    link_url = safe_link(link_url)
    locked = _visible_idea_for_update(actor, idea)
    now = timezone.now()
    response = Response.objects.create(
        idea=locked,
        status=status,
        previous_status=locked.status,
        text=text,
        text_html=render_markdown(text),
        link_url=link_url,
        link_label=(link_label or "").strip()[:200],
        source=source,
        created_by=actor.user,
        created_at=now,
    )
    locked.status = status
    locked.last_activity_at = now
    if locked.first_response_at is None:
        locked.first_response_at = now
    locked.save(update_fields=["status", "last_activity_at", "first_response_at"])
    audit_record(
        actor=actor.user,
        action="voice.responded",
        partnership_id=actor.partnership_id,
        target=locked,
        detail={"status": status, "previous": response.previous_status, "source": source},
    )
    _notify(
        users=_idea_audience(locked, exclude=actor.user_id),
        partnership_id=actor.partnership_id,
        kind=Notification.Kind.RESPONSE,
        idea=locked,
        text=_("The partnership responded to “%(title)s”: %(status)s")
        % {"title": locked.title, "status": Idea.Status(status).label},
    )
    return response


def idea_respond(
    *,
    actor: Membership,
    idea: Idea,
    status: str,
    text: str,
    link_url: str = "",
    link_label: str = "",
) -> Response:
    """A coordinator moves an idea on, with a public response (a reason when not taken forward)."""
    require_rule("voice.respond", actor)
    same_partnership(actor, idea)
    with transaction.atomic(durable=True):
        return _record_response(
            actor=actor,
            idea=idea,
            status=status,
            text=text,
            link_url=link_url,
            link_label=link_label,
            source="voice",
        )


def response_record(
    *,
    actor: Membership,
    idea: Idea,
    text: str,
    link_url: str,
    link_label: str,
    source: str,
    status: str = Idea.Status.IN_PROGRESS,
) -> Response:
    """For other capabilities: record that an idea became something, with a link to it.

    The calling service has already checked that ``actor`` may create that thing; this checks only that
    the idea is in the same partnership and still visible. Call it inside the caller's transaction."""
    same_partnership(actor, idea)
    # Not durable: it always runs inside the calling service's transaction (a savepoint there), so that the
    # response and the thing it links to are committed together or not at all.
    with transaction.atomic():
        return _record_response(
            actor=actor,
            idea=idea,
            status=status,
            text=text,
            link_url=link_url,
            link_label=link_label,
            source=source,
        )


# --- Notifications ----------------------------------------------------------------------------


def notifications_mark_read(*, actor: Membership) -> int:
    return Notification.objects.filter(
        user=actor.user, partnership_id=actor.partnership_id, read_at__isnull=True
    ).update(read_at=timezone.now())


def digest_preference_set(*, actor: Membership, frequency: str) -> DigestPreference:
    if frequency not in DigestPreference.Frequency.values:
        raise ServiceError(_("Choose how often to get emails."), field="frequency")
    preference, _created = DigestPreference.objects.update_or_create(user=actor.user, defaults={"frequency": frequency})
    return preference


# --- Email digests ----------------------------------------------------------------------------

DIGEST_PERIODS = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}


def digests_schedule(*, user_ids: list[int]) -> None:
    """Make sure each person who wants a digest has one task (``tasks.send_digest``) waiting for their next
    due time."""
    from coproduce.voice.tasks import send_digest

    now = timezone.now()
    for preference in DigestPreference.objects.filter(user_id__in=user_ids, frequency__in=list(DIGEST_PERIODS)):
        if preference.next_due_at is not None and preference.next_due_at > now - timedelta(hours=1):
            continue  # one is already waiting
        period = DIGEST_PERIODS[preference.frequency]
        due = max(now, (preference.last_sent_at or now - period) + period)
        DigestPreference.objects.filter(pk=preference.pk).update(next_due_at=due)
        send_digest.using(run_after=due).enqueue(preference.user_id)


def digest_send(*, user_id: int) -> int:
    """Email the person's unemailed notifications, if their digest is due. Returns how many were sent.
    Safe to run again: the notifications are marked emailed, and the email queued (core.outbox), in one
    transaction, so a second run finds nothing to send."""
    now = timezone.now()
    with transaction.atomic(durable=True):
        preference = DigestPreference.objects.select_for_update().filter(user_id=user_id).select_related("user").first()
        if preference is None or preference.frequency not in DIGEST_PERIODS:
            return 0
        period = DIGEST_PERIODS[preference.frequency]
        if preference.last_sent_at is not None and now < preference.last_sent_at + period - timedelta(minutes=5):
            return 0  # too early: the task that is due later will send
        notifications = list(
            Notification.objects.filter(user_id=user_id, emailed_at__isnull=True, read_at__isnull=True)
            .select_related("partnership", "idea")
            .order_by("created_at")[:100]
        )
        preference.next_due_at = None
        if notifications:
            preference.last_sent_at = now
        preference.save(update_fields=["next_due_at", "last_sent_at"])
        if not notifications:
            return 0
        Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(emailed_at=now)
        context = {
            "notifications": notifications,
            "site_url": settings.COPRODUCE_SITE_URL.rstrip("/"),
            "frequency": preference.get_frequency_display(),
        }
        queue_email(
            kind="voice.digest",
            to=[preference.user.email],
            subject=render_to_string("voice/email/digest_subject.txt", context).strip(),
            body=render_to_string("voice/email/digest_body.txt", context),
        )
    return len(notifications)
