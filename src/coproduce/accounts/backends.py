"""Sign-in by allauth, with the person read on each request by SQL written once.

``AuthenticationBackend`` is allauth's own (password or emailed code, with its rules); only ``get_user``, which
Django calls on every signed-in request to load the person from the session, differs: the ORM compiled that
lookup afresh each time, about a seventh of a vote's CPU (docs/performance.md). When the session store has
already read the person with the session (``core.sessions``, ADR 16) that row is used and nothing more is
asked. The same rule applies: an inactive account is not signed in.

``authenticate`` is allauth's too, and counts each password it finds wrong for the email tried (and ends the
count when it finds one right): the per-account limit of ``accounts/limits.py``. It runs only when django-axes
has let the attempt through, so attempts refused by a lock-out are not counted twice.
"""

from __future__ import annotations

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.http import HttpRequest

from coproduce.accounts import limits
from coproduce.accounts.lockout import attempted_email
from coproduce.core.db import prepared_raw
from coproduce.core.sessions import take_person

# Only the quoted table and column names are put into the text; the id is a parameter.
_USER_SQL = "SELECT {columns} FROM {table} WHERE {pk} = %s"


class AuthenticationBackend(AllauthBackend):
    def authenticate(self, request: HttpRequest | None, **credentials: Any) -> Any:
        user = super().authenticate(request, **credentials)
        if request is None or "password" not in credentials:
            return user
        account = attempted_email(request, credentials) or ""
        # Counted here, where the password is checked; the audit event is written by the signal Django sends.
        if user is None:
            failure = limits.failure_record(limits.PASSWORD, account=account, address=None)
            setattr(request, limits.PASSWORD_FAILURE, failure)  # for the audit event (accounts/signals.py)
        else:
            limits.success_record(limits.PASSWORD, account=account)
        return user

    def get_user(self, user_id: Any) -> Any:
        model = get_user_model()
        try:
            pk = model._meta.pk.to_python(user_id)  # type: ignore[union-attr]
        except ValidationError:  # a malformed id in a session is no one
            return None
        # Read with the session when the session store could (core.sessions, ADR 16): no second query.
        user = take_person(pk)
        if user is not None:
            return user if self.user_can_authenticate(user) else None
        connection = connections[router.db_for_read(model)]
        qn = connection.ops.quote_name
        sql = _USER_SQL.format(
            columns=", ".join(qn(field.column) for field in model._meta.concrete_fields),
            table=qn(model._meta.db_table),
            pk=qn(model._meta.pk.column),  # type: ignore[union-attr]
        )
        found = list(prepared_raw(model, sql, [pk], using=connection.alias))
        if not found:
            return None
        user = found[0]
        return user if self.user_can_authenticate(user) else None
