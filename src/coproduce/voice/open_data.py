"""Voice's open dataset, "you said, we did": what the partnership did about the ideas it was given.

Published for each idea that everyone in the partnership sees (neither withdrawn nor hidden) and has at least
one response: when it was shared, its status, how many support it (fewer than 5 is not shown), the challenge it
answered when a member of staff posed it, and each response: when, the status it set, what was done and by
which organisation.

Never published: the idea's title or text, its comments, who shared or supported it, a challenge a member posed,
or who wrote a response. A response written on the idea by a coordinator (``source`` "voice") is the
partnership's own words and is published; one recorded by another capability when the idea became something
(a fund proposal, a conversation's statement, a test of change) quotes that thing's title or reasons, which a
member may have written, so it is published as a fixed sentence saying what the idea became.

``open_ideas`` is the one read the page, the CSV and the JSON share: two queries, however many ideas.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Exists, Max, OuterRef, Prefetch, Subquery
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coproduce.partnerships.models import Membership, Partnership
from coproduce.partnerships.open_data import Distribution, OpenDataset
from coproduce.partnerships.open_data_files import count_text, shown_count
from coproduce.partnerships.roles import staff_q
from coproduce.voice.models import Idea, Response

KEY = "voice.responses"
CSV_COLUMNS = (
    "idea_id",
    "idea_shared_on",
    "idea_status",
    "challenge",
    "supports",
    "response_date",
    "response_status",
    "what_was_done",
    "organisation",
)


def _source_sentence(source: str) -> str:
    """What a response recorded by another capability says, in words that quote nothing a member wrote."""
    sentences = {
        "fund": _("The idea became a proposal to the partnership's pooled fund."),
        "conversations": _("The idea became a statement in a conversation, for everyone to say whether they agree."),
        "improvement": _("The partnership is testing the idea as a test of change."),
    }
    return sentences.get(source, _("The partnership recorded what became of the idea."))


@dataclass(frozen=True)
class OpenResponse:
    """One response on an idea, as open data."""

    on: date
    status: str
    status_label: str
    what_was_done: str  # plain text
    what_was_done_html: str  # the same for the page (a coordinator's words as the idea's page shows them)
    organisation: str  # the organisation of the person who responded ("" when none)


@dataclass(frozen=True)
class OpenIdea:
    idea_id: int
    shared_on: date
    status: str
    status_label: str
    challenge: str  # the challenge's question when a member of staff posed it, else ""
    supports: int | None  # None: fewer than 5
    responses: tuple[OpenResponse, ...]

    @property
    def supports_text(self) -> str:
        return count_text(self.supports)

    def as_json(self) -> dict[str, Any]:
        return {
            "idea_id": self.idea_id,
            "shared_on": self.shared_on.isoformat(),
            "status": self.status,
            "challenge": self.challenge,
            "supports": self.supports,
            "responses": [
                {
                    "date": r.on.isoformat(),
                    "status": r.status,
                    "what_was_done": r.what_was_done,
                    "organisation": r.organisation,
                }
                for r in self.responses
            ],
        }

    def csv_rows(self) -> list[dict[str, Any]]:
        """One row per response, each with its idea's columns."""
        return [
            {
                "idea_id": self.idea_id,
                "idea_shared_on": self.shared_on.isoformat(),
                "idea_status": self.status,
                "challenge": self.challenge,
                "supports": self.supports_text,
                "response_date": r.on.isoformat(),
                "response_status": r.status,
                "what_was_done": r.what_was_done,
                "organisation": r.organisation,
            }
            for r in self.responses
        ]


def _published_ideas(partnership_id: int) -> Any:
    return Idea.objects.filter(
        partnership_id=partnership_id, withdrawn_at__isnull=True, hidden_at__isnull=True, responses__isnull=False
    ).distinct()


def open_ideas(partnership: Partnership) -> list[OpenIdea]:
    """Every published idea with its responses, the most recently answered first (two queries)."""
    responder_organisation = Membership.objects.filter(
        partnership_id=partnership.pk, user_id=OuterRef("created_by_id")
    ).values("organisation__name")[:1]
    challenge_by_staff = Membership.objects.filter(
        staff_q(), partnership_id=partnership.pk, user_id=OuterRef("challenge__created_by_id")
    )
    responses = (
        Response.objects.only("id", "idea_id", "status", "text", "text_html", "source", "created_at")
        .annotate(organisation=Subquery(responder_organisation))
        .order_by("created_at", "id")
    )
    ideas = (
        _published_ideas(partnership.pk)
        .select_related("challenge")
        .only("id", "created_at", "status", "support_count", "challenge__id", "challenge__title")
        .annotate(challenge_by_staff=Exists(challenge_by_staff), answered_at=Max("responses__created_at"))
        .prefetch_related(Prefetch("responses", queryset=responses))
        .order_by("-answered_at", "-id")
    )
    labels = dict(Idea.Status.choices)
    found = []
    for idea in ideas:
        found.append(
            OpenIdea(
                idea_id=idea.pk,
                shared_on=timezone.localdate(idea.created_at),
                status=idea.status,
                status_label=str(labels.get(idea.status, idea.status)),
                challenge=idea.challenge.title if idea.challenge is not None and idea.challenge_by_staff else "",
                supports=shown_count(idea.support_count),
                responses=tuple(_open_response(r, labels) for r in idea.responses.all()),
            )
        )
    return found


def _open_response(response: Response, labels: dict[str, Any]) -> OpenResponse:
    if response.source == "voice":
        text, html = response.text, response.text_html
    else:
        text = _source_sentence(response.source)
        html = f"<p>{escape(text)}</p>"
    return OpenResponse(
        on=timezone.localdate(response.created_at),
        status=response.status,
        status_label=str(labels.get(response.status, response.status)),
        what_was_done=text,
        what_was_done_html=html,
        organisation=response.organisation or "",  # type: ignore[attr-defined]
    )


def last_updated(partnership: Partnership) -> datetime | None:
    """When the newest published response was recorded (one query)."""
    found: datetime | None = Response.objects.filter(
        idea__partnership_id=partnership.pk, idea__withdrawn_at__isnull=True, idea__hidden_at__isnull=True
    ).aggregate(newest=Max("created_at"))["newest"]
    return found


DATASET = OpenDataset(
    key=KEY,
    title=gettext_lazy("You said, we did"),
    description=gettext_lazy(
        "What the partnership did about the ideas it was given: for each idea answered, when it was shared, "
        "its status, how many support it, and each response with its date and the organisation that gave it. "
        "No idea's words and nobody's name."
    ),
    order=30,
    distributions=(
        Distribution(gettext_lazy("Web page"), "voice:open-responses", "text/html"),
        Distribution("CSV", "voice:open-responses-csv", "text/csv"),
        Distribution("JSON", "voice:open-responses-json", "application/json"),
    ),
    last_updated=last_updated,
    keywords=("you said we did", "ideas", "responses", "community engagement"),
)
