import re
import time
from collections.abc import Callable, Iterable

import csp.constants
import csp.middleware
import csp.utils
from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from coproduce.core.audit import AuditContext, audit_context
from coproduce.core.languages import is_offered
from coproduce.core.problems import is_api_request, problem_response


class AuditContextMiddleware:
    """Sets the audit context (``core.audit``) for the length of the request: every event a service records
    while answering it carries the client's address. The context is reset when the response is returned,
    and also when the view raises."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with audit_context(AuditContext.of(request)):
            return self.get_response(request)


class PersonLanguageMiddleware:
    """A signed-in person's saved language (``User.language``) wins over the browser's and the cookie's.

    Django's ``LocaleMiddleware`` runs before the person is known and chooses from the language cookie and
    ``Accept-Language``; this runs after ``AuthenticationMiddleware`` and, when the person has saved a
    language that is offered, makes it the request's (and so the response's ``Content-Language``). From the
    first page after signing in, pages are in the language the person chose, on any device."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        saved = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        if saved and saved != getattr(request, "LANGUAGE_CODE", None) and is_offered(saved):
            translation.activate(saved)
            request.LANGUAGE_CODE = saved
        return self.get_response(request)


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


# NUL and the other C0 control characters, except tab, line feed and carriage return. No one types them; a
# database refuses NUL (PostgreSQL: "A string literal cannot contain NUL"), and the others hide text.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def has_control_characters(texts: Iterable[str]) -> bool:
    return any(CONTROL_CHARACTERS.search(text) for text in texts)


class RefuseControlCharactersMiddleware:
    """Every text a request brings — the address, the query string (GET searches and htmx requests alike)
    and form fields — is checked here, once, for the control characters above. A request that carries one
    is answered 400 with the plain error page and a sentence saying what to do; no view sees it. Files sent
    with a form are not read here: each file reader checks its own contents."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        texts: list[str] = [request.path_info]
        for data in (request.GET, self._form(request)):
            for key, values in data.lists():
                texts.append(key)
                texts.extend(values)
        if has_control_characters(texts):
            reason = _(
                "What you sent has a hidden control character in it (for example from copying text from "
                "another program). Go back, type the text again instead of pasting it, and send it again."
            )
            if is_api_request(request):
                return problem_response(request, 400, str(reason))
            return render(request, "400.html", {"reason": reason}, status=400)
        return self.get_response(request)

    @staticmethod
    def _form(request: HttpRequest) -> QueryDict:
        if request.method != "POST":
            return QueryDict()
        try:
            return request.POST
        except (OSError, MultiPartParserError):
            # A body that cannot be read or parsed: left to the view and the CSRF check, as before.
            return QueryDict()


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


class CSPMiddleware(csp.middleware.CSPMiddleware):
    """django-csp's middleware, with the header's text built once per process instead of on every response.

    Coproduce's policy (``CONTENT_SECURITY_POLICY`` in settings) uses no nonce and no view changes it, so the
    header is the same on every response; django-csp built its text afresh each time, twice (the policy and
    the report-only one), about 2 % of a vote's server time. When a response or request does carry parts of
    its own (a view decorated with ``csp_update`` or ``csp_exempt``, a template asking for a nonce), or in
    debug mode, django-csp's own ``process_response`` runs. Otherwise this does what it does, with the texts
    kept: ``tests/core/test_csp.py`` compares the two on the same responses."""

    _PARTS = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")
    _built: dict[tuple[bool, int], str] = {}

    @classmethod
    def _policy(cls, report_only: bool) -> str:
        setting = "CONTENT_SECURITY_POLICY_REPORT_ONLY" if report_only else "CONTENT_SECURITY_POLICY"
        key = (report_only, id(getattr(settings, setting, None)))  # a changed setting is a new object
        text = cls._built.get(key)
        if text is None:
            text = cls._built[key] = csp.utils.build_policy(report_only=report_only)
        return text

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if (
            settings.DEBUG
            or getattr(request, "_csp_nonce", None) is not None
            or getattr(response, "_csp_exempt", False)
            or getattr(response, "_csp_exempt_ro", False)
            or any(getattr(response, name, None) is not None for name in self._PARTS)
        ):
            return super().process_response(request, response)
        for report_only, header, setting in (
            (False, csp.constants.HEADER, "CONTENT_SECURITY_POLICY"),
            (True, csp.constants.HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
        ):
            text = self._policy(report_only)
            if not text or header in response:
                continue
            prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES", None) or ()
            if not request.path_info.startswith(tuple(prefixes)):
                response[header] = text
        # As django-csp does: once the header is written, asking for a nonce is an error.
        request.csp_nonce = csp.middleware.CheckableLazyObject(  # type: ignore[attr-defined]
            self._csp_nonce_post_response
        )
        return response
