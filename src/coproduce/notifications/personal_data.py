"""The inbox's part of "My data", of leaving and erasure, and of the retention periods (registered in
``apps.py``; see ``partnerships.personal_data``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coproduce.core.personal_data import iso_or_none
from coproduce.notifications.models import EmailSettings, Notice, NoticePreference
from coproduce.notifications.registry import notice_kind
from coproduce.partnerships.models import Membership, Partnership
from coproduce.partnerships.personal_data import (
    Departure,
    Disposal,
    Fate,
    PersonalDataExport,
    RetentionKind,
    register_departure,
    register_personal_data,
    register_retention_kind,
)

TABLES = {
    "notices": gettext_lazy("Notifications to you"),
    "how_you_hear": gettext_lazy("How you chose to hear from us"),
}


def _label(kind: str) -> str:
    try:
        return str(notice_kind(kind).label)
    except LookupError:
        return kind


def export(membership: Membership) -> dict[str, list[dict[str, Any]]]:
    notices = Notice.objects.filter(partnership_id=membership.partnership_id, user_id=membership.user_id)
    # The choices and quiet hours are the account's, for every partnership.
    email_settings = EmailSettings.objects.filter(user_id=membership.user_id).first()
    return {
        "notices": [
            {
                "kind": _label(n.kind),
                "text": n.text,
                "times": n.count,
                "first": iso_or_none(n.created_at),
                "latest": iso_or_none(n.latest_at),
                "read": iso_or_none(n.read_at),
                "done": iso_or_none(n.done_at),
                "emailed": iso_or_none(n.emailed_at),
            }
            for n in notices.order_by("-latest_at", "-id")
        ],
        "how_you_hear": [
            {"kind": _label(p.kind), "how": str(p.get_delivery_display())}
            for p in NoticePreference.objects.filter(user_id=membership.user_id).order_by("kind")
        ]
        + (
            [{"quiet_hours": [f"{a:%H:%M}–{b:%H:%M}" for a, b in email_settings.quiet_windows()]}]
            if email_settings
            else []
        ),
    }


def _notices(m: Membership) -> QuerySet[Notice]:
    return Notice.objects.filter(partnership_id=m.partnership_id, user_id=m.user_id)


def _lines(m: Membership) -> list[Disposal]:
    return [Disposal(_("Your notifications"), Fate.DELETE, "", _notices(m).count())]


def _delete(m: Membership) -> None:
    _notices(m).delete()


def purge_read(partnership: Partnership, older_than: datetime, dry_run: bool) -> int:
    rows = Notice.objects.filter(partnership=partnership, read_at__lt=older_than) | Notice.objects.filter(
        partnership=partnership, done_at__lt=older_than
    )
    if dry_run:
        return rows.count()
    return Notice.objects.filter(pk__in=list(rows.values_list("pk", flat=True))).delete()[0]


def register() -> None:
    register_personal_data(
        PersonalDataExport(
            key="notifications", title=gettext_lazy("Notifications"), export=export, order=90, tables=TABLES
        )
    )
    register_departure(
        Departure(key="notifications", erasure=_lines, erase=_delete, leaving=_lines, leave=_delete, order=90)
    )
    register_retention_kind(
        RetentionKind(
            key="notifications.read",
            label=gettext_lazy("Notifications, after they were read or the thing they were about was done: deleted"),
            default_days=180,
            purge=purge_read,
        )
    )
