"""The Content-Security-Policy middleware keeps the header's text; these tests hold it to django-csp's own."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import csp.middleware
import pytest
from csp.decorators import csp_exempt, csp_update
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings

from coproduce.core.middleware import CSPMiddleware

HEADERS = ("Content-Security-Policy", "Content-Security-Policy-Report-Only")


def plain(request: HttpRequest) -> HttpResponse:
    return HttpResponse("page")


@csp_update({"img-src": ["https://maps.example"]})
def updated(request: HttpRequest) -> HttpResponse:
    return HttpResponse("map")


@csp_exempt()
def exempt(request: HttpRequest) -> HttpResponse:
    return HttpResponse("exempt")


def with_nonce(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"<script nonce='{request.csp_nonce}'></script>")  # type: ignore[attr-defined]


def headers(middleware: type[Any], view: Callable[[HttpRequest], HttpResponse], path: str = "/p/x/") -> dict[str, Any]:
    response = middleware(view)(RequestFactory().get(path))
    return {name: response.get(name) for name in HEADERS}


@pytest.mark.parametrize("view", [plain, updated, exempt], ids=["plain", "updated", "exempt"])
def test_the_headers_are_django_csps(view: Any) -> None:
    ours = headers(CSPMiddleware, view)
    assert ours == headers(csp.middleware.CSPMiddleware, view)
    if view is plain:
        assert "default-src 'self'" in ours["Content-Security-Policy"]


def test_a_report_only_policy_and_excluded_prefixes_are_django_csps() -> None:
    report_only = {"DIRECTIVES": {"default-src": ["'self'"], "report-uri": "/csp-report/"}}
    with override_settings(CONTENT_SECURITY_POLICY_REPORT_ONLY=report_only):
        ours = headers(CSPMiddleware, plain)
        assert ours == headers(csp.middleware.CSPMiddleware, plain)
        assert "report-uri /csp-report/" in ours["Content-Security-Policy-Report-Only"]
    from django.conf import settings

    excluding = {**settings.CONTENT_SECURITY_POLICY, "EXCLUDE_URL_PREFIXES": ["/static/"]}
    with override_settings(CONTENT_SECURITY_POLICY=excluding):
        assert headers(CSPMiddleware, plain, "/static/x.css") == dict.fromkeys(HEADERS)
        assert headers(CSPMiddleware, plain, "/static/x.css") == headers(
            csp.middleware.CSPMiddleware, plain, "/static/x.css"
        )
        assert headers(CSPMiddleware, plain)["Content-Security-Policy"] is not None


def test_a_changed_setting_gives_a_new_text() -> None:
    before = headers(CSPMiddleware, plain)["Content-Security-Policy"]
    with override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": {"default-src": ["'none'"]}}):
        assert headers(CSPMiddleware, plain)["Content-Security-Policy"] == "default-src 'none'"
    assert headers(CSPMiddleware, plain)["Content-Security-Policy"] == before


def test_a_response_that_asked_for_a_nonce_goes_through_django_csp(monkeypatch: Any) -> None:
    called: list[bool] = []
    original = csp.middleware.CSPMiddleware.process_response

    def spy(self: Any, request: Any, response: Any) -> Any:
        called.append(True)
        return original(self, request, response)

    monkeypatch.setattr(csp.middleware.CSPMiddleware, "process_response", spy)
    assert headers(CSPMiddleware, with_nonce) == headers(csp.middleware.CSPMiddleware, with_nonce)
    assert len(called) == 2  # ours handed it on; django-csp's ran
    called.clear()
    headers(CSPMiddleware, plain)
    assert called == []  # the plain response is answered from the kept text


def test_asking_for_a_nonce_after_the_header_is_written_is_an_error() -> None:
    request = RequestFactory().get("/p/x/")
    CSPMiddleware(plain)(request)
    with pytest.raises(csp.middleware.CSPNonceError):
        str(request.csp_nonce)  # type: ignore[attr-defined]


def test_the_site_uses_it(client: Any) -> None:
    from django.conf import settings

    assert "coproduce.core.middleware.CSPMiddleware" in settings.MIDDLEWARE
    assert "csp.middleware.CSPMiddleware" not in settings.MIDDLEWARE
    response = client.get("/accounts/login/")
    assert (
        response["Content-Security-Policy"] == headers(csp.middleware.CSPMiddleware, plain)["Content-Security-Policy"]
    )
