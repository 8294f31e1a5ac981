"""What every improvement write shares: the partnership's settings, the audit event, locking a test that is
being run, and the check on dates."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.audit import audit_record
from coproduce.core.exceptions import ServiceError
from coproduce.core.guards import same_partnership
from coproduce.core.permissions import require_rule
from coproduce.improvement.models import ImprovementSettings, TestOfChange
from coproduce.partnerships.models import Membership


def settings_for(partnership_id: int) -> ImprovementSettings:
    found, _created = ImprovementSettings.objects.get_or_create(partnership_id=partnership_id)
    return found


def audit(actor: Membership, action: str, target: Any, **detail: Any) -> None:
    audit_record(
        actor=actor.user,
        action=f"improvement.{action}",
        partnership_id=actor.partnership_id,
        target=target,
        detail=detail or None,
    )


def runnable_for_update(actor: Membership, test: TestOfChange) -> TestOfChange:
    same_partnership(actor, test)
    require_rule("improvement.run_test", actor, test)
    return TestOfChange.objects.select_for_update().get(pk=test.pk)


def check_date(day: date, *, field: str) -> None:
    if day > timezone.localdate():
        raise ServiceError(_("The date is in the future. Enter the day it was observed."), field=field)
