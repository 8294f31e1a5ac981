"""What voice offers the other apps, and the only module of voice they import (an import-linter contract).

A test of change, a fund proposal or a conversation's statement can grow out of an idea. The app that makes
it offers the person the ideas they may link to, checks the one they chose, and records a response on the
idea ("you said, we did") so that whoever had it sees what became of it.

Ideas cross as voice's ``Idea`` because the other apps keep a foreign key to it (and offer a queryset of
them in a form); read and change them only through these functions. A recorded response crosses as a
``RecordedResponse``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from django.db.models import QuerySet

from coproduce.core.exceptions import NotPermitted
from coproduce.core.permissions import require_rule
from coproduce.partnerships.models import Membership
from coproduce.voice import selectors, services
from coproduce.voice.models import Idea
from coproduce.voice.templatetags.voice_tags import duration_words

__all__ = [
    "EqualVoiceSummary",
    "Idea",
    "IdeaStatus",
    "RecordedResponse",
    "equal_voice_summary",
    "idea_open_to_responses",
    "idea_titled",
    "idea_visible_to",
    "ideas_visible_to",
    "response_record",
]

IdeaStatus = Idea.Status


@dataclass(frozen=True)
class RecordedResponse:
    """A response recorded on an idea: the idea's status before and after it."""

    response_id: int
    idea_id: int
    status: str
    previous_status: str


def ideas_visible_to(
    *, actor: Membership, sort: Literal["newest", "supported", "active"] = "newest", include_hidden: bool = True
) -> QuerySet[Idea]:
    """The ideas ``actor`` sees on the ideas page, in that page's ``sort`` order: none withdrawn; hidden ones only
    to their author and coordinators, and to nobody when ``include_hidden`` is false."""
    ideas = selectors.ideas_visible_to(actor, sort=sort)
    if not include_hidden:
        ideas = ideas.filter(hidden_at__isnull=True)
    return ideas


def idea_visible_to(*, actor: Membership, idea_id: int) -> Idea | None:
    """The idea with this id if ``actor`` may see it (as on its own page), else ``None``."""
    try:
        return selectors.idea_for(actor, idea_id)
    except NotPermitted:
        return None


def idea_open_to_responses(*, actor: Membership, idea_id: int) -> Idea | None:
    """The idea with this id in ``actor``'s partnership if it takes a response now (neither withdrawn nor
    hidden), else ``None``."""
    return selectors.open_ideas(actor.partnership_id).filter(pk=idea_id).first()


def idea_titled(*, partnership_id: int, title: str) -> Idea | None:
    """The partnership's idea with exactly this title if it takes a response now (neither withdrawn nor
    hidden), else ``None``: for the demo loaders, which link to the demo's ideas by their titles."""
    return selectors.open_ideas(partnership_id).filter(title=title).first()


def response_record(
    *,
    actor: Membership,
    idea: Idea,
    text: str,
    link_url: str,
    link_label: str,
    source: str,
    status: str = IdeaStatus.IN_PROGRESS,
) -> RecordedResponse:
    """Record that ``idea`` became something, with a link to it; ``source`` names the calling app.

    The caller has already checked that ``actor`` may create that thing; this checks that the idea is in
    ``actor``'s partnership (``NotPermitted`` if not) and still takes a response (``ServiceError`` if it was
    withdrawn or hidden meanwhile). Call it inside the caller's transaction, so the thing and the response
    are saved together or not at all."""
    response = services.response_record(
        actor=actor,
        idea=idea,
        text=text,
        link_url=link_url,
        link_label=link_label,
        source=source,
        status=status,
    )
    return RecordedResponse(
        response_id=response.pk,
        idea_id=response.idea_id,
        status=response.status,
        previous_status=response.previous_status,
    )


@dataclass(frozen=True)
class EqualVoiceSummary:
    """The headline figures of the "equal voice" page: how many members and staff take part, the share of
    ideas, comments and supports that came from members (a whole percent; ``None`` when there were none),
    and the median time member and staff ideas waited for a first response (``None`` when none was
    answered). Aggregates only: no names."""

    members: int
    staff: int
    ideas: int
    ideas_from_members_percent: int | None
    comments_from_members_percent: int | None
    supports_from_members_percent: int | None
    member_median_wait: timedelta | None
    staff_median_wait: timedelta | None

    @property
    def member_wait_words(self) -> str:
        """The members' median wait in plain words ("3 days"); empty when none was answered."""
        return duration_words(self.member_median_wait)

    @property
    def staff_wait_words(self) -> str:
        return duration_words(self.staff_median_wait)


def equal_voice_summary(*, actor: Membership) -> EqualVoiceSummary:
    """The partnership's "equal voice" headline figures, for a page of another app to show beside its own
    (with a link to ``voice:equal-voice`` for the rest). ``NotPermitted`` for someone who may not see them."""
    require_rule("voice.view", actor)
    report = selectors.equal_voice(actor)
    return EqualVoiceSummary(
        members=report.members,
        staff=report.staff,
        ideas=report.ideas.total,
        ideas_from_members_percent=report.ideas.member_percent,
        comments_from_members_percent=report.comments.member_percent,
        supports_from_members_percent=report.supports.member_percent,
        member_median_wait=report.member_median_wait,
        staff_median_wait=report.staff_median_wait,
    )
