"""Mail servers that misbehave, for the tests of sending email: one that never answers, one that refuses."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def silent_server() -> Iterator[int]:
    """A server that accepts connections (the system completes them) and never says a word: its port."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(32)
        yield server.getsockname()[1]


def refusing_port() -> int:
    """A port nobody listens on: connections to it are refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def use_smtp(settings: Any, port: int, timeout: float) -> None:
    """Send email over SMTP to 127.0.0.1:``port`` (instead of the tests' in-memory outbox)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = timeout
