"""Log lines an operator can follow: one JSON object per line (or plain text in the demo), each carrying the
id of the request it belongs to, and of the background task, which keeps the id of the request that queued it.

* The request id comes from an incoming ``X-Request-ID`` when it is well formed (the reverse proxy sets one),
  else a new one is made; ``core.operations.RequestIdMiddleware`` sets it for the request and echoes it in
  the response's ``X-Request-ID``.
* A task queued while a request is answered stores the id with its arguments (``core.task_backend``), and
  ``coproduce worker`` sets it again, with the task's own id, while the task runs (``core.background``).
* :class:`ContextFilter` puts both on every record, and takes email addresses out of the message: logs
  never hold personal data (docs/operations.md, "Logs").

``COPRODUCE_LOG_FORMAT`` chooses ``json`` (production's default) or ``text`` (the demo's).
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from pythonjsonlogger.json import JsonFormatter as LibraryJsonFormatter

request_id_var: ContextVar[str] = ContextVar("coproduce_request_id", default="")
task_id_var: ContextVar[str] = ContextVar("coproduce_task_id", default="")

# Letters, digits and . _ - only, 8 to 128 of them: nginx's $request_id (32 hex digits), HAProxy's unique-id,
# a UUID. Anything else (a log line's worth of text, a newline) is replaced by an id of our own.
WELL_FORMED_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,128}")
EMAIL = re.compile(r"[^\s@<>()\[\]\"',;:]+@[^\s@<>()\[\]\"',;:]+\.[A-Za-z]{2,}")
REDACTED_EMAIL = "[email]"


def new_request_id() -> str:
    return uuid.uuid4().hex


def request_id_from(header: str | None) -> str:
    """The incoming id if it is well formed, else a new one."""
    if header and WELL_FORMED_REQUEST_ID.fullmatch(header):
        return header
    return new_request_id()


def current_request_id() -> str:
    """The id of the request (or of the request that queued the task) being handled; "" outside both."""
    return request_id_var.get()


@contextmanager
def log_context(*, request_id: str = "", task_id: str = "") -> Iterator[None]:
    """Every record logged inside carries these ids."""
    request_token = request_id_var.set(request_id)
    task_token = task_id_var.set(task_id)
    try:
        yield
    finally:
        task_id_var.reset(task_token)
        request_id_var.reset(request_token)


def redact(text: str) -> str:
    return EMAIL.sub(REDACTED_EMAIL, text)


class ContextFilter(logging.Filter):
    """Adds ``request_id`` and ``task_id`` to each record and takes email addresses out of its message.
    Set on the handler, so that it sees the records of every logger (Django's, allauth's, axes', ours)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        record.task_id = task_id_var.get()
        try:
            message = record.getMessage()
        except Exception:  # a message whose arguments do not fit: the handler reports it, as without us
            return True
        cleaned = redact(message)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        return True


class JsonFormatter(LibraryJsonFormatter):
    """python-json-logger's formatter with the fields named once for every process: ``time`` (UTC, ISO 8601),
    ``level``, ``logger``, ``message``, ``request_id``, ``task_id`` (empty when there is none), and
    ``exc_info`` with the traceback when there is one."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("fmt", ["levelname", "name", "message", "request_id", "task_id"])
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        kwargs.setdefault("timestamp", "time")
        super().__init__(*args, **kwargs)
