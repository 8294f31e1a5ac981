from typing import Any

from django.http import HttpRequest


def notifications(request: HttpRequest) -> dict[str, Any]:
    """The unread count for the header, inside a partnership."""
    membership = getattr(request, "membership", None)
    if membership is None:
        return {"unread_notifications": 0}
    from django.utils.functional import SimpleLazyObject

    from coproduce.voice.selectors import unread_count

    # Counted only when a template shows it (the header does; the htmx partials do not).
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(membership))}
