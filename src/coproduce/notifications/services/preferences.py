"""A person's choices: how they hear of each kind of notice, and their quiet hours. The account's, for every
partnership."""

from __future__ import annotations

from datetime import time

from django.db import transaction
from django.utils.translation import gettext as _

from coproduce.core.audit import audit_record
from coproduce.core.exceptions import ServiceError
from coproduce.notifications.models import Delivery, EmailSettings, NoticePreference
from coproduce.notifications.registry import notice_kind, sms_allowed
from coproduce.notifications.selectors import texts_possible
from coproduce.partnerships.models import Membership

WINDOWS = (("quiet_morning_from", "quiet_morning_to"), ("quiet_afternoon_from", "quiet_afternoon_to"))


def preferences_set(*, actor: Membership, choices: dict[str, str], quiet: dict[str, time | None]) -> None:
    """Save every choice at once, or none (a mistake in one leaves all as they were)."""
    for key, delivery in choices.items():
        notice_kind(key)  # only registered kinds
        if delivery not in Delivery.values:
            raise ServiceError(_("Choose how to hear about this."), field="kind__" + key.replace(".", "__"))
        if delivery == Delivery.SMS and not (sms_allowed(key) and texts_possible(actor)):
            raise ServiceError(
                _("Text messages are only for urgent things, to a confirmed mobile number."),
                field="kind__" + key.replace(".", "__"),
            )
    for start, end in WINDOWS:
        if (quiet.get(start) is None) != (quiet.get(end) is None):
            raise ServiceError(_("Enter both times, or leave both empty."), field=end if quiet.get(start) else start)
        if quiet.get(start) is not None and quiet.get(start) == quiet.get(end):
            raise ServiceError(_("The end must be a different time from the start."), field=end)
    with transaction.atomic(durable=True):
        for key, delivery in choices.items():
            NoticePreference.objects.update_or_create(user_id=actor.user_id, kind=key, defaults={"delivery": delivery})
        EmailSettings.objects.update_or_create(user_id=actor.user_id, defaults=dict(quiet))
        audit_record(
            actor=actor.user,
            action="notifications.preferences_changed",
            partnership_id=actor.partnership_id,
            target=actor,
            detail={"emails": sorted(k for k, d in choices.items() if d != Delivery.SITE)},
        )
