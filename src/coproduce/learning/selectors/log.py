"""Every read of the learning log, narrowed to what the person may see: published entries to everyone in the
partnership; drafts to their author and co-authors; entries waiting for consent also to the parents named in
them. A lookup of one entry raises ``NotPermitted`` (a 404) when it is missing or out of reach.

Links cross to the apps that hold them through their ``api`` modules, each narrowed to the reader: an idea,
test of change or decision the reader may not see is not shown."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy

from coproduce.core.exceptions import NotPermitted
from coproduce.decisions import api as decisions_api
from coproduce.improvement import api as improvement_api
from coproduce.learning.models import Event, EventKind, LogConsent, LogEntry, LogLink
from coproduce.learning.rules import co_author_ids, named_ids
from coproduce.partnerships.models import Membership
from coproduce.voice import api as voice_api

SEARCH_MAX = 100
FORMER_MEMBER = gettext_lazy("a former member")


def entries_visible_to(actor: Membership) -> QuerySet[LogEntry]:
    mine = Q(author_id=actor.user_id) | Q(co_authors=actor.user_id)
    asked = Q(consents__user_id=actor.user_id) & ~Q(status=LogEntry.Status.DRAFT)
    visible = LogEntry.objects.filter(partnership_id=actor.partnership_id).filter(
        Q(status=LogEntry.Status.PUBLISHED) | mine | asked
    )
    return LogEntry.objects.filter(pk__in=visible.values("pk"))


def entry_for(actor: Membership, entry_id: int) -> LogEntry:
    """The entry if ``actor`` may read it, with its co-authors' and named parents' ids loaded for the rules."""
    entry = entries_visible_to(actor).select_related("event", "author").filter(pk=entry_id).first()
    if entry is None:
        raise NotPermitted()
    co_author_ids(entry)
    named_ids(entry)
    return entry


def published_search(
    actor: Membership, *, query: str = "", kind: str = "", year: int | None = None
) -> QuerySet[LogEntry]:
    """Published entries whose title or texts contain ``query`` (any case), of events of ``kind`` and in
    ``year`` (the event's, or the publishing date's for an entry without an event)."""
    entries = LogEntry.objects.filter(partnership_id=actor.partnership_id, status=LogEntry.Status.PUBLISHED)
    query = " ".join(query.split())[:SEARCH_MAX]
    for word in query.split():
        entries = entries.filter(
            Q(title__icontains=word)
            | Q(what_we_tried__icontains=word)
            | Q(what_we_learned__icontains=word)
            | Q(what_next__icontains=word)
        )
    if kind:
        entries = entries.filter(event__kind=kind)
    if year:
        entries = entries.filter(Q(event__starts_at__year=year) | Q(event__isnull=True, published_at__year=year))
    return entries.select_related("event", "author").order_by("-published_at", "-id")


def years_with_entries(actor: Membership) -> list[int]:
    published = LogEntry.objects.filter(partnership_id=actor.partnership_id, status=LogEntry.Status.PUBLISHED)
    years = {d.year for d in published.dates("published_at", "year")}
    years |= {d.year for d in published.filter(event__isnull=False).dates("event__starts_at", "year")}
    return sorted(years, reverse=True)


KIND_CHOICES = EventKind.choices


def entries_i_write(actor: Membership) -> QuerySet[LogEntry]:
    """Drafts and entries waiting for consent that ``actor`` writes."""
    return (
        entries_visible_to(actor)
        .filter(Q(author_id=actor.user_id) | Q(co_authors=actor.user_id))
        .exclude(status=LogEntry.Status.PUBLISHED)
        .order_by("-updated_at", "-id")
    )


def entries_asking(actor: Membership) -> QuerySet[LogEntry]:
    """Entries waiting for ``actor``'s answer as a parent named in them."""
    return (
        LogEntry.objects.filter(
            partnership_id=actor.partnership_id,
            status=LogEntry.Status.WAITING,
            consents__user_id=actor.user_id,
            consents__agreed_at__isnull=True,
            consents__declined_at__isnull=True,
        )
        .order_by("-asked_at", "-id")
        .distinct()
    )


def consent_of(actor: Membership, entry: LogEntry) -> LogConsent | None:
    return LogConsent.objects.filter(entry=entry, user_id=actor.user_id).first()


@dataclass(frozen=True)
class Byline:
    author: str
    co_authors: list[str]
    former_co_authors: int


def byline(entry: LogEntry) -> Byline:
    names = list(entry.co_authors.order_by("display_name").values_list("display_name", flat=True))
    return Byline(
        author=entry.author.display_name if entry.author else str(FORMER_MEMBER),
        co_authors=names,
        former_co_authors=entry.former_co_authors,
    )


def consents(entry: LogEntry) -> list[LogConsent]:
    """Each named parent's answer, for the people writing the entry."""
    return list(entry.consents.select_related("user").order_by("user__display_name", "pk"))


def named_outside(entry: LogEntry) -> list[str]:
    """The names of the parents who agreed to be named on the case study shared outside the partnership."""
    return list(
        entry.consents.filter(agreed_at__isnull=False, named_outside=True)
        .order_by("user__display_name")
        .values_list("user__display_name", flat=True)
    )


@dataclass(frozen=True)
class Linked:
    kind: str
    id: int
    title: str


def links_for(actor: Membership, entry: LogEntry) -> dict[str, list[Linked]]:
    """What the entry touches that ``actor`` may see, by kind."""
    found: dict[str, list[Linked]] = {"idea": [], "test": [], "decision": []}
    for link in LogLink.objects.filter(entry=entry):
        title: str | None = None
        if link.kind == LogLink.Kind.IDEA:
            idea = voice_api.idea_visible_to(actor=actor, idea_id=link.target_id)
            title = idea.title if idea else None
        elif link.kind == LogLink.Kind.TEST:
            test = improvement_api.test_visible_to(actor, link.target_id)
            title = test.title if test else None
        elif link.kind == LogLink.Kind.DECISION:
            decision = decisions_api.decision_visible_to(actor, link.target_id)
            title = decision.title if decision else None
        if title is not None:
            found[link.kind].append(Linked(link.kind, link.target_id, title))
    return found


def linked_ids(entry: LogEntry) -> dict[str, list[int]]:
    ids: dict[str, list[int]] = {"idea": [], "test": [], "decision": []}
    for kind, target_id in entry.links.values_list("kind", "target_id"):
        ids[kind].append(target_id)
    return ids


def choices_for(actor: Membership) -> dict[str, Any]:
    """What an entry's form offers: the partnership's events, its people (co-authors take part; named
    parents are members), and the ideas, tests of change and decisions ``actor`` may link to."""
    people = Membership.objects.filter(partnership_id=actor.partnership_id).select_related("user")
    return {
        "events": [
            (e.pk, f"{e.title} ({e.starts_at:%d %b %Y})")
            for e in Event.objects.filter(partnership_id=actor.partnership_id, cancelled_at__isnull=True).order_by(
                "-starts_at"
            )[:200]
        ],
        "co_authors": [
            (m.user_id, m.user.display_name)
            for m in people.filter(
                Q(is_member=True) | Q(is_worker=True) | Q(is_coordinator=True) | Q(is_partner_lead=True)
            )
            .exclude(user_id=actor.user_id)
            .order_by("user__display_name")
        ],
        "named_parents": [
            (m.user_id, m.user.display_name) for m in people.filter(is_member=True).order_by("user__display_name")
        ],
        "ideas": [(i.pk, i.title) for i in voice_api.ideas_visible_to(actor=actor, include_hidden=False)[:200]],
        "tests": [(t.id, t.title) for t in improvement_api.tests_visible_to(actor)[:200]],
        "decisions": [(d.id, d.title) for d in decisions_api.decisions_visible_to(actor)[:200]],
    }
