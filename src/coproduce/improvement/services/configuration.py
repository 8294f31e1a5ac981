"""The partnership's settings for improvement: who decisions need and how stopping a practice works."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from coproduce.core.exceptions import ServiceError
from coproduce.core.permissions import require_rule
from coproduce.improvement.models import ImprovementSettings
from coproduce.improvement.services._common import audit, settings_for
from coproduce.partnerships.models import Membership


def settings_update(*, actor: Membership, decisions_need_member: bool, stop_rule: str) -> ImprovementSettings:
    require_rule("improvement.settings", actor)
    if stop_rule not in ImprovementSettings.StopRule.values:
        raise ServiceError(_("Choose how stopping a practice works."), field="stop_rule")
    with transaction.atomic(durable=True):
        settings_for(actor.partnership_id)
        found = ImprovementSettings.objects.select_for_update().get(partnership_id=actor.partnership_id)
        found.decisions_need_member, found.stop_rule = decisions_need_member, stop_rule
        found.save(update_fields=["decisions_need_member", "stop_rule"])
        audit(actor, "settings_changed", found, decisions_need_member=decisions_need_member, stop=stop_rule)
    return found
