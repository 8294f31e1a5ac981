from typing import Any

from django.http import HttpRequest

from coproduce.core.once import Once


def notifications(request: HttpRequest) -> dict[str, Any]:
    """The unread count for the header, inside a partnership: every capability's notices, one query.

    A callable, so the template engine asks for it only when a template shows it: htmx partials don't draw
    the header and so cost no query. Counted at most once per page."""
    membership = getattr(request, "membership", None)
    if membership is None:
        return {"unread_notifications": 0}

    def unread_notifications() -> int:
        from coproduce.notifications.selectors import unread_count

        return unread_count(membership)

    return {"unread_notifications": Once(unread_notifications)}
