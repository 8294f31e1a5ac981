"""The register of interests: each person declares their own; coordinators may record one on someone's
behalf (audited, with who recorded it)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.exceptions import ServiceError
from coproduce.core.guards import same_partnership, text_checked
from coproduce.core.permissions import require_rule
from coproduce.governance.models import INTEREST_MAX, WITH_MAX, Interest
from coproduce.governance.services._common import _audit, _in_order
from coproduce.partnerships.models import Membership, Organisation


def _fields(
    actor: Membership,
    *,
    what: str,
    with_whom: str,
    organisation: Organisation | None,
    starts_on: date | None,
    ends_on: date | None,
) -> dict[str, object]:
    what = text_checked(what, field="what", max_length=INTEREST_MAX, required=_("Say what the interest is."))
    with_whom = text_checked(with_whom, field="with_whom", max_length=WITH_MAX)
    if organisation is not None and organisation.partnership_id != actor.partnership_id:
        raise ServiceError(_("Choose an organisation from the list."), field="organisation")
    if starts_on is None:
        raise ServiceError(_("Enter the date the interest started."), field="starts_on", code="required")
    if starts_on > timezone.localdate():
        raise ServiceError(_("The date is in the future. Enter the day it started."), field="starts_on")
    _in_order(starts_on, ends_on, field="ends_on", message=_("The interest cannot end before it started."))
    return {
        "what": what,
        "with_whom": with_whom,
        "organisation": organisation,
        "starts_on": starts_on,
        "ends_on": ends_on,
    }


def interest_declare(
    *,
    actor: Membership,
    what: str,
    starts_on: date | None,
    with_whom: str = "",
    organisation: Organisation | None = None,
    ends_on: date | None = None,
    membership: Membership | None = None,
) -> Interest:
    """Declare an interest: the actor's own, or (a coordinator) someone else's, named by ``membership``."""
    require_rule("governance.declare", actor)
    whose = membership or actor
    if whose.pk != actor.pk:
        require_rule("governance.declare_for_others", actor)
        same_partnership(actor, whose)
    fields = _fields(
        actor, what=what, with_whom=with_whom, organisation=organisation, starts_on=starts_on, ends_on=ends_on
    )
    with transaction.atomic(durable=True):
        interest = Interest.objects.create(
            partnership_id=actor.partnership_id, membership=whose, recorded_by=actor.user, **fields
        )
        _audit(
            actor,
            "interest_declared",
            interest,
            membership_id=whose.pk,
            on_behalf=whose.pk != actor.pk,
        )
    return interest


def interest_update(
    *,
    actor: Membership,
    interest: Interest,
    what: str,
    starts_on: date | None,
    with_whom: str = "",
    organisation: Organisation | None = None,
    ends_on: date | None = None,
) -> Interest:
    """Change a declared interest (or record that it ended): the person who declared it, or a coordinator."""
    same_partnership(actor, interest)
    require_rule("governance.change_interest", actor, interest)
    fields = _fields(
        actor, what=what, with_whom=with_whom, organisation=organisation, starts_on=starts_on, ends_on=ends_on
    )
    with transaction.atomic(durable=True):
        locked = Interest.objects.select_for_update().get(pk=interest.pk)
        before = {"what": locked.what, "with_whom": locked.with_whom, "ends_on": _iso(locked.ends_on)}
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.recorded_by = actor.user
        locked.updated_at = timezone.now()
        locked.save()
        _audit(
            actor,
            "interest_changed",
            locked,
            membership_id=locked.membership_id,
            on_behalf=locked.membership_id != actor.pk,
            before=before,
            after={"what": locked.what, "with_whom": locked.with_whom, "ends_on": _iso(locked.ends_on)},
        )
    return locked


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
