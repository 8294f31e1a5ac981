"""Errors as RFC 9457 problem details (``application/problem+json``), for the public API at /api/.

The API's own errors are built in ``coproduce.api.framework``; the answers given before a request reaches it
(a control character refused by the middleware, the site's 400/403/404/500 handlers) are built here, so that a
client of the API never receives an HTML page."""

from __future__ import annotations

import json
from collections.abc import Iterable
from http import HTTPStatus

from django.http import HttpRequest, HttpResponse

PROBLEM_TYPE = "application/problem+json"
API_PREFIX = "/api/"


def is_api_request(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def problem_response(
    request: HttpRequest,
    status: int,
    detail: str = "",
    *,
    errors: Iterable[tuple[str, str]] = (),
    retry_after: int | None = None,
) -> HttpResponse:
    """A problem details answer: the status's phrase as the title, ``detail`` in words, the fields named."""
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": request.path,
        "errors": [{"field": field, "message": message} for field, message in errors],
    }
    response = HttpResponse(json.dumps(body), status=status, content_type=PROBLEM_TYPE)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response
