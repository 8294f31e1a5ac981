from typing import Any

from django.http import HttpRequest

from coproduce.partnerships.navigation import nav_items


def navigation_items(request: HttpRequest) -> dict[str, Any]:
    """The partnership's sections this person sees, worked out once per page (the header draws them twice)."""
    return {"nav_items": nav_items(getattr(request, "membership", None))}
