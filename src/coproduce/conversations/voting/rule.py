"""Whether a statement takes a vote now: the rule, stated once.

A statement takes votes while its conversation is open (it has opened and has not closed) and the statement is
published. Each part is a ``Bound``: one column compared with one value. The same ``Bound`` gives the Python
test (``holds``) and the SQL condition (``sql``), so the models, the vote's SQL, the routing SQL and the home
page's list of open conversations cannot drift apart. ``refusal`` says why a vote is not taken, in plain
words, in the order people meet the reasons. (This module imports no model, so ``models`` can use it.)
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection
from django.utils.translation import gettext as _

from coproduce.core.exceptions import NotPermitted, ServiceError

_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {"<=": operator.le, ">": operator.gt, "=": operator.eq}


@dataclass(frozen=True)
class Bound:
    """``field op value``; when ``or_empty``, also true while the field is empty (NULL)."""

    field: str
    op: str
    or_empty: bool = False

    def holds(self, stored: Any, value: Any) -> bool:
        """The test in Python, on the value stored in the field."""
        if stored is None:
            return self.or_empty
        return _OPERATORS[self.op](stored, value)

    def sql(self, alias: str, column: str | None = None) -> str:
        """The test in SQL, on ``alias.column`` (the field's own column unless another name is given, such as
        a column renamed in a subquery), taking the value as one parameter."""
        name = column or self.field
        quoted = f"{alias}.{connection.ops.quote_name(name)}"
        test = f"{quoted} {self.op} %s"
        return f"({quoted} IS NULL OR {test})" if self.or_empty else test


# The conversation's columns (their names are the fields' own: ``models.Conversation``)...
OPENED = Bound("opens_at", "<=")  # against the time now
NOT_CLOSED = Bound("closes_at", ">", or_empty=True)  # against the time now
# ...and the statement's (``models.Statement``), against ``PUBLISHED``.
IS_PUBLISHED = Bound("status", "=")
PUBLISHED = "published"
MODERATED_OUT = "moderated_out"


def open_at(opens_at: datetime, closes_at: datetime | None, now: datetime) -> bool:
    return OPENED.holds(opens_at, now) and NOT_CLOSED.holds(closes_at, now)


def open_sql(alias: str) -> str:
    """The conversation ``alias`` is open: takes the time now twice."""
    return f"{OPENED.sql(alias)} AND {NOT_CLOSED.sql(alias)}"


def votable_sql(conversation: str, statement: str, *, status_column: str | None = None) -> str:
    """The statement takes votes: takes the time now twice, then ``PUBLISHED``."""
    return f"{open_sql(conversation)} AND {IS_PUBLISHED.sql(statement, status_column)}"


def votable_params(now: Any) -> list[Any]:
    """The parameters of ``votable_sql``, in order."""
    return [now, now, PUBLISHED]


def refusal(opens_at: datetime, closes_at: datetime | None, status: str, now: datetime) -> Exception | None:
    """Why the statement takes no vote now (an error to raise), or None when it does."""
    if not OPENED.holds(opens_at, now):
        return ServiceError(_("This conversation has not opened yet."), code="not_open")
    if not NOT_CLOSED.holds(closes_at, now):
        return ServiceError(_("This conversation has closed, so it takes no more votes."), code="closed")
    if status == MODERATED_OUT:
        return ServiceError(
            _("This statement was taken out of the conversation, so it takes no votes."), code="moderated_out"
        )
    if not IS_PUBLISHED.holds(status, PUBLISHED):
        return NotPermitted()  # a statement waiting for a coordinator is not there yet for voters
    return None
