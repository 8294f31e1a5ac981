"""Check-ins: ratings on the outcome wheel, recorded and agreed."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.partnerships.models import Membership
from coproduce.support.models import TEXT_MAX, CheckIn, OutcomeArea, Part, Rating, SupportPlan
from coproduce.support.services._common import (
    clean_text,
    lock_plan,
    notices_done,
    notify,
    person_label,
    record_change,
    require_editable,
)

# --- Check-ins ----------------------------------------------------------------------------------


def _rating(value: Any, *, field: str, required: bool, missing: str = "") -> int | None:
    if value in (None, ""):
        if required:
            message = missing or _("Choose the point you agree on, from 1 to 10.")
            raise ServiceError(message, field=field, code="required")
        return None
    text = str(value).strip()
    if isinstance(value, bool) or not text.lstrip("-").isdecimal():
        raise ServiceError(_("Give a whole number from 1 to 10."), field=field, code="rating")
    number = int(text)
    if not 1 <= number <= 10:
        raise ServiceError(_("Give a number from 1 to 10."), field=field, code="rating")
    return number


def checkin_create(
    *,
    actor: Membership,
    plan: SupportPlan,
    date: datetime.date,
    notes: str = "",
    ratings: dict[int, tuple[Any, Any, Any]],
    with_member: bool = False,
) -> CheckIn:
    """``ratings``: outcome area id → (member's rating, worker's rating, agreed point). A check-in the member
    records holds her own rating only (``(rating, None, None)``), which is also its point on the chart, and is
    agreed at once; one a worker records holds all three and waits for the member to agree."""
    access = require_editable(actor, plan, Part.CHECKINS)
    notes = clean_text(notes, field="notes", max_length=TEXT_MAX)
    if date > timezone.localdate():
        raise ServiceError(_("The date of a check-in cannot be in the future."), field="date", code="date_order")
    if date < plan.created_at.date():
        raise ServiceError(_("The date must be after the plan was started."), field="date", code="date_order")
    areas = {a.pk: a for a in OutcomeArea.objects.filter(partnership_id=plan.partnership_id, active=True)}
    cleaned: list[tuple[int, int | None, int | None, int]] = []
    for area_id, (mine, worker, agreed) in ratings.items():
        if area_id not in areas:
            raise ServiceError(_("Choose areas of this partnership's outcome wheel."), code="area")
        if access.is_owner:
            # The member records her own rating only: the worker's rating and the agreed point come from
            # the worker, at a check-in they record together. Hers is the point of her own check-in.
            if worker not in (None, "") or agreed not in (None, ""):
                raise ServiceError(
                    _("The worker's rating and the point you agree are given by your worker."),
                    field=f"member_{area_id}",
                    code="worker_only",
                )
            own = _rating(
                mine, field=f"member_{area_id}", required=True, missing=_("Choose your own rating, from 1 to 10.")
            )
            cleaned.append((area_id, own, None, own or 0))
            continue
        cleaned.append(
            (
                area_id,
                _rating(mine, field=f"member_{area_id}", required=False),
                _rating(worker, field=f"worker_{area_id}", required=False),
                _rating(agreed, field=f"agreed_{area_id}", required=True) or 0,
            )
        )
    if not cleaned:
        raise ServiceError(_("Rate at least one area."), code="required")
    with transaction.atomic(durable=True):
        locked = lock_plan(plan)
        checkin = CheckIn.objects.create(
            plan=locked,
            date=date,
            notes=notes,
            recorded_by=actor.user,
            with_member=with_member,
            agreed_at=timezone.now() if access.is_owner else None,
        )
        Rating.objects.bulk_create(
            [Rating(checkin=checkin, area_id=a, member_rating=m, worker_rating=w, agreed=g) for a, m, w, g in cleaned]
        )
        record_change(
            plan=locked,
            actor=actor,
            part=Part.CHECKINS,
            summary=_("Check-in of %(date)s recorded") % {"date": date_format(date, "j F Y")},
            obj=checkin,
            with_member=with_member,
        )
        if not access.is_owner and locked.member is not None:
            notify(
                partnership_id=locked.partnership_id,
                user_ids=[locked.member.user_id],
                kind="support.checkin",
                subject_key=f"support.checkin:{checkin.pk}",
                text=_("%(name)s recorded a check-in. Look it over and agree it.") % {"name": person_label(actor.user)},
                url=reverse("support:checkin", kwargs={"slug": locked.partnership.slug, "checkin_id": checkin.pk}),
            )
    return checkin


def checkin_agree(*, actor: Membership, checkin: CheckIn, agreed: dict[int, Any] | None = None) -> CheckIn:
    """The member agrees a check-in, changing any agreed point first if they see it differently."""
    if checkin.plan.member_id != actor.pk:
        raise NotPermitted()
    with transaction.atomic(durable=True):
        locked_plan = lock_plan(checkin.plan)
        locked = CheckIn.objects.select_for_update().get(pk=checkin.pk)
        ratings = {r.area_id: r for r in Rating.objects.select_for_update().filter(checkin=locked)}
        for area_id, value in (agreed or {}).items():
            if area_id in ratings:
                number = _rating(value, field=f"agreed_{area_id}", required=True)
                if number is not None and number != ratings[area_id].agreed:
                    ratings[area_id].agreed = number
                    ratings[area_id].save(update_fields=["agreed"])
        notices_done(partnership_id=locked_plan.partnership_id, subject_key=f"support.checkin:{locked.pk}")
        if locked.agreed_at is None:
            locked.agreed_at = timezone.now()
            locked.save(update_fields=["agreed_at"])
            record_change(
                plan=locked_plan,
                actor=actor,
                part=Part.CHECKINS,
                summary=_("Check-in of %(date)s agreed") % {"date": date_format(locked.date, "j F Y")},
                obj=locked,
            )
    return locked
