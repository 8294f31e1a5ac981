"""A plan's actions: who does what by when."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from coproduce.core.exceptions import ServiceError
from coproduce.partnerships.models import Membership, Organisation
from coproduce.support.models import SHORT_MAX, Action, Goal, Part, SupportPlan
from coproduce.support.services._common import (
    clean_text,
    jsonable,
    lock_plan,
    record_change,
    require_editable,
    versioned_update,
)


def _action_fields(
    *,
    plan: SupportPlan,
    text: str,
    owner: str,
    owner_organisation: Organisation | None,
    due: datetime.date | None,
    goal: Goal | None,
) -> dict[str, Any]:
    text = clean_text(text, field="text", max_length=SHORT_MAX, required=_("Say what will be done."))
    if owner not in Action.Owner.values:
        raise ServiceError(_("Choose who will do it."), field="owner")
    if owner == Action.Owner.ORGANISATION:
        if owner_organisation is None:
            raise ServiceError(_("Choose the partner organisation that will do it."), field="owner_organisation")
        if owner_organisation.partnership_id != plan.partnership_id:
            raise ServiceError(_("Choose an organisation in this partnership."), field="owner_organisation")
    else:
        owner_organisation = None
    if goal is not None and goal.plan_id != plan.pk:
        raise ServiceError(_("Choose one of the goals in this plan."), field="goal")
    if due is not None and due < plan.created_at.date():
        raise ServiceError(_("The date must be after the plan was started."), field="due", code="date_order")
    if due is not None and goal is not None and goal.target_date is not None and due > goal.target_date:
        raise ServiceError(
            _("This is due after the goal's own date (%(date)s). Choose an earlier date or change the goal's date.")
            % {"date": goal.target_date.strftime("%d %B %Y")},
            field="due",
            code="date_order",
        )
    return {"text": text, "owner": owner, "owner_organisation": owner_organisation, "due": due, "goal": goal}


def action_create(
    *,
    actor: Membership,
    plan: SupportPlan,
    text: str,
    owner: str = "member",
    owner_organisation: Organisation | None = None,
    due: datetime.date | None = None,
    goal: Goal | None = None,
    with_member: bool = False,
) -> Action:
    require_editable(actor, plan, Part.ACTIONS)
    data = _action_fields(plan=plan, text=text, owner=owner, owner_organisation=owner_organisation, due=due, goal=goal)
    with transaction.atomic(durable=True):
        locked = lock_plan(plan)
        action = Action.objects.create(plan=locked, recorded_by=actor.user, with_member=with_member, **data)
        record_change(
            plan=locked,
            actor=actor,
            part=Part.ACTIONS,
            summary=_("Action added: %(text)s") % {"text": action.text},
            obj=action,
            after=jsonable(data),
            with_member=with_member,
        )
    return action


def action_update(
    *,
    actor: Membership,
    action: Action,
    version: int,
    text: str,
    owner: str = "member",
    owner_organisation: Organisation | None = None,
    due: datetime.date | None = None,
    goal: Goal | None = None,
    done: bool = False,
    with_member: bool = False,
) -> Action:
    require_editable(actor, action.plan, Part.ACTIONS)
    data = _action_fields(
        plan=action.plan, text=text, owner=owner, owner_organisation=owner_organisation, due=due, goal=goal
    )
    return versioned_update(
        actor=actor,
        obj=action,
        version=version,
        data=data,
        finished=done,
        finished_field="done_at",
        part=Part.ACTIONS,
        summary=_("Action changed: %(text)s"),
        after={**jsonable(data), "done": done},
        with_member=with_member,
    )
