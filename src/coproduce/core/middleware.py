import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


class NoStoreForSignedInMiddleware:
    """Pages shown to a signed-in person may hold personal data: never let a browser or proxy keep them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith("/static/"):
            add_never_cache_headers(response)  # Cache-Control: max-age=0, no-cache, no-store, must-revalidate, private
        return response


class SessionIdleTimeoutMiddleware:
    """Sessions end after ``SESSION_COOKIE_AGE`` seconds without activity.

    Saving the session on every request would do this too, but it writes to the database on every
    page view; touching it at most once a minute keeps reads read-only at the cost of a minute's
    precision."""

    TOUCH_EVERY_SECONDS = 60

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.session_key:
            now = int(time.time())
            last = session.get("_touched", 0)
            if not isinstance(last, int) or now - last >= self.TOUCH_EVERY_SECONDS:
                session["_touched"] = now
        return self.get_response(request)
