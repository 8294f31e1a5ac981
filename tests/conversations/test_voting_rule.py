"""The votability rule is stated once (conversations/voting/rule.py): its Python test and its SQL agree."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.db.models import Field
from django.utils import timezone

from coproduce.conversations.models import Conversation, Statement
from coproduce.conversations.voting import rule
from tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()
HOUR = timedelta(hours=1)
WINDOWS = [  # (opens_at, closes_at)
    (NOW - HOUR, None),
    (NOW - HOUR, NOW + HOUR),
    (NOW + HOUR, None),
    (NOW - 2 * HOUR, NOW - HOUR),
    (NOW - HOUR, NOW),  # closes at this very moment: closed
    (NOW, None),  # opens at this very moment: open
]
# Whether one stored statement takes votes, asked of the database.
VOTABLE_SQL = (
    "SELECT CASE WHEN {votable} THEN 1 ELSE 0 END FROM {conversations} c "
    "JOIN {statements} s ON s.conversation_id = c.id WHERE s.id = %s"
)
STATUSES = [rule.PUBLISHED, "pending", rule.MODERATED_OUT]


def test_the_rules_fields_are_the_models_columns() -> None:
    for model, bound in [(Conversation, rule.OPENED), (Conversation, rule.NOT_CLOSED), (Statement, rule.IS_PUBLISHED)]:
        field = model._meta.get_field(bound.field)
        assert isinstance(field, Field) and field.column == bound.field


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize(("opens_at", "closes_at"), WINDOWS)
def test_python_and_sql_say_the_same(opens_at: Any, closes_at: Any, status: str) -> None:
    qn = connection.ops.quote_name
    conversation = Conversation.objects.create(
        partnership=PartnershipFactory(), topic="T", opens_at=opens_at, closes_at=closes_at
    )
    statement = Statement.objects.create(conversation=conversation, number=0, text="S", text_key="s", status=status)
    sql = VOTABLE_SQL.format(
        votable=rule.votable_sql("c", "s"),
        conversations=qn(Conversation._meta.db_table),
        statements=qn(Statement._meta.db_table),
    )
    with connection.cursor() as cursor:
        now = connection.ops.adapt_datetimefield_value(NOW)
        cursor.execute(sql, [*rule.votable_params(now), statement.pk])
        (in_sql,) = cursor.fetchone()
    is_open = opens_at <= NOW and (closes_at is None or closes_at > NOW)
    assert rule.open_at(opens_at, closes_at, NOW) == is_open
    assert (rule.refusal(opens_at, closes_at, status, NOW) is None) == (is_open and status == rule.PUBLISHED)
    assert bool(in_sql) == (is_open and status == rule.PUBLISHED)
