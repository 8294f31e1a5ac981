"""Every read in voice, narrowed to what the acting person may see.

Withdrawn ideas are seen by nobody but their author; hidden ones by their author (with the reason) and
coordinators. Anonymous authors are never named to other members: templates call ``author_label``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from statistics import median
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Count, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from coproduce.core.exceptions import NotPermitted
from coproduce.core.prepared import PreparedQuery
from coproduce.partnerships.models import Membership
from coproduce.voice.models import Challenge, Comment, Flag, Follow, Idea, Response, Support

SORTS = {
    "newest": ("-created_at", "-id"),
    "supported": ("-support_count", "-created_at", "-id"),
    "active": ("-last_activity_at", "-id"),
}

LONG_COLUMNS = ("body", "body_html", "search_text")

# An idea everyone in its partnership sees: neither withdrawn by its author nor hidden by a coordinator. Only such
# an idea takes a response.
OPEN = Q(withdrawn_at__isnull=True, hidden_at__isnull=True)


def _ideas_seen(partnership_id: int, user_id: int, *, is_coordinator: bool) -> QuerySet[Idea]:
    qs = Idea.objects.filter(partnership_id=partnership_id)
    own = Q(author_id=user_id)
    visible = OPEN
    if is_coordinator:
        visible = Q(withdrawn_at__isnull=True)
    return qs.filter(visible | own)


def _idea_base(membership: Membership) -> QuerySet[Idea]:
    return _ideas_seen(membership.partnership_id, membership.user_id, is_coordinator=membership.is_coordinator)


def ideas_visible_to(
    membership: Membership,
    *,
    challenge_id: int | None = None,
    status: str | None = None,
    query: str = "",
    sort: str = "newest",
) -> QuerySet[Idea]:
    """The idea list, filtered, searched (title, text and comments; SQLite and PostgreSQL) and sorted."""
    qs = _idea_base(membership).filter(withdrawn_at__isnull=True)
    if challenge_id:
        qs = qs.filter(challenge_id=challenge_id)
    if status and status in Idea.Status.values:
        qs = qs.filter(status=status)
    query = " ".join(query.split())[:100]
    if query:
        qs = qs.filter(_search(query))
    # Lists show no idea's text: leave the long columns in the database.
    return qs.select_related("challenge", "author").defer(*LONG_COLUMNS).order_by(*SORTS.get(sort, SORTS["newest"]))


# On every home page: compiled once (core/prepared.py, ADR 14). Shape: (is the person a coordinator, how many).
RECENTLY_ACTIVE_IDEAS: PreparedQuery[Idea] = PreparedQuery(
    lambda shape, partnership_id, user_id: (
        _ideas_seen(partnership_id, user_id, is_coordinator=shape[0])
        .filter(withdrawn_at__isnull=True)
        .only("id", "title", "language", "status")
        .order_by(*SORTS["active"])[: shape[1]]
    )
)


def recently_active_ideas(membership: Membership, *, limit: int = 3) -> list[Idea]:
    """The ideas most recently active, as the idea list sorted by activity shows them, with only what a
    short list of links needs (for the home page)."""
    return RECENTLY_ACTIVE_IDEAS(
        (membership.is_coordinator, limit), partnership_id=membership.partnership_id, user_id=membership.user_id
    )


# Words in a search: letters and digits only (so they are safe in a PostgreSQL tsquery), at most ten.
SEARCH_WORD = re.compile(r"[^\W_]+")


def _search(query: str) -> Q:
    """Ideas whose title or text, or one of whose visible comments, contain what was searched for. All read
    ``Idea.search_text``, which the services keep (so a search reads one table, not 100 000 comments).

    On PostgreSQL: full-text search with the "simple" configuration (no stemming, any language), every word
    required and each matched as the start of a word ("child" finds "childcare"), read from the stored,
    GIN-indexed tsvector of migration 0002. Elsewhere (SQLite): every word anywhere in the text
    (case-insensitive). A search with no letter or digit in it looks for the text as typed."""
    words = SEARCH_WORD.findall(query)[:10]
    if connection.vendor == "postgresql" and words:
        # "search_vector" is the stored tsvector of search_text that migration 0002 adds on PostgreSQL.
        tsquery = " & ".join(f"{word}:*" for word in words)  # letters and digits only: valid tsquery syntax
        matches = RawSQL(
            '"voice_idea"."search_vector" @@ to_tsquery(\'simple\'::regconfig, %s)',
            (tsquery,),
            output_field=BooleanField(),
        )
        return Q(matches)
    if not words:
        return Q(search_text__icontains=query)
    found = Q()
    for word in words:
        found &= Q(search_text__icontains=word)
    return found


def idea_for(membership: Membership, idea_id: int) -> Idea:
    """An idea this person sees on its own page (see ``_idea_base``); else ``NotPermitted``."""
    found = _idea_base(membership).select_related("challenge", "author").filter(pk=idea_id).first()
    if found is None:
        raise NotPermitted()
    return found


def open_ideas(partnership_id: int) -> QuerySet[Idea]:
    """The partnership's ideas that everyone in it sees and that take a response (``OPEN``)."""
    return Idea.objects.filter(OPEN, partnership_id=partnership_id)


def supported_idea_ids(membership: Membership, idea_ids: list[int]) -> set[int]:
    return set(
        Support.objects.filter(user_id=membership.user_id, idea_id__in=idea_ids).values_list("idea_id", flat=True)
    )


def is_following(membership: Membership, idea: Idea) -> bool:
    return Follow.objects.filter(user_id=membership.user_id, idea=idea).exists()


def comment_threads(idea: Idea) -> QuerySet[Comment]:
    """The idea's top-level comments, oldest first, each with its replies (one level) in ``thread``, for a caller
    that takes them a page at a time. Pass what it reads through ``comments_shown_to`` before showing it."""
    replies = Comment.objects.filter(parent__isnull=False).select_related("author").order_by("created_at", "id")
    return (
        Comment.objects.filter(idea=idea, parent__isnull=True)
        .select_related("author")
        .prefetch_related(Prefetch("replies", queryset=replies, to_attr="thread"))
        .order_by("created_at", "id")
    )


def comments_for(membership: Membership, idea: Idea) -> list[Comment]:
    """Top-level comments with their replies (one level) in ``thread``, oldest first. Removed and hidden comments stay
    as placeholders so a thread still reads; their words are not passed to anyone but their author."""
    return comments_shown_to(membership, idea, list(comment_threads(idea)))


def comments_shown_to(membership: Membership, idea: Idea, threads: list[Comment]) -> list[Comment]:
    """``threads`` (from ``comment_threads``) as this person may read them: the words of a removed or hidden comment
    are taken out for everyone but its author, and each comment knows its idea (for ``author_label``)."""
    for comment in threads:
        for item in [comment, *comment.thread]:  # type: ignore[attr-defined]
            item.idea = idea  # for author_label, without a query per comment
            if (item.deleted_at or item.hidden_at) and item.author_id != membership.user_id:
                item.body = item.body_html = ""
    return threads


def comment_for(membership: Membership, comment_id: int) -> Comment:
    """A comment on an idea this person sees; else ``NotPermitted``."""
    comment = (
        Comment.objects.select_related("idea", "author")
        .filter(pk=comment_id, idea__partnership_id=membership.partnership_id)
        .first()
    )
    if comment is None:
        raise NotPermitted()
    idea_for(membership, comment.idea_id)  # raises NotPermitted for an idea out of sight
    return comment


def responses_for(idea: Idea) -> QuerySet[Response]:
    return Response.objects.filter(idea=idea).select_related("created_by").order_by("created_at", "id")


def author_label(membership: Membership, obj: Idea | Comment) -> str:
    """How the author of an idea or comment is shown to this person: "you", their name, or what they were
    ("a parent", "a member of staff") when they chose not to show their name on an idea. Coordinators, who
    moderate, also see the name, marked as shown only to them.

    An idea's author who chose not to be named stays unnamed in its discussion too: their comments there
    read "a parent, who shared the idea" (a name next to their own idea would give them away). A comment's
    ``idea`` must be loaded (the selectors that return comments load it)."""
    from django.utils.translation import gettext as _

    if obj.author_id is not None and obj.author_id == membership.user_id:
        return _("you")
    kind = str(Idea.AuthorKind(obj.author_kind).label)
    if isinstance(obj, Comment):
        idea = obj.idea
        by_hidden_author = not idea.show_name and obj.author_id is not None and obj.author_id == idea.author_id
        named = not by_hidden_author
        if by_hidden_author:
            kind = _("%(kind)s, who shared the idea") % {"kind": Idea.AuthorKind(idea.author_kind).label}
    else:
        named = obj.show_name
    if named and obj.author is not None:
        return str(obj.author.name)
    if membership.is_coordinator and obj.author is not None:
        return _("%(kind)s (%(name)s, shown only to coordinators)") % {"kind": kind, "name": obj.author.name}
    return kind


def challenges_visible_to(membership: Membership) -> QuerySet[Challenge]:
    visible_ideas = Q(ideas__withdrawn_at__isnull=True, ideas__hidden_at__isnull=True)
    return (
        Challenge.objects.filter(partnership_id=membership.partnership_id)
        .annotate(idea_total=Count("ideas", filter=visible_ideas))
        .order_by("-created_at")
    )


def challenge_choices(membership: Membership) -> QuerySet[Challenge]:
    """The partnership's challenges for the idea list's filter: ids and titles only (no counting of ideas,
    which would read them all)."""
    return (
        Challenge.objects.filter(partnership_id=membership.partnership_id)
        .only("id", "title", "language", "partnership_id", "closes_at", "created_at")
        .order_by("-created_at")
    )


def challenge_for(membership: Membership, challenge_id: int) -> Challenge:
    """A challenge in the person's partnership; else ``NotPermitted``."""
    found = Challenge.objects.filter(partnership_id=membership.partnership_id, pk=challenge_id).first()
    if found is None:
        raise NotPermitted()
    return found


def _open_at(now: Any) -> Q:
    """A challenge takes ideas until it closes; one without a closing date stays open."""
    return Q(closes_at__isnull=True) | Q(closes_at__gt=now)


def open_challenges(membership: Membership) -> QuerySet[Challenge]:
    return challenges_visible_to(membership).filter(_open_at(timezone.now()))


# On every home page: compiled once (core/prepared.py, ADR 14). Shape: how many.
OPEN_CHALLENGE_LINKS: PreparedQuery[Challenge] = PreparedQuery(
    lambda shape, partnership_id, now: (
        Challenge.objects.filter(partnership_id=partnership_id)
        .filter(_open_at(now))
        .only("id", "title", "language", "closes_at")
        .order_by("-created_at")[:shape]
    )
)


def open_challenge_links(membership: Membership, *, limit: int = 3) -> list[Challenge]:
    """The newest open challenges with only what a short list of links needs (for the home page): no count of
    ideas, which would read them all, and no text."""
    return OPEN_CHALLENGE_LINKS(limit, partnership_id=membership.partnership_id, now=timezone.now())


def you_said_we_did(membership: Membership) -> QuerySet[Idea]:
    """Ideas that led to something: in progress or done, with the responses that say what."""
    return (
        _idea_base(membership)
        .filter(OPEN, status__in=[Idea.Status.IN_PROGRESS, Idea.Status.DONE])
        .select_related("challenge", "author")
        .defer(*LONG_COLUMNS)
        .prefetch_related(Prefetch("responses", queryset=Response.objects.order_by("created_at", "id")))
        .order_by("-last_activity_at", "-id")
    )


def moderation_queue(membership: Membership) -> QuerySet[Flag]:
    if not membership.is_coordinator:
        return Flag.objects.none()
    return (
        Flag.objects.filter(partnership_id=membership.partnership_id, resolved_at__isnull=True)
        .select_related("idea", "comment", "comment__idea", "flagged_by")
        .order_by("created_at")
    )


def flag_for(membership: Membership, flag_id: int) -> Flag:
    """A flag in this coordinator's partnership, dealt with or not; ``NotPermitted`` (a 404) for anyone else's."""
    found = (
        Flag.objects.filter(partnership_id=membership.partnership_id, pk=flag_id).first()
        if membership.is_coordinator
        else None
    )
    if found is None:
        raise NotPermitted()
    return found


def hidden_items(membership: Membership) -> tuple[QuerySet[Idea], QuerySet[Comment]]:
    if not membership.is_coordinator:
        return Idea.objects.none(), Comment.objects.none()
    ideas = Idea.objects.filter(partnership_id=membership.partnership_id, hidden_at__isnull=False).order_by(
        "-hidden_at"
    )
    comments = (
        Comment.objects.filter(idea__partnership_id=membership.partnership_id, hidden_at__isnull=False)
        .select_related("idea")
        .order_by("-hidden_at")
    )
    return ideas, comments


@dataclass(frozen=True)
class VoiceShare:
    total: int
    from_members: int
    from_staff: int

    @property
    def member_percent(self) -> int | None:
        return round(100 * self.from_members / self.total) if self.total else None

    @property
    def staff_percent(self) -> int | None:
        return round(100 * self.from_staff / self.total) if self.total else None


@dataclass(frozen=True)
class EqualVoice:
    members: int
    staff: int
    ideas: VoiceShare
    comments: VoiceShare
    supports: VoiceShare
    member_median_wait: timedelta | None
    staff_median_wait: timedelta | None
    member_waiting: int
    staff_waiting: int


def equal_voice(membership: Membership) -> EqualVoice:
    """Who is being heard: shares of ideas, comments and supports from members and staff, and the median
    time member and staff ideas waited for a first response. Aggregates only, no names."""
    pid = membership.partnership_id
    people = Membership.objects.filter(partnership_id=pid).aggregate(
        members=Count("id", filter=Q(is_member=True)),
        staff=Count("id", filter=Q(is_worker=True) | Q(is_coordinator=True) | Q(is_partner_lead=True)),
    )
    ideas = Idea.objects.filter(partnership_id=pid, withdrawn_at__isnull=True)
    idea_counts = ideas.aggregate(
        total=Count("id"), m=Count("id", filter=Q(author_kind="member")), s=Count("id", filter=Q(author_kind="staff"))
    )
    comment_counts = Comment.objects.filter(idea__partnership_id=pid, deleted_at__isnull=True).aggregate(
        total=Count("id"), m=Count("id", filter=Q(author_kind="member")), s=Count("id", filter=Q(author_kind="staff"))
    )
    support_counts = Support.objects.filter(idea__partnership_id=pid).aggregate(
        total=Count("id"), m=Count("id", filter=Q(is_member=True)), s=Count("id", filter=Q(is_member=False))
    )
    waits: dict[str, list[float]] = {"member": [], "staff": []}
    waiting = {"member": 0, "staff": 0}
    for kind, created, first in ideas.filter(author_kind__in=["member", "staff"]).values_list(
        "author_kind", "created_at", "first_response_at"
    ):
        if first is None:
            waiting[kind] += 1
        else:
            waits[kind].append((first - created).total_seconds())

    def med(values: list[float]) -> timedelta | None:
        return timedelta(seconds=median(values)) if values else None

    def share(c: dict[str, Any]) -> VoiceShare:
        return VoiceShare(total=c["total"], from_members=c["m"], from_staff=c["s"])

    return EqualVoice(
        members=people["members"],
        staff=people["staff"],
        ideas=share(idea_counts),
        comments=share(comment_counts),
        supports=share(support_counts),
        member_median_wait=med(waits["member"]),
        staff_median_wait=med(waits["staff"]),
        member_waiting=waiting["member"],
        staff_waiting=waiting["staff"],
    )
