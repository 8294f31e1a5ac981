from typing import Any

from django.http import HttpRequest


def notifications(request: HttpRequest) -> dict[str, Any]:
    """The unread count for the header, inside a partnership."""
    membership = getattr(request, "membership", None)
    if membership is None:
        return {"unread_notifications": 0}
    from coproduce.voice.selectors import unread_count

    return {"unread_notifications": unread_count(membership)}
