"""The coordinators' open data setting: publish or not, and under which licence."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.audit import audit_record
from coproduce.core.exceptions import ServiceError
from coproduce.core.permissions import require_rule
from coproduce.partnerships.models import OPEN_DATA_LICENCES, Membership, Partnership


def open_data_set(*, actor: Membership, publish: bool, licence: str) -> Partnership:
    """Turn the partnership's open data on or off and choose its licence (a coordinator). Turning it on
    records since when it is published; the change is audited. Saving what is already set changes nothing."""
    require_rule("partnerships.manage_settings", actor)
    if licence not in dict(OPEN_DATA_LICENCES):
        raise ServiceError(_("Choose one of the licences offered."), field="licence")
    with transaction.atomic(durable=True):
        found = Partnership.objects.select_for_update().get(pk=actor.partnership_id)
        before = {"open_data": found.open_data, "licence": found.open_data_licence}
        after = {"open_data": publish, "licence": licence}
        if before == after:
            return found
        if publish and not found.open_data:
            found.open_data_since = timezone.now()
        found.open_data, found.open_data_licence = publish, licence
        found.save(update_fields=["open_data", "open_data_licence", "open_data_since"])
        audit_record(
            actor=actor.user,
            action="reports.open_data_changed",
            partnership_id=found.pk,
            target=found,
            detail={"before": before, "after": after},
        )
    return found
