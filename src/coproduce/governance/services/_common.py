"""What every governance write shares: the audit event and the checks on dates."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.audit import audit_record
from coproduce.core.exceptions import ServiceError
from coproduce.partnerships.models import Membership


def _audit(actor: Membership, action: str, target: Any, **detail: Any) -> None:
    audit_record(
        actor=actor.user,
        action=f"governance.{action}",
        partnership_id=actor.partnership_id,
        target=target,
        detail=detail or None,
    )


def _not_in_future(day: date, *, field: str) -> None:
    if day > timezone.localdate():
        raise ServiceError(_("The date is in the future. Enter today or a day before."), field=field)


def _in_order(first: date, last: date | None, *, field: str, message: str) -> None:
    if last is not None and last < first:
        raise ServiceError(message, field=field, code="order")
