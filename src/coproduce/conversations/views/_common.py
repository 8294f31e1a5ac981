"""What every conversation page shares: the section, addresses within a conversation, htmx and not
keeping pages with the person's own votes in caches."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from coproduce.conversations.models import Conversation
from coproduce.partnerships.access import partnership_slug

NAV = "conversations"


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _url(request: HttpRequest, name: str, conversation: Conversation, **kwargs: Any) -> str:
    return reverse(
        f"conversations:{name}",
        kwargs={"slug": partnership_slug(request), "conversation_id": conversation.pk, **kwargs},
    )


def _no_store(response: HttpResponse) -> HttpResponse:
    """Pages with the person's own votes are not kept in shared caches or the back-forward cache."""
    response["Cache-Control"] = "no-store"
    return response
