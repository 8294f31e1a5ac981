from functools import cache
from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The partnership switcher and the current partnership, for the page header.

    The switcher's partnerships are a callable, read only when a template draws the header (htmx partials
    do not) and at most once per page."""
    user = getattr(request, "user", None)

    @cache
    def partnerships() -> list[Any]:
        if user is None or not user.is_authenticated:
            return []
        # Imported here so that core does not depend on a domain app at import time.
        from django.apps import apps

        partnership_model = apps.get_model("partnerships", "Partnership")
        return list(partnership_model.objects.filter(memberships__user=user).order_by("name").only("slug", "name"))

    return {
        "nav_partnerships": partnerships,
        "current_partnership": getattr(request, "partnership", None),
        "current_membership": getattr(request, "membership", None),
    }
