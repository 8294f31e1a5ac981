from typing import Any

from django.http import HttpRequest

from coproduce.core.once import Once
from coproduce.partnerships.navigation import nav_items
from coproduce.partnerships.selectors import switcher_partnerships


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The partnership switcher and the current partnership, for the page header.

    The switcher's partnerships are a callable, read only when a template draws the header (htmx partials
    do not) and at most once per page."""
    user = getattr(request, "user", None)

    def partnerships() -> list[Any]:
        if user is None or not user.is_authenticated:
            return []
        return switcher_partnerships(user.pk)

    return {
        "nav_partnerships": Once(partnerships),
        "current_partnership": getattr(request, "partnership", None),
        "current_membership": getattr(request, "membership", None),
    }


def navigation_items(request: HttpRequest) -> dict[str, Any]:
    """The partnership's sections this person sees, for the header's navigation.

    A callable, worked out only when a template draws the navigation (htmx partials such as a vote's next
    statement do not) and at most once per page (the header draws it twice)."""
    membership = getattr(request, "membership", None)

    return {"nav_items": Once(lambda: nav_items(membership))}
