"""What the partnership has promised, across capabilities: the outcomes of decisions, ideas answered "we
will", tests of change adopted, fund awards, practices stopped. Each capability registers a source (in its
AppConfig.ready) that lists its commitments in one partnership as plain ``Commitment`` values; the
commitments board gathers them, flags what is overdue and keeps the reviews. The foundation imports no
capability, so the board reaches them only through what they register here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from coproduce.partnerships.models import Membership


@dataclass(frozen=True)
class Commitment:
    """One promise, as the board shows it. ``source`` and ``object_id`` together name it for good (a review
    recorded on the board is kept against them)."""

    source: str  # the registered source's key: "decisions.outcome", "voice.response", …
    object_id: int
    what: str  # the promise in a line: "Run the Tuesday drop-in at the college"
    owner: str  # who answers for it: a person's or an organisation's name ("" when nobody is named)
    due_on: date | None  # when it should be done (None: no date was set)
    review_on: date | None  # when the partnership said it would look at it again
    done: bool  # the capability knows it is done (an award fully paid, an outcome marked done)
    url: str  # where to read about it (a page of this site)
    made_on: date  # when the promise was made
    # The person who answers for it, when one does (they are told when a review is recorded); None when the
    # owner is an organisation or a name only.
    owner_user_id: int | None = None
    # What open data may publish of it (``commitments.open_data``, for anyone): the promise in words only when
    # a member of staff wrote them (a member's words stay inside the partnership), and the owner only when it is
    # an organisation or a service, never a person. Empty: not published (the open board shows the kind alone).
    open_what: str = ""
    open_owner: str = ""


@dataclass(frozen=True)
class CommitmentSource:
    key: str
    label: Any  # the kind, in words (a lazily translated string): "Decision outcomes"
    # Every commitment of this kind in the acting person's partnership that the person may see (one or two
    # queries, however many there are).
    items: Callable[[Membership], list[Commitment]]
    order: int = 100


_SOURCES: dict[str, CommitmentSource] = {}


def register_commitment_source(source: CommitmentSource) -> None:
    _SOURCES[source.key] = source


def commitment_sources() -> list[CommitmentSource]:
    """The registered sources, in their order."""
    return sorted(_SOURCES.values(), key=lambda s: (s.order, s.key))
