"""Voice's commitments (``partnerships.commitments``): ideas the partnership answered "we will" — a response
that moved the idea to "in progress". Done when the idea is marked done. The owner is the organisation of
the person who responded (their name when they have none). Registered in ``apps.py``."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy

from coproduce.core.reversing import cached_reverse
from coproduce.partnerships.commitments import Commitment, CommitmentSource
from coproduce.partnerships.models import Membership

SOURCE_KEY = "voice.response"


def items(membership: Membership) -> list[Commitment]:
    """One query: the "we will" responses on ideas everyone sees, with the responder's organisation."""
    from coproduce.voice.models import Idea, Response

    responder_organisation = Membership.objects.filter(
        partnership_id=membership.partnership_id, user_id=OuterRef("created_by_id")
    ).values("organisation__name")[:1]
    responses = (
        Response.objects.filter(
            status=Idea.Status.IN_PROGRESS,
            idea__partnership_id=membership.partnership_id,
            idea__status__in=[Idea.Status.IN_PROGRESS, Idea.Status.DONE],
        )
        # The idea is one everyone sees (``selectors.OPEN``): neither withdrawn nor hidden.
        .filter(idea__withdrawn_at__isnull=True, idea__hidden_at__isnull=True)
        .select_related("idea", "created_by")
        .only(
            "id",
            "created_at",
            "created_by__id",
            "created_by__display_name",
            "created_by__email",
            "idea__id",
            "idea__title",
            "idea__status",
            "idea__author_kind",
        )
        .annotate(responder_organisation=Subquery(responder_organisation))
        .order_by("idea_id", "created_at", "id")
    )
    latest: dict[int, Any] = {}
    for response in responses:  # the latest "we will" on each idea (ordered oldest first)
        latest[response.idea_id] = response
    slug = membership.partnership.slug
    found = []
    for idea_id, response in latest.items():
        responder = response.created_by
        organisation = response.responder_organisation
        owner = organisation or (responder.name if responder is not None else "")
        found.append(
            Commitment(
                source=SOURCE_KEY,
                object_id=idea_id,
                what=response.idea.title,
                owner=owner,
                due_on=None,
                review_on=None,
                done=response.idea.status == Idea.Status.DONE,
                url=cached_reverse("voice:idea", kwargs={"slug": slug, "idea_id": idea_id}),
                made_on=timezone.localdate(response.created_at),
                owner_user_id=None if organisation else response.created_by_id,
                # An idea's title is published only when a member of staff shared it.
                open_what=response.idea.title if response.idea.author_kind == Idea.AuthorKind.STAFF else "",
                open_owner=organisation or "",
            )
        )
    return found


SOURCE = CommitmentSource(key=SOURCE_KEY, label=gettext_lazy("Ideas we said we will do"), items=items, order=20)
