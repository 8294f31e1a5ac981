"""What the decisions pages share: a decision's address and the posted data."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from coproduce.decisions.models import Decision
from coproduce.partnerships.access import partnership_slug

NAV = "decisions"


def decision_url(request: HttpRequest, decision: Decision, anchor: str = "", name: str = "decisions:decision") -> str:
    url = reverse(name, kwargs={"slug": partnership_slug(request), "decision_id": decision.pk})
    return f"{url}#{anchor}" if anchor else url


def posted_data(request: HttpRequest) -> Any:
    """The posted data for a bound form, or None for an unbound one (an empty POST is still a POST)."""
    return request.POST if request.method == "POST" else None
