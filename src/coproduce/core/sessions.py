"""Django's database sessions, with the one read every signed-in request makes written once as SQL, and the
signed-in person read in the same query.

``SESSION_ENGINE = "coproduce.core.sessions"``. Same table, same rows and the same rules as
``django.contrib.sessions.backends.db`` (a session counts only before its expiry date); only the lookup
differs: the ORM compiled it afresh on every request, which was about a seventh of the CPU of a vote
(docs/performance.md). Writing, ending and cleaning up sessions are Django's own.

**The person with the session** (ADR 16). A signed-in request reads the session, then the person whose id
the session holds: two round trips. The id is inside the signed session data, so the database cannot join
on it; but each process remembers, for the sessions it has read, whose they were (a hint: at most
``HINTS_KEPT`` sessions). With a hint, the session is read together with that person's row in one query,
and the row is put aside for the authentication backend (:func:`take_person`). The hint is only a guess:
the row is used only when the session, once decoded, names that same person, and Django then checks the
session against the person's password hash as always. Without a hint, or when it was wrong, the person is
read on their own, as before.
"""

from __future__ import annotations

import functools
import re
import threading
from contextvars import ContextVar
from typing import Any

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends import db
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.utils import timezone

from coproduce.core.db import prepared_cursor, prepared_raw

# Only quoted identifiers are put into the text; the key, the time and the person's id are parameters.
_READ_SQL = "SELECT {data} FROM {table} WHERE {key} = %s AND {expires} > %s"
_READ_WITH_PERSON_SQL = (
    "SELECT s.{data} AS coproduce_session_data, {person_columns} FROM {table} s "
    "LEFT JOIN {people} u ON u.{pk} = %s WHERE s.{key} = %s AND s.{expires} > %s"
)

_WELL_FORMED_KEY = re.compile(r"[a-z0-9]{8,64}")
HINTS_KEPT = 10_000
_hints: dict[str, Any] = {}  # session key -> the person's primary key, as last read in this process
_hints_lock = threading.Lock()  # for writing (rare: a session's first read); reading needs none
# The person read with this request's session: (primary key, instance), taken at most once.
_person: ContextVar[tuple[Any, Any] | None] = ContextVar("coproduce_session_person", default=None)


def take_person(pk: Any) -> Any:
    """The person with primary key ``pk`` if they were read with this request's session, else None.
    Taken once: a second call reads nothing."""
    found = _person.get()
    if found is None or found[0] != pk:
        return None
    _person.set(None)
    return found[1]


@functools.cache
def _texts(model: type[Any], alias: str) -> tuple[str, str]:
    """The session read alone and with the person, for this session model and database: built once."""
    qn = connections[alias].ops.quote_name
    names = {
        "data": qn(model._meta.get_field("session_data").column),
        "table": qn(model._meta.db_table),
        "key": qn(model._meta.get_field("session_key").column),
        "expires": qn(model._meta.get_field("expire_date").column),
    }
    person = get_user_model()
    with_person = _READ_WITH_PERSON_SQL.format(
        person_columns=", ".join(f"u.{qn(f.column)}" for f in person._meta.concrete_fields),
        people=qn(person._meta.db_table),
        pk=qn(person._meta.pk.column),  # type: ignore[union-attr]
        **names,
    )
    return _READ_SQL.format(**names), with_person


def _remember(key: str, pk: Any) -> None:
    with _hints_lock:  # another thread's write while the oldest is looked for would break the iteration
        if key not in _hints and len(_hints) >= HINTS_KEPT:
            _hints.pop(next(iter(_hints)), None)
        _hints[key] = pk


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Any:
        _person.set(None)  # nothing from an earlier request's session is ever handed on
        key = self.session_key
        if not key or not _WELL_FORMED_KEY.fullmatch(key):
            # Django makes keys of lowercase letters and digits; anything else (a NUL, which PostgreSQL cannot
            # even compare) is a session that does not exist.
            self._session_key = None
            return None
        model = self.model
        connection = connections[router.db_for_read(model)]
        alone, with_person = _texts(model, connection.alias)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        hint = _hints.get(key)
        if hint is not None:
            found = prepared_raw(get_user_model(), with_person, [hint, key, now], using=connection.alias)
            if not found:
                self._session_key = None
                return None
            person = found[0]
            if person.pk is not None:
                _person.set((person.pk, person))
            return model(session_key=key, session_data=getattr(person, "coproduce_session_data"))  # noqa: B009
        with prepared_cursor(connection) as cursor:
            cursor.execute(alone, [key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None  # as Django does: a missing or expired session starts afresh
            return None
        return model(session_key=key, session_data=row[0])

    def load(self) -> dict[str, Any]:
        data: dict[str, Any] = super().load()
        key = self.session_key
        pk = None
        if key and SESSION_KEY in data:
            try:
                pk = get_user_model()._meta.pk.to_python(data[SESSION_KEY])  # type: ignore[union-attr]
            except ValidationError:
                pk = None
            if pk is not None and _hints.get(key) != pk:
                _remember(key, pk)
        found = _person.get()
        if found is not None and (pk is None or found[0] != pk):
            _person.set(None)  # the hint was wrong (or nobody is signed in): nothing is handed on
        return data
