"""What a capability needs to publish endpoints at /api/v1/ (see docs/api.md for an example).

* :func:`router` makes a django-ninja Router, :func:`register_router` adds it (in the app's ``ready()``);
  paths are written in full, e.g. ``@r.get("/partnerships/{slug}/ideas", response=page_of(IdeaOut))``, and an
  operation's id is the router's prefix and the view's name: ``voice_list_ideas``.
* :func:`actor` is the token holder's membership of the partnership in the path (404 for any other),
  :func:`writer` the same and a 403 problem unless the token may write.
* :class:`Input` is the base of request bodies: an unknown field is refused with 400, naming it.
* :func:`paginate` answers a list a page at a time: ``{"items": [...], "next": url or null}``.
* Every error is an RFC 9457 problem (``application/problem+json``), declared in the OpenAPI description.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterable
from datetime import date, datetime
from functools import wraps
from http import HTTPStatus
from typing import Any, NoReturn
from urllib.parse import urlencode

import rules
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Router, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.operation import Operation
from ninja.security.base import AuthBase
from pydantic import ConfigDict, Field, create_model

from coproduce.api.models import AccessToken
from coproduce.api.selectors.tokens import token_by_secret
from coproduce.api.services import limits
from coproduce.api.services.tokens import token_refused, token_used
from coproduce.core.clientaddress import client_address_for_limits
from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.problems import PROBLEM_TYPE, problem_response
from coproduce.partnerships.access import mfa_required
from coproduce.partnerships.models import Membership
from coproduce.partnerships.selectors import membership_for

__all__ = [
    "BODY_LIMIT",
    "Input",
    "PageQuery",
    "Problem",
    "actor",
    "page_of",
    "paginate",
    "register_router",
    "router",
    "writer",
]

BODY_LIMIT = 64 * 1024
DEFAULT_LIMIT = 20
MAX_LIMIT = 100

# --------------------------------------------------------------------------------------------------- routers

_ROUTERS: list[tuple[str, Router]] = []


def router(tag: str) -> Router:
    """A router for one capability's endpoints, shown under ``tag`` in the OpenAPI description."""
    return Router(tags=[tag])


def register_router(prefix: str, api_router: Router) -> None:
    """Publish a capability's router (call in its AppConfig.ready). ``prefix`` starts each operation's id."""
    if any(existing is api_router for _, existing in _ROUTERS):
        return
    if any(name == prefix for name, _ in _ROUTERS):
        raise ValueError(f"an API router is already registered as {prefix!r}")
    _ROUTERS.append((prefix, api_router))


def registered_routers() -> list[tuple[str, Router]]:
    return list(_ROUTERS)


# --------------------------------------------------------------------------------------------------- problems


class ProblemField(Schema):
    field: str
    message: str


class Problem(Schema):
    """An error, as RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str = ""
    instance: str = ""
    errors: list[ProblemField] = []


class ProblemError(Exception):
    """Answer with a problem (raise inside an endpoint or the plumbing)."""

    def __init__(
        self, status: int, detail: str = "", *, errors: Iterable[tuple[str, str]] = (), retry_after: int | None = None
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = list(errors)
        self.retry_after = retry_after


PROBLEM_STATUSES = (400, 401, 403, 404, 413, 429)


def _field_of(loc: Iterable[Any]) -> str:
    parts = [str(part) for part in loc]
    if parts and parts[0] == "body":
        parts = parts[2:] if len(parts) > 2 else []  # "body", then the body parameter's own name
        return ".".join(parts) or "body"
    if parts and parts[0] in {"query", "path", "header", "cookie", "form"}:
        parts = parts[1:]
        if len(parts) > 1:
            parts = parts[1:]  # a Query[Schema] parameter's own name
    return ".".join(parts) or "body"


def _message_of(error: dict[str, Any]) -> str:
    if error.get("type") == "extra_forbidden":
        return _("This field is not known.")
    if error.get("type") == "missing":
        return _("This field is required.")
    return str(error.get("msg", _("This value is not valid.")))


def _on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [(_field_of(error.get("loc", ())), _message_of(error)) for error in exc.errors]
    return problem_response(request, 400, _("The request is not valid."), errors=errors)


def _on_service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    return problem_response(request, 400, exc.message, errors=[(exc.field, exc.message)] if exc.field else [])


def _on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return problem_response(request, 404, _("There is nothing here, or nothing you may see."))


def _on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    status = exc.status_code
    detail = exc.message
    if isinstance(exc, AuthenticationError) and detail == "Unauthorized":
        detail = _("Give a valid API token: Authorization: Bearer <token>.")
    retry_after = getattr(exc, "wait", None)
    return problem_response(request, status, detail, retry_after=int(retry_after) if retry_after else None)


def _on_problem(request: HttpRequest, exc: ProblemError) -> HttpResponse:
    return problem_response(request, exc.status, exc.detail, errors=exc.errors, retry_after=exc.retry_after)


# ------------------------------------------------------------------------------------------------------- auth


class TokenAuth(AuthBase):
    """``Authorization: Bearer <token>``. Refusals are audited and counted per client address; a valid token's
    requests are counted per token (reads and writes apart)."""

    openapi_type = "http"
    openapi_scheme = "bearer"

    def __call__(self, request: HttpRequest) -> AccessToken | None:
        header = request.headers.get("Authorization", "")
        scheme, _space, secret = header.partition(" ")
        token = token_by_secret(secret.strip()) if scheme.lower() == "bearer" and secret.strip() else None
        if token is None or not token.usable():
            self._refuse(request, token, reason=_reason(token, bool(header)))
        writes = request.method not in {"GET", "HEAD", "OPTIONS"}
        verdict = limits.count_request(
            f"token:{token.pk}:{'w' if writes else 'r'}",
            limits.WRITES_PER_MINUTE if writes else limits.READS_PER_MINUTE,
        )
        request.api_token = token  # type: ignore[attr-defined]  # its use is recorded with the answer
        if not verdict.allowed:
            raise ProblemError(429, _("Too many requests: wait a minute."), retry_after=verdict.retry_after)
        return token

    def _refuse(self, request: HttpRequest, token: AccessToken | None, *, reason: str) -> NoReturn:
        address = client_address_for_limits(request) or "-"
        verdict = limits.count_request(f"address:{address}", limits.ANONYMOUS_PER_MINUTE)
        if not verdict.allowed:
            raise ProblemError(429, _("Too many requests: wait a minute."), retry_after=verdict.retry_after)
        if reason != "missing":
            token_refused(token=token, reason=reason)
        raise ProblemError(401, _REFUSALS[reason])


_REFUSALS = {
    "missing": "Give an API token: Authorization: Bearer <token>.",
    "unknown": "This API token is not known.",
    "expired": "This API token has expired: make a new one.",
    "revoked": "This API token was revoked.",
}


def _reason(token: AccessToken | None, had_header: bool) -> str:
    if token is None:
        return "unknown" if had_header else "missing"
    return "revoked" if token.revoked_at is not None else "expired"


def actor(request: HttpRequest, slug: str) -> Membership:
    """The token holder's membership of the partnership ``slug``: 404 for a partnership the token is not for,
    or one the person has left."""
    cached: Membership | None = getattr(request, "api_membership", None)
    if cached is not None and cached.partnership.slug == slug:
        return cached
    token: AccessToken = request.auth  # type: ignore[attr-defined]
    if token.partnership.slug != slug or not token.user.is_active:
        raise NotPermitted()
    membership = membership_for(token.user, slug)
    if membership is None:
        raise NotPermitted()
    if mfa_required(token.user, membership):
        raise ProblemError(403, _("Staff need two-factor sign-in set up to use the API."))
    request.api_membership = membership  # type: ignore[attr-defined]
    return membership


def writer(request: HttpRequest, slug: str) -> Membership:
    """As :func:`actor`, and a 403 problem unless the token may write (the refusal is audited)."""
    membership = actor(request, slug)
    token: AccessToken = request.auth  # type: ignore[attr-defined]
    if not token.writes:
        token_refused(token=token, reason="read_only")
        raise ProblemError(403, _("This API token only reads: make a read and write token to change things."))
    return membership


def may(rule: str, membership: Membership, target: Any = None) -> bool:
    return bool(rules.test_rule(rule, membership, target))


# ----------------------------------------------------------------------------------------------------- inputs


class Input(Schema):
    """The base of request bodies: unknown fields are refused (400, naming the field)."""

    model_config = ConfigDict(extra="forbid")


# ------------------------------------------------------------------------------------------------- pagination


class PageQuery(Schema):
    """Declare as ``page: Query[PageQuery]`` on a list endpoint, so the description shows ``limit`` and ``cursor``
    (``paginate`` reads them from the request either way)."""

    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="How many items a page holds (1 to 100).")
    cursor: str | None = Field(None, description="Where the page starts: the `next` address of the page before.")


_PAGES: dict[type, type[Schema]] = {}


def page_of(item: type) -> type[Schema]:
    """The response schema of a page of ``item``: ``{"items": [...], "next": "<url>" | null}``."""
    if item not in _PAGES:
        _PAGES[item] = create_model(  # type: ignore[call-overload]
            f"{item.__name__}Page",
            __base__=Schema,
            items=(list[item], ...),  # type: ignore[valid-type]
            next=(str | None, None),
        )
    return _PAGES[item]


def _encode_cursor(value: Any, pk: int) -> str:
    if isinstance(value, datetime | date):
        value = value.isoformat()
    raw = json.dumps([value, pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[Any, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value, pk = json.loads(raw)
    except (binascii.Error, ValueError, TypeError) as exc:
        raise ProblemError(400, _("This cursor is not valid."), errors=[("cursor", _("Not a valid cursor."))]) from exc
    if not isinstance(pk, int) or isinstance(pk, bool) or not isinstance(value, str | int | float | None):
        raise ProblemError(400, _("This cursor is not valid."), errors=[("cursor", _("Not a valid cursor."))])
    return value, pk


def _limit_of(request: HttpRequest) -> int:
    raw = request.GET.get("limit")
    if raw is None:
        return DEFAULT_LIMIT
    try:
        limit = int(raw)
    except ValueError:
        limit = 0
    if not 1 <= limit <= MAX_LIMIT:
        raise ProblemError(400, _("limit is from 1 to 100."), errors=[("limit", _("Give a number from 1 to 100."))])
    return limit


def paginate(
    request: HttpRequest,
    items: QuerySet[Any],
    *,
    schema_fn: Callable[[Any], Any] | None = None,
    order: str = "-id",
) -> dict[str, Any]:
    """One page of ``items`` after the request's ``cursor``, ``limit`` long (default 20, at most 100).

    The cursor is opaque: the last item's ``order`` key and id, so a page stays right while items are added
    (keyset pagination, never an offset). ``order`` is a field name, with "-" for newest first; ties go by id.
    ``schema_fn`` turns each item into what the response schema takes (default: the item itself)."""
    limit = _limit_of(request)
    descending = order.startswith("-")
    key = order.lstrip("-")
    direction = "-" if descending else ""
    ordering = [f"{direction}{key}"] if key in {"id", "pk"} else [f"{direction}{key}", f"{direction}id"]
    queryset = items.order_by(*ordering)
    cursor = request.GET.get("cursor")
    if cursor:
        value, pk = _decode_cursor(cursor)
        after = "lt" if descending else "gt"
        if key in {"id", "pk"}:
            queryset = queryset.filter(**{f"id__{after}": pk})
        else:
            queryset = queryset.filter(Q(**{f"{key}__{after}": value}) | Q(**{key: value, f"id__{after}": pk}))
    try:
        rows = list(queryset[: limit + 1])
    except (ValueError, TypeError) as exc:  # a cursor whose value does not fit the key's type
        raise ProblemError(400, _("This cursor is not valid."), errors=[("cursor", _("Not a valid cursor."))]) from exc
    more = len(rows) > limit
    rows = rows[:limit]
    next_url = None
    if more and rows:
        last: Model = rows[-1]
        query = request.GET.copy()
        query["cursor"] = _encode_cursor(getattr(last, "id" if key == "pk" else key), last.pk)
        query["limit"] = str(limit)
        next_url = request.build_absolute_uri(request.path) + "?" + urlencode(sorted(query.items()))
    return {"items": [schema_fn(row) for row in rows] if schema_fn else rows, "next": next_url}


# ------------------------------------------------------------------------------------------------- the API


class CoproduceAPI(NinjaAPI):
    """NinjaAPI with the house's operation ids and problem responses declared on every operation."""

    prefixed_routers: list[tuple[str, Router]]

    def get_openapi_operation_id(self, operation: Operation) -> str:
        prefixes = {
            path_operation.view_func: prefix
            for prefix, api_router in self.prefixed_routers
            for path_view in api_router.path_operations.values()
            for path_operation in path_view.operations
        }
        prefix = prefixes.get(operation.view_func, "")
        return f"{prefix}_{operation.view_func.__name__}" if prefix else operation.view_func.__name__

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, definition in problem.pop("$defs", {}).items():
            components[name] = definition
        components["Problem"] = problem
        content = {PROBLEM_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
        for methods in schema["paths"].values():
            for method, operation in methods.items():
                responses = operation.setdefault("responses", {})
                for status in PROBLEM_STATUSES:
                    if status == 413 and method in {"get", "head", "delete"}:
                        continue
                    responses.setdefault(str(status), {"description": HTTPStatus(status).phrase, "content": content})
        return schema


_API: CoproduceAPI | None = None


def build_api(*, urls_namespace: str, routers: Iterable[tuple[str, Router]]) -> CoproduceAPI:
    """An API with the house's authentication, problem details and operation ids, made of ``routers``."""
    api = CoproduceAPI(
        title="Coproduce API",
        version="1",
        description="The same things and the same rules as Coproduce's pages, for personal access tokens.",
        urls_namespace=urls_namespace,
        docs_url=None,
        openapi_url="/openapi.json",
        auth=TokenAuth(),
    )
    handlers: dict[type[Exception], Any] = {
        ValidationError: _on_validation,
        ServiceError: _on_service_error,
        Http404: _on_not_found,
        HttpError: _on_http_error,
        ProblemError: _on_problem,
    }
    for exception, handler in handlers.items():
        api.add_exception_handler(exception, handler)
    api.prefixed_routers = list(routers)
    for _prefix, api_router in api.prefixed_routers:
        api.add_router("", api_router)
    return api


def api_v1() -> CoproduceAPI:
    """The one API instance, built from the registered routers (the apps' ready() has run by now)."""
    global _API
    if _API is None:
        _API = build_api(urls_namespace="api:v1", routers=_ROUTERS)
    return _API


def recorded(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap one of the API's URL views: refuse a body over ``BODY_LIMIT`` (413), record each use of a token."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            length = int(request.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        if length > BODY_LIMIT:
            return problem_response(
                request, 413, _("The body is larger than %(size)s KiB.") % {"size": BODY_LIMIT // 1024}
            )
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and response.get("Content-Type") != PROBLEM_TYPE:
            allow = response.get("Allow", "")
            response = problem_response(
                request, 405, _("This address does not take %(method)s.") % {"method": request.method}
            )
            response["Allow"] = allow
        token: AccessToken | None = getattr(request, "api_token", None)
        if token is not None:
            token_used(token=token, method=request.method or "", path=request.path, status=response.status_code)
        return response

    return wrapper


def url_patterns() -> list[URLPattern]:
    """The API's URL patterns, each view wrapped by :func:`recorded`."""
    patterns, _app, _namespace = api_v1().urls
    wrapped: list[URLPattern] = []
    for pattern in patterns:
        if not isinstance(pattern, URLPattern):
            raise TypeError(f"the API has only URL patterns, not {pattern!r}")
        wrapped.append(URLPattern(pattern.pattern, recorded(pattern.callback), pattern.default_args, pattern.name))
    return wrapped
