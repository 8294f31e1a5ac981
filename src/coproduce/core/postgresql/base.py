"""Django's PostgreSQL backend, with the start-of-request health check made without a round trip.

With ``CONN_HEALTH_CHECKS`` Django asks an open connection ``SELECT 1`` before the first query of each
request, so that a connection the server has dropped (a restart, an administrator ending it, a timeout) is
replaced rather than failing the request. That is one more round trip on every request: on a vote, about
a twentieth of its work (docs/performance.md).

Here the check first looks at the connection's socket without waiting. Between requests nothing is being
asked, so nothing should have arrived: a socket with nothing to read belongs to a connection the server
still holds. When the server ends a connection it says so (an error message, then the end of the stream),
which makes the socket readable; then, and when psycopg already knows the connection is broken, the check
is Django's own ``SELECT 1`` and the connection is replaced if that fails. ``ENGINE =
"coproduce.core.postgresql"`` (``settings.py`` sets it for a ``postgres://`` ``DATABASE_URL``); everything else
is Django's backend unchanged.
"""

from __future__ import annotations

import select

import psycopg
from django.db.backends.postgresql import base
from psycopg import pq


def quiet(connection: object) -> bool:
    """True when the psycopg connection is open, idle and nothing has arrived on its socket since the last
    answer was read; False when something has (or psycopg cannot tell), so it must be asked."""
    if getattr(connection, "closed", True) or getattr(connection, "broken", True):
        return False
    pgconn = connection.pgconn  # type: ignore[attr-defined]
    if pgconn.status != pq.ConnStatus.OK or pgconn.transaction_status != pq.TransactionStatus.IDLE:
        return False
    try:
        readable, _writable, _failed = select.select([pgconn.socket], [], [], 0)
    except (OSError, ValueError, psycopg.Error):  # a descriptor already closed
        return False
    return not readable


class DatabaseWrapper(base.DatabaseWrapper):
    def close_if_health_check_failed(self) -> None:
        # (the stubs do not know these attributes of Django's wrapper)
        if (
            self.connection is None
            or not getattr(self, "health_check_enabled", False)
            or getattr(self, "health_check_done", False)
            or getattr(self, "pool", None)  # the pool checks its own connections
        ):
            return
        if not quiet(self.connection) and not self.is_usable():
            self.close()
        self.health_check_done = True
