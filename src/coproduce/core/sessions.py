"""Django's database sessions, with the one read every signed-in request makes written once as SQL.

``SESSION_ENGINE = "coproduce.core.sessions"``. Same table, same rows and the same rules as
``django.contrib.sessions.backends.db`` (a session counts only before its expiry date); only the lookup
differs: the ORM compiled it afresh on every request, which was about a seventh of the CPU of a vote
(docs/performance.md). Writing, ending and cleaning up sessions are Django's own.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

from coproduce.core.db import prepared_cursor

# Only quoted identifiers are put into the text; the key and the time are parameters.
_READ_SQL = "SELECT {data} FROM {table} WHERE {key} = %s AND {expires} > %s"


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Any:
        key = self.session_key
        if not key:
            self._session_key = None
            return None
        model = self.model
        connection = connections[router.db_for_read(model)]
        qn = connection.ops.quote_name
        sql = _READ_SQL.format(
            data=qn(model._meta.get_field("session_data").column),
            table=qn(model._meta.db_table),
            key=qn(model._meta.get_field("session_key").column),
            expires=qn(model._meta.get_field("expire_date").column),
        )
        with prepared_cursor(connection) as cursor:
            cursor.execute(sql, [key, connection.ops.adapt_datetimefield_value(timezone.now())])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None  # as Django does: a missing or expired session starts afresh
            return None
        return model(session_key=key, session_data=row[0])
