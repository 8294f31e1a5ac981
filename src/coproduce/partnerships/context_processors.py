from functools import cache
from typing import Any

from django.http import HttpRequest

from coproduce.partnerships.navigation import nav_items


def navigation_items(request: HttpRequest) -> dict[str, Any]:
    """The partnership's sections this person sees, for the header's navigation.

    A callable, worked out only when a template draws the navigation (htmx partials such as a vote's next
    statement do not) and at most once per page (the header draws it twice)."""
    membership = getattr(request, "membership", None)

    @cache
    def items() -> list[dict[str, Any]]:
        return nav_items(membership)

    return {"nav_items": items}
