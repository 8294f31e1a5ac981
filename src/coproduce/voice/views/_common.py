"""What every voice page shares: where to go back to, paging."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from coproduce.partnerships.access import partnership_slug
from coproduce.partnerships.models import Membership
from coproduce.voice import selectors
from coproduce.voice.models import Idea

PAGE_SIZE = 20
NAV = "voice"


# --- Helpers ----------------------------------------------------------------------------------


def idea_url(request: HttpRequest, idea: Idea, anchor: str = "") -> str:
    url = reverse("voice:idea", kwargs={"slug": partnership_slug(request), "idea_id": idea.pk})
    return f"{url}#{anchor}" if anchor else url


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def next_url(request: HttpRequest, fallback: str) -> str:
    """Where to go back to after a plain-form POST: ``next`` if it is a page on this site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def on_off(request: HttpRequest, field: str) -> bool:
    """A "1"/"0" field, so that a replayed request asks for the same end state and changes nothing."""
    value = request.POST.get(field)
    if value not in ("0", "1"):
        raise BadRequest(f"{field} must be 0 or 1")
    return value == "1"


def paged(request: HttpRequest, items: Any) -> Any:
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    return page


SEARCH_COUNT_CAP = 1000


class SearchPaginator(Paginator):
    """Counts at most SEARCH_COUNT_CAP + 1 matches: "more than 1000 ideas match" is as useful as the exact
    number, and counting every match of a common word means reading every idea's words."""

    @property
    def count(self) -> int:  # type: ignore[override]
        if not hasattr(self, "_capped_count"):
            # Any 1001 will do: no ordering, so the database stops at the 1001st match.
            self._capped_count = self.object_list.order_by()[: SEARCH_COUNT_CAP + 1].count()  # type: ignore[attr-defined]
        return self._capped_count

    @property
    def cap(self) -> int:
        return SEARCH_COUNT_CAP

    @property
    def capped(self) -> bool:
        return self.count > SEARCH_COUNT_CAP


def idea_list_page(request: HttpRequest, items: Any, *, searched: bool) -> Any:
    """A page of ideas: first the ids of the page (the database sorts the matching ideas without joining
    anything to them), then those 20 ideas with their author and challenge, in that order."""
    paginator_class = SearchPaginator if searched else Paginator
    page = paginator_class(items.values_list("pk", flat=True), PAGE_SIZE).get_page(request.GET.get("page"))
    ids = list(page.object_list)
    found = {idea.pk: idea for idea in items.filter(pk__in=ids).order_by()}
    page.object_list = [found[pk] for pk in ids if pk in found]
    return page


def mark_supported(actor: Membership, ideas: list[Idea]) -> None:
    """One query for the whole page: which of these ideas the person supports."""
    supported = selectors.supported_idea_ids(actor, [idea.pk for idea in ideas])
    for idea in ideas:
        idea.supported_by_me = idea.pk in supported  # type: ignore[attr-defined]
