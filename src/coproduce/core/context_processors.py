from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The partnership switcher and the current partnership, for the page header."""
    user = getattr(request, "user", None)
    partnerships: Any = []
    if user is not None and user.is_authenticated:
        # Imported here so that core does not depend on a domain app at import time.
        from django.apps import apps

        partnership_model = apps.get_model("partnerships", "Partnership")
        partnerships = partnership_model.objects.filter(memberships__user=user).order_by("name").only("slug", "name")
    return {
        "nav_partnerships": partnerships,
        "current_partnership": getattr(request, "partnership", None),
        "current_membership": getattr(request, "membership", None),
    }
