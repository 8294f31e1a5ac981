"""What every fund page shares: the fund's URLs and rendering a fund template."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from coproduce.partnerships.access import partnership_slug

NAV = "fund"


def fund_url(request: HttpRequest, name: str, **kwargs: Any) -> str:
    return reverse(f"fund:{name}", kwargs={"slug": partnership_slug(request), **kwargs})


def render_page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, f"fund/{template}", {"nav_section": NAV, **context}, status=status)
