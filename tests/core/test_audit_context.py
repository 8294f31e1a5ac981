"""The audit context: services take the acting person, and the client's address reaches the audit log from
the request through AuditContextMiddleware, for the length of that request only."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from coproduce.core.audit import NO_CONTEXT, AuditContext, audit_context, audit_context_current, audit_record
from coproduce.core.middleware import AuditContextMiddleware
from coproduce.core.models import AuditEvent
from coproduce.partnerships import services
from tests.conftest import signed_in
from tests.factories import InvitationFactory

PROXY = "10.0.0.1"
PACKAGE = Path(__file__).parents[2] / "src" / "coproduce"
# An app's services: its services.py, or every module of its services package.
SERVICES = sorted([*PACKAGE.glob("*/services.py"), *PACKAGE.glob("*/services/*.py")])


def _name(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def revoke_url(invitation: Any) -> str:
    return reverse(
        "partnerships:invitation-revoke", kwargs={"slug": invitation.partnership.slug, "invitation_id": invitation.pk}
    )


def test_a_service_called_behind_a_proxy_records_the_clients_address(coordinator: Any, settings: Any) -> None:
    settings.COPRODUCE_PROXY_COUNT = 1
    invitation = InvitationFactory(partnership=coordinator.partnership)
    response = signed_in(coordinator.user).post(
        revoke_url(invitation), REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.21"
    )
    assert response.status_code == 302
    assert AuditEvent.objects.get(action="invitation.revoked").ip_address == "203.0.113.21"


def test_without_a_proxy_the_connections_address_is_recorded(coordinator: Any, settings: Any) -> None:
    settings.COPRODUCE_PROXY_COUNT = 0
    invitation = InvitationFactory(partnership=coordinator.partnership)
    signed_in(coordinator.user).post(revoke_url(invitation), REMOTE_ADDR="192.0.2.7", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert AuditEvent.objects.get(action="invitation.revoked").ip_address == "192.0.2.7"


def test_the_context_ends_with_the_request(coordinator: Any) -> None:
    first, second = InvitationFactory.create_batch(2, partnership=coordinator.partnership)
    signed_in(coordinator.user).post(revoke_url(first), REMOTE_ADDR="192.0.2.8")
    assert audit_context_current() == NO_CONTEXT
    # The same service called afterwards, outside any request (as a task or a command would), has no address.
    services.invitation_revoke(actor=coordinator, invitation=second)
    events = AuditEvent.objects.filter(action="invitation.revoked").order_by("pk")
    assert [event.ip_address for event in events] == ["192.0.2.8", None]


def test_the_context_ends_when_the_view_raises() -> None:
    seen: list[AuditContext] = []

    def failing_view(request: HttpRequest) -> HttpResponse:
        seen.append(audit_context_current())
        raise RuntimeError("the view failed")

    middleware = AuditContextMiddleware(failing_view)
    with pytest.raises(RuntimeError):
        middleware(RequestFactory().get("/", REMOTE_ADDR="192.0.2.9"))
    assert seen == [AuditContext(address="192.0.2.9")]
    assert audit_context_current() == NO_CONTEXT


def test_a_context_inside_another_gives_the_outer_one_back() -> None:
    outer, inner = AuditContext(address="192.0.2.10"), AuditContext(address="192.0.2.11")
    with audit_context(outer):
        with audit_context(inner):
            assert audit_context_current() == inner
        assert audit_context_current() == outer
    assert audit_context_current() == NO_CONTEXT


def test_outside_a_request_events_have_no_address(db: Any) -> None:
    assert audit_record(actor=None, action="test.outside").ip_address is None


def test_the_services_modules_are_found() -> None:
    assert {_name(path).split("/")[0] for path in SERVICES} >= {"accounts", "partnerships", "support", "voice"}


@pytest.mark.parametrize("path", SERVICES, ids=_name)
def test_services_take_no_request_and_do_not_import_django_http(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    takes_request = [
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        for argument in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs)
        if argument.arg == "request"
    ]
    assert takes_request == [], f"{path.parent.name}/services.py: these take a request: {takes_request}"
    imported = [
        name
        for node in ast.walk(tree)
        for name in (
            [alias.name for alias in node.names]
            if isinstance(node, ast.Import)
            else [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else []
        )
    ]
    assert not [name for name in imported if name == "django.http" or name.startswith("django.http.")]
