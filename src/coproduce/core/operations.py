"""What operators and their machines ask a web server: ``/healthz``, ``/readyz``, ``/metrics``, and the
request id of every log line (docs/operations.md).

* ``/healthz``: the process answers. ``200 ok`` in plain text, no database query, no session.
* ``/readyz``: the database answers (``SELECT 1`` on every call) and every migration on disk is applied
  (looked at most once per ``COPRODUCE_READY_MIGRATIONS_EVERY`` seconds per process, 10 by default, so an
  answer about migrations is at most that old). ``200 {"status": "ready"}``, else ``503`` with the reason.
* ``/metrics``: Prometheus' text format (``prometheus_client``). Off (404) unless ``COPRODUCE_METRICS_TOKEN``
  (sent as ``Authorization: Bearer …``) or ``COPRODUCE_METRICS_ALLOW`` (addresses or networks of the peer)
  is set; anyone else gets 403. Requests by method, route (the view's name, never the address with its
  slugs and ids) and status; a latency histogram; the task queue's length and the age of its oldest ready
  task, read from django-tasks-db's table when scraped. With several granian worker processes the counts
  of all of them are added up through ``PROMETHEUS_MULTIPROC_DIR`` (``coproduce serve`` sets it).

The three are answered by a middleware placed before Django's host check, HTTPS redirect, sessions, CSRF,
sign-in and rate limits: a load balancer asking an address by IP over plain HTTP gets its answer.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone

from coproduce.core.logs import log_context, request_id_from

REQUEST_ID_HEADER = "X-Request-ID"
HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"
METRICS_PATH = "/metrics"
OPERATIONS_PATHS = frozenset({HEALTH_PATH, READY_PATH, METRICS_PATH})


class RequestIdMiddleware:
    """Every log line written while the request is answered carries its id (``core.logs``); the response
    says it in ``X-Request-ID``, as does a task the request queued."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        with log_context(request_id=request_id):
            response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        return response


# --- /healthz and /readyz -----------------------------------------------------------------------------


def _plain(body: str, status: int = 200, content_type: str = "text/plain; charset=utf-8") -> HttpResponse:
    response = HttpResponse(body, status=status, content_type=content_type)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _json(data: dict[str, Any], status: int) -> HttpResponse:
    return _plain(json.dumps(data), status, "application/json")


class MigrationCheck:
    """Whether migrations on disk are unapplied, remembered for ``every`` seconds (one per process)."""

    def __init__(self) -> None:
        self.checked_at: float | None = None
        self.unapplied = 0

    def count_unapplied(self, every: float) -> int:
        now = time.monotonic()
        if self.checked_at is None or now - self.checked_at >= every:
            from django.db.migrations.executor import MigrationExecutor

            executor = MigrationExecutor(connection)
            self.unapplied = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
            self.checked_at = now
        return self.unapplied

    def forget(self) -> None:
        self.checked_at = None


migration_check = MigrationCheck()


def readiness() -> tuple[int, dict[str, Any]]:
    """(status, body) of ``/readyz``."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return 503, {"status": "unavailable", "reason": "the database does not answer"}
    try:
        unapplied = migration_check.count_unapplied(settings.COPRODUCE_READY_MIGRATIONS_EVERY)
    except DatabaseError:
        migration_check.forget()
        return 503, {"status": "unavailable", "reason": "the database does not answer"}
    if unapplied:
        return 503, {"status": "unavailable", "reason": "migrations not applied", "unapplied": unapplied}
    return 200, {"status": "ready"}


# --- /metrics -----------------------------------------------------------------------------------------


def metrics_enabled() -> bool:
    return bool(settings.COPRODUCE_METRICS_TOKEN or settings.COPRODUCE_METRICS_ALLOW)


def _networks(allowed: Iterable[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(item, strict=False) for item in allowed]


def metrics_allowed(request: HttpRequest) -> bool:
    """A bearer token equal to ``COPRODUCE_METRICS_TOKEN``, or a peer in ``COPRODUCE_METRICS_ALLOW``."""
    token = settings.COPRODUCE_METRICS_TOKEN
    if token:
        sent = request.headers.get("Authorization", "")
        if sent.startswith("Bearer ") and hmac.compare_digest(sent[len("Bearer ") :].encode(), token.encode()):
            return True
    allowed = settings.COPRODUCE_METRICS_ALLOW
    if allowed:
        try:
            peer = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
        except ValueError:
            return False
        return any(peer in network for network in _networks(allowed))
    return False


LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


@cache
def request_metrics() -> tuple[Any, Any]:
    """The request counter and latency histogram, made once per process when first used (after granian has
    started the process, so that ``PROMETHEUS_MULTIPROC_DIR`` is seen)."""
    from prometheus_client import CollectorRegistry, Counter, Histogram

    registry = CollectorRegistry(auto_describe=True)
    requests = Counter(
        "coproduce_http_requests",
        "Requests answered, by method, route (the view's name) and status.",
        ["method", "route", "status"],
        registry=registry,
    )
    latency = Histogram(
        "coproduce_http_request_duration_seconds",
        "Time to answer a request, by method and route.",
        ["method", "route"],
        buckets=LATENCY_BUCKETS,
        registry=registry,
    )
    return registry, (requests, latency)


def route_of(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name:
        return str(match.view_name)
    if request.path.startswith(settings.STATIC_URL):
        return "static"
    return "unmatched"


class MetricsMiddleware:
    """Counts and times every request but the three above. Not in the chain at all when ``/metrics`` is off."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        if not metrics_enabled():
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed = time.perf_counter() - started
        _registry, (requests, latency) = request_metrics()
        method = request.method if request.method in METHODS else "other"
        route = route_of(request)
        requests.labels(method, route, str(response.status_code)).inc()
        latency.labels(method, route).observe(elapsed)
        return response


class TaskQueueCollector:
    """The task queue, read from django-tasks-db's table at each scrape (through its partial index of
    ready tasks): how many are due now, how long the oldest of them has waited, how many wait to be
    tried again later."""

    def collect(self) -> Iterator[Any]:
        from django.db.models import Count, Min, Q
        from django_tasks_db.models import DBTaskResult, get_date_max
        from prometheus_client.core import GaugeMetricFamily

        now = timezone.now()
        never = get_date_max()
        ready = DBTaskResult.objects.filter(status="READY").order_by()
        row = ready.aggregate(
            due=Count("pk", filter=Q(run_after=never) | Q(run_after__lte=now)),
            later=Count("pk", filter=Q(run_after__gt=now) & ~Q(run_after=never)),
            oldest_queued=Min("enqueued_at", filter=Q(run_after=never)),
            oldest_due=Min("run_after", filter=Q(run_after__lte=now)),
        )
        waiting_since = [moment for moment in (row["oldest_queued"], row["oldest_due"]) if moment is not None]
        oldest: datetime | None = min(waiting_since) if waiting_since else None
        yield GaugeMetricFamily(
            "coproduce_task_queue_length", "Background tasks due to run now and not yet started.", value=row["due"]
        )
        yield GaugeMetricFamily(
            "coproduce_task_queue_oldest_age_seconds",
            "How long the oldest task due to run has waited for a worker (0 when none waits).",
            value=max((now - oldest).total_seconds(), 0.0) if oldest else 0.0,
        )
        yield GaugeMetricFamily(
            "coproduce_task_retries_waiting",
            "Tasks that failed for a passing reason, waiting to be tried again.",
            value=row["later"],
        )


def metrics_text() -> tuple[bytes, str]:
    """The exposition text of every metric, and its content type."""
    from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
    from prometheus_client.multiprocess import MultiProcessCollector

    scrape = CollectorRegistry(auto_describe=False)
    scrape.register(TaskQueueCollector())  # type: ignore[arg-type]
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(scrape)  # every process's counts, this one's included
        return generate_latest(scrape), CONTENT_TYPE_LATEST
    registry, _metrics = request_metrics()
    return generate_latest(registry) + generate_latest(scrape), CONTENT_TYPE_LATEST


class OperationsEndpointsMiddleware:
    """Answers ``/healthz``, ``/readyz`` and ``/metrics`` (GET and HEAD) before the rest of the chain."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        path = request.path_info
        if path not in OPERATIONS_PATHS:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = _plain("Method not allowed\n", 405)
            response["Allow"] = "GET, HEAD"
            return response
        if path == HEALTH_PATH:
            return _plain("ok\n")
        if path == READY_PATH:
            status, body = readiness()
            return _json(body, status)
        if not metrics_enabled():
            return _plain("Not found\n", 404)
        if not metrics_allowed(request):
            return _plain("Forbidden\n", 403)
        try:
            body_bytes, content_type = metrics_text()
        except DatabaseError:
            return _plain("The database does not answer\n", 503)
        return _plain(body_bytes.decode(), 200, content_type)
