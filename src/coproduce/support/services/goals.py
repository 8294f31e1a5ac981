"""A plan's goals."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from coproduce.core.exceptions import ServiceError
from coproduce.partnerships.models import Membership
from coproduce.support.models import SHORT_MAX, TEXT_MAX, Goal, Part, SupportPlan
from coproduce.support.services._common import (
    clean_text,
    jsonable,
    lock_plan,
    record_change,
    require_editable,
    versioned_update,
)


def _goal_fields(text: str, why: str, target_date: datetime.date | None, *, plan: SupportPlan) -> dict[str, Any]:
    text = clean_text(text, field="text", max_length=SHORT_MAX, required=_("Write the goal in your own words."))
    why = clean_text(why, field="why", max_length=TEXT_MAX)
    if target_date is not None and target_date < plan.created_at.date():
        raise ServiceError(_("The date must be after the plan was started."), field="target_date", code="date_order")
    return {"text": text, "why": why, "target_date": target_date}


def goal_create(
    *,
    actor: Membership,
    plan: SupportPlan,
    text: str,
    why: str = "",
    target_date: datetime.date | None = None,
    with_member: bool = False,
) -> Goal:
    require_editable(actor, plan, Part.GOALS)
    data = _goal_fields(text, why, target_date, plan=plan)
    with transaction.atomic(durable=True):
        locked = lock_plan(plan)
        goal = Goal.objects.create(plan=locked, recorded_by=actor.user, with_member=with_member, **data)
        record_change(
            plan=locked,
            actor=actor,
            part=Part.GOALS,
            summary=_("Goal added: %(text)s") % {"text": goal.text},
            obj=goal,
            after=jsonable(data),
            with_member=with_member,
        )
    return goal


def goal_update(
    *,
    actor: Membership,
    goal: Goal,
    version: int,
    text: str,
    why: str = "",
    target_date: datetime.date | None = None,
    achieved: bool = False,
    with_member: bool = False,
) -> Goal:
    require_editable(actor, goal.plan, Part.GOALS)
    data = _goal_fields(text, why, target_date, plan=goal.plan)
    return versioned_update(
        actor=actor,
        obj=goal,
        version=version,
        data=data,
        finished=achieved,
        finished_field="achieved_at",
        part=Part.GOALS,
        summary=_("Goal changed: %(text)s"),
        after=jsonable(data),
        with_member=with_member,
    )
