"""Every write of the learning log: keyword-only, the acting membership first, permission checked, one durable
transaction with the entry locked, an audit event, and the notices (a named parent asked to agree; the people
writing the entry told of her answer). Bad input raises ``ServiceError`` naming the field, before anything is
saved.

An entry is a draft until its writers ask the parents named in it; it is published when every one of them
has agreed (at once if it names nobody). A parent who says no, or takes back her agreement later, sends it
back to draft. Changing an entry sends it back to draft too, and clears the answers: the parents agreed to
the words they read."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.audit import audit_record
from coproduce.core.exceptions import ServiceError
from coproduce.core.guards import same_partnership, text_checked
from coproduce.core.permissions import require_rule
from coproduce.core.richtext import render_markdown
from coproduce.decisions import api as decisions_api
from coproduce.improvement import api as improvement_api
from coproduce.learning.models import LOG_TEXT_MAX, LOG_TITLE_MAX, Event, LogConsent, LogEntry, LogLink
from coproduce.learning.rules import TAKES_PART, co_author_ids, named_ids
from coproduce.notifications.api import notices_done, notify
from coproduce.partnerships.models import Membership
from coproduce.voice import api as voice_api

ASKED = "learning.log_consent_asked"
ANSWERED = "learning.log_answered"


@dataclass
class LogFields:
    """What an entry's form gives: its words, and the ids of what it is linked to."""

    title: str
    what_we_tried: str
    what_we_learned: str
    what_next: str
    event_id: int | None = None
    co_author_ids: list[int] = field(default_factory=list)
    named_parent_ids: list[int] = field(default_factory=list)
    idea_ids: list[int] = field(default_factory=list)
    test_ids: list[int] = field(default_factory=list)
    decision_id: int | None = None


@dataclass
class _Checked:
    texts: dict[str, str]
    event: Event | None
    co_authors: set[int]
    named: set[int]
    links: set[tuple[str, int]]


def _audit(actor: Membership, action: str, entry: LogEntry, **detail: Any) -> None:
    audit_record(
        actor=actor.user,
        action=f"learning.{action}",
        partnership_id=actor.partnership_id,
        target=entry,
        detail=detail or None,
    )


def _people(actor: Membership, ids: Iterable[int], *, members_only: bool, field_name: str, message: str) -> set[int]:
    wanted = set(ids)
    found = Membership.objects.filter(partnership_id=actor.partnership_id, user_id__in=wanted)
    found = found.filter(is_member=True) if members_only else found.filter(TAKES_PART)
    known = set(found.values_list("user_id", flat=True))
    if wanted - known:
        raise ServiceError(message, field=field_name)
    return known


def _checked(actor: Membership, fields: LogFields) -> _Checked:
    texts = {
        "title": text_checked(
            fields.title, field="title", max_length=LOG_TITLE_MAX, required=_("Give the entry a title.")
        ),
        "what_we_tried": text_checked(
            fields.what_we_tried, field="what_we_tried", max_length=LOG_TEXT_MAX, required=_("Say what you tried.")
        ),
        "what_we_learned": text_checked(
            fields.what_we_learned,
            field="what_we_learned",
            max_length=LOG_TEXT_MAX,
            required=_("Say what you learned."),
        ),
        "what_next": text_checked(
            fields.what_next, field="what_next", max_length=LOG_TEXT_MAX, required=_("Say what you will do next.")
        ),
    }
    event = None
    if fields.event_id is not None:
        event = Event.objects.filter(partnership_id=actor.partnership_id, pk=fields.event_id).first()
        if event is None:
            raise ServiceError(_("Choose one of the partnership's events."), field="event")
    co_authors = _people(
        actor,
        fields.co_author_ids,
        members_only=False,
        field_name="co_authors",
        message=_("Choose co-authors from the people in the partnership."),
    )
    co_authors.discard(actor.user_id)
    named = _people(
        actor,
        fields.named_parent_ids,
        members_only=True,
        field_name="named_parents",
        message=_("Only parents (members of the partnership) can be named here."),
    )
    links: set[tuple[str, int]] = set()
    for idea_id in fields.idea_ids:
        if voice_api.idea_visible_to(actor=actor, idea_id=idea_id) is None:
            raise ServiceError(_("Choose ideas you can see."), field="ideas")
        links.add((LogLink.Kind.IDEA, idea_id))
    for test_id in fields.test_ids:
        if improvement_api.test_visible_to(actor, test_id) is None:
            raise ServiceError(_("Choose tests of change you can see."), field="tests")
        links.add((LogLink.Kind.TEST, test_id))
    if fields.decision_id is not None:
        if decisions_api.decision_visible_to(actor, fields.decision_id) is None:
            raise ServiceError(_("Choose one of the partnership's decisions."), field="decision")
        links.add((LogLink.Kind.DECISION, fields.decision_id))
    return _Checked(texts=texts, event=event, co_authors=co_authors, named=named, links=links)


def _write(entry: LogEntry, checked: _Checked) -> None:
    for name, value in checked.texts.items():
        setattr(entry, name, value)
    entry.what_we_tried_html = render_markdown(entry.what_we_tried)
    entry.what_we_learned_html = render_markdown(entry.what_we_learned)
    entry.what_next_html = render_markdown(entry.what_next)
    entry.event = checked.event


def _relate(entry: LogEntry, checked: _Checked) -> None:
    entry.co_authors.set(checked.co_authors)
    LogConsent.objects.filter(entry=entry).exclude(user_id__in=checked.named).delete()
    LogConsent.objects.filter(entry=entry).update(agreed_at=None, declined_at=None, named_outside=False, asked_at=None)
    have = set(LogConsent.objects.filter(entry=entry).values_list("user_id", flat=True))
    LogConsent.objects.bulk_create([LogConsent(entry=entry, user_id=u) for u in sorted(checked.named - have)])
    LogLink.objects.filter(entry=entry).delete()
    LogLink.objects.bulk_create([LogLink(entry=entry, kind=k, target_id=t) for k, t in sorted(checked.links)])
    entry.co_author_ids = set(checked.co_authors)  # type: ignore[attr-defined]
    entry.named_ids = set(checked.named)  # type: ignore[attr-defined]


def log_entry_create(*, actor: Membership, fields: LogFields) -> LogEntry:
    """Start an entry, as a draft: its author is ``actor`` (the organiser of the session)."""
    require_rule("learning.log_add", actor)
    checked = _checked(actor, fields)
    with transaction.atomic(durable=True):
        entry = LogEntry(partnership_id=actor.partnership_id, author=actor.user)
        _write(entry, checked)
        entry.save()
        _relate(entry, checked)
        _audit(actor, "log_created", entry)
    return entry


def _locked(actor: Membership, entry: LogEntry, rule: str) -> LogEntry:
    same_partnership(actor, entry)
    require_rule(rule, actor, entry)
    return LogEntry.objects.select_for_update().get(pk=entry.pk)


def _subject(entry: LogEntry) -> str:
    return f"learning.log:{entry.pk}"


def _ask_subject(entry: LogEntry, user_id: int) -> str:
    # One a parent, so her answer clears her notice and nobody else's.
    return f"learning.log:{entry.pk}:ask:{user_id}"


def _asks_done(entry: LogEntry, user_ids: Iterable[int]) -> None:
    for user_id in user_ids:
        notices_done(partnership_id=entry.partnership_id, subject_key=_ask_subject(entry, user_id))


def log_entry_update(*, actor: Membership, entry: LogEntry, fields: LogFields) -> LogEntry:
    """Change an entry. It goes back to draft and every answer is cleared: the parents agreed to other words."""
    require_rule("learning.log_write", actor, entry)
    checked = _checked(actor, fields)
    with transaction.atomic(durable=True):
        locked = _locked(actor, entry, "learning.log_write")
        was = locked.status
        _write(locked, checked)
        locked.status, locked.published_at, locked.asked_at = LogEntry.Status.DRAFT, None, None
        locked.updated_at = timezone.now()
        locked.save()
        asked_before = set(named_ids(locked))
        _relate(locked, checked)
        _asks_done(locked, asked_before)
        _audit(actor, "log_changed", locked, was=was)
    return locked


def _writers(entry: LogEntry) -> set[int]:
    writers = set(co_author_ids(entry))
    if entry.author_id:
        writers.add(entry.author_id)
    return writers


def _url(actor: Membership, name: str, entry: LogEntry) -> str:
    return reverse(name, kwargs={"slug": actor.partnership.slug, "entry_id": entry.pk})


def _publish(locked: LogEntry, now: Any) -> None:
    locked.status, locked.published_at = LogEntry.Status.PUBLISHED, now


def log_entry_ask(*, actor: Membership, entry: LogEntry) -> LogEntry:
    """Ask the parents named in a draft to agree. With nobody named, it is published at once."""
    with transaction.atomic(durable=True):
        locked = _locked(actor, entry, "learning.log_write")
        if locked.status != LogEntry.Status.DRAFT:
            raise ServiceError(_("This entry is not a draft any more."), code="not_draft")
        now = timezone.now()
        locked.asked_at = now
        named = named_ids(locked)
        if named:
            locked.status = LogEntry.Status.WAITING
            LogConsent.objects.filter(entry=locked).update(asked_at=now, agreed_at=None, declined_at=None)
            text = _("You are named in the learning log entry “%(title)s”. Read it, then agree or say no.")
            for user_id in sorted(named):
                notify(
                    partnership_id=actor.partnership_id,
                    user_ids=[user_id],
                    kind=ASKED,
                    text=text % {"title": locked.title},
                    url=_url(actor, "learning:log-consent", locked),
                    subject_key=_ask_subject(locked, user_id),
                )
        else:
            _publish(locked, now)
        locked.save(update_fields=["status", "asked_at", "published_at"])
        _audit(actor, "log_asked" if named else "log_published", locked, named=len(named))
    return locked


def log_consent_answer(*, actor: Membership, entry: LogEntry, agree: bool, named_outside: bool = False) -> LogEntry:
    """A named parent's answer. When the last one agrees, the entry is published; a no (or agreement taken back
    after publishing) sends it back to draft. Either way the people writing it are told."""
    with transaction.atomic(durable=True):
        locked = _locked(actor, entry, "learning.log_answer")
        consent = LogConsent.objects.select_for_update().get(entry=locked, user_id=actor.user_id)
        if agree and locked.status == LogEntry.Status.PUBLISHED:
            # Already agreed: only whether her name may go on the case study changes.
            consent.named_outside = named_outside
            consent.save(update_fields=["named_outside"])
            _audit(actor, "log_agreed", locked)
            return locked
        now = timezone.now()
        if agree:
            consent.agreed_at, consent.declined_at, consent.named_outside = now, None, named_outside
        else:
            consent.agreed_at, consent.declined_at, consent.named_outside = None, now, False
        consent.save(update_fields=["agreed_at", "declined_at", "named_outside"])
        waiting = LogConsent.objects.filter(entry=locked, agreed_at__isnull=True).exists()
        if not agree:
            locked.status, locked.published_at = LogEntry.Status.DRAFT, None
            text = _("A parent named in “%(title)s” said no. It stays unpublished: change it, then ask again.")
        elif not waiting:
            _publish(locked, now)
            text = _("Everyone named in “%(title)s” agreed. It is published to the partnership.")
        else:
            text = _("A parent named in “%(title)s” agreed. It waits for the others.")
        locked.save(update_fields=["status", "published_at"])
        _asks_done(locked, [actor.user_id])
        notify(
            partnership_id=actor.partnership_id,
            user_ids=_writers(locked) - {actor.user_id},
            kind=ANSWERED,
            text=text % {"title": locked.title},
            url=_url(actor, "learning:log-entry", locked),
            subject_key=_subject(locked),
        )
        _audit(actor, "log_agreed" if agree else "log_declined", locked)
        if locked.status == LogEntry.Status.PUBLISHED and not waiting:
            _audit(actor, "log_published", locked)
    return locked


__all__ = [
    "ANSWERED",
    "ASKED",
    "LogFields",
    "log_consent_answer",
    "log_entry_ask",
    "log_entry_create",
    "log_entry_update",
]
