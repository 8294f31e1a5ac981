"""Reads: a person's inbox and the header's unread count, always narrowed to them in one partnership."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import QuerySet

from coproduce.core.db import prepared_cursor
from coproduce.notifications.models import EmailSettings, Notice, NoticePreference
from coproduce.notifications.registry import NoticeKind, notice_kinds
from coproduce.partnerships.models import Membership


def inbox_for(membership: Membership) -> QuerySet[Notice]:
    """The person's notices in this partnership, newest first; those about things already done are gone."""
    return Notice.objects.filter(
        user_id=membership.user_id, partnership_id=membership.partnership_id, done_at__isnull=True
    ).order_by("-latest_at", "-id")


def kinds_for(membership: Membership) -> list[NoticeKind]:
    """The kinds of notice a person may get here, to choose how: a parent is not asked about staff's."""
    return [k for k in notice_kinds() if membership.is_staff_role or not k.staff_only]


def current_choices(membership: Membership) -> dict[str, Any]:
    """The form's starting values: the person's choices, or each kind's default; their quiet hours."""
    chosen = dict(NoticePreference.objects.filter(user_id=membership.user_id).values_list("kind", "delivery"))
    initial: dict[str, Any] = {
        "kind__" + k.key.replace(".", "__"): chosen.get(k.key, k.delivery) for k in kinds_for(membership)
    }
    email_settings = EmailSettings.objects.filter(user_id=membership.user_id).first() or EmailSettings()
    for name in ("quiet_morning_from", "quiet_morning_to", "quiet_afternoon_from", "quiet_afternoon_to"):
        initial[name] = getattr(email_settings, name)
    return initial


def notices_about(membership: Membership, *, kind_prefix: str, limit: int = 10) -> list[Notice]:
    """A capability's own notices to the person, unread, newest first (support's "For you")."""
    return list(inbox_for(membership).filter(kind__startswith=kind_prefix, read_at__isnull=True)[:limit])


# The header shows the count on every partnership page: written once as SQL (only the quoted table name is
# put into the text), it costs no ORM compilation (as voice's count did before, ADR 15).
_UNREAD_SQL = (
    "SELECT COUNT(*) FROM {table} WHERE user_id = %s AND partnership_id = %s AND read_at IS NULL AND done_at IS NULL"
)


def unread_count(membership: Membership) -> int:
    """The same rows as ``inbox_for(membership).filter(read_at__isnull=True)`` (a test holds the two together)."""
    sql = _UNREAD_SQL.format(table=connection.ops.quote_name(Notice._meta.db_table))
    with prepared_cursor(connection) as cursor:
        cursor.execute(sql, [membership.user_id, membership.partnership_id])
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def texts_possible(actor: Membership) -> bool:
    """Whether the person may choose text messages: a confirmed mobile number, and texts not stopped."""
    user = actor.user
    return bool(user.phone and user.phone_verified and not user.texts_stopped)
