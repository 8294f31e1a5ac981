"""Words for the results pages: a statement's short heading from its key."""

from __future__ import annotations

from django import template

from coproduce.evaluation.instrument import STATEMENT_BY_KEY

register = template.Library()


@register.filter
def statement_short(key: str) -> str:
    """ "Listened to" for "listened"; the key itself when unknown."""
    statement = STATEMENT_BY_KEY.get(key)
    return key if statement is None else str(statement.short)
