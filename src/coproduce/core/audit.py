"""Writing the audit log. Every service that must leave a trace calls :func:`audit_record`.

Services take the acting person, never the HTTP request. Where the request came from is the audit
context: ``AuditContextMiddleware`` (``core/middleware.py``) sets it for the length of each request, with
:func:`audit_context`, and :func:`audit_record` reads it. Outside a request (a task, a command) there is
none, and the event is recorded with no address.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, cast

from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.http import HttpRequest

from coproduce.core.clientaddress import client_address
from coproduce.core.models import AuditEvent


@dataclass(frozen=True, slots=True)
class AuditContext:
    """Where the acts being recorded come from: the client's address (by ``core.clientaddress``'s rule)."""

    address: str | None = None

    @classmethod
    def of(cls, request: HttpRequest) -> AuditContext:
        return cls(address=client_address(request))


NO_CONTEXT = AuditContext()

_current: ContextVar[AuditContext] = ContextVar("coproduce_audit_context", default=NO_CONTEXT)


def audit_context_current() -> AuditContext:
    """The context audit events are recorded with now; ``NO_CONTEXT`` outside a request."""
    return _current.get()


@contextmanager
def audit_context(context: AuditContext) -> Iterator[AuditContext]:
    """Record every event inside the block with ``context``; the one before comes back afterwards, also
    when the block raises."""
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


def audit_record(
    *,
    actor: Any,
    action: str,
    partnership_id: int | None = None,
    target: models.Model | None = None,
    target_label: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event. ``actor`` is a user or None (e.g. an anonymous failed sign-in). The address
    is the current audit context's (none outside a request)."""
    is_person = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if is_person else None,
        actor_label=(getattr(actor, "display_name", "") or "")[:200] if is_person else "",
        action=action,
        partnership_id=partnership_id,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=(target_label or (str(target) if target is not None else ""))[:200],
        detail=detail or {},
        ip_address=_current.get().address,
    )


def audit_forget(
    *,
    partnership_id: int,
    objects: Iterable[models.Model],
    person: Any,
    action_prefix: str,
) -> int:
    """Erasure: the events about ``objects`` (e.g. a support plan and its parts), and the person's own events
    whose action starts with ``action_prefix``, keep what happened and when, but no longer say to what or
    to whom. Their target id, label and detail go (the detail becomes ``{"erased": true}``); where the person
    acted, their name, account and address go too. Someone else who acted on them (a keyworker reading the
    plan) stays named: their own actions are still accounted for. Nothing is deleted, so the count of events
    stays the same. Returns how many events were changed."""
    ids_by_type: dict[str, set[str]] = {}
    for obj in objects:
        ids_by_type.setdefault(obj._meta.label_lower, set()).add(str(obj.pk))
    about = Q(pk__in=[])
    for target_type, ids in ids_by_type.items():
        about |= Q(target_type=target_type, target_id__in=sorted(ids))
    person_id = getattr(person, "pk", None)
    changes: dict[str, Any] = {"target_id": "", "target_label": "", "detail": {"erased": True}}
    theirs = Q(pk__in=[])
    if person_id is not None:
        theirs = Q(actor_id=person_id, action__startswith=action_prefix)
        by_them = Q(actor_id=person_id)
        for name, blank in (("actor", None), ("actor_label", ""), ("ip_address", None)):
            field = cast("models.Field[Any, Any]", AuditEvent._meta.get_field(name))
            changes[name] = Case(When(by_them, then=Value(blank)), default=F(name), output_field=field)
    # Audit events are otherwise append-only (AuditEvent.save refuses changes); this is the one exception.
    # One statement, so that the rows it matches are the rows it changes.
    return AuditEvent.objects.filter(Q(partnership_id=partnership_id) & (about | theirs)).update(**changes)
