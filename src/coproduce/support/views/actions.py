"""A plan's actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.core.exceptions import ServiceError
from coproduce.partnerships.access import acting_membership, partnership_view
from coproduce.support import selectors, services
from coproduce.support.forms import ActionForm
from coproduce.support.models import Part, SupportPlan
from coproduce.support.selectors import PlanAccess
from coproduce.support.views._common import is_stale, page_context, plan_url, record_read, refresh_version


def _action_form(request: HttpRequest, plan: SupportPlan, access: PlanAccess, **kwargs: Any) -> ActionForm:
    return ActionForm(
        request.POST or None,
        organisations=selectors.organisations_of(acting_membership(request)),
        goals=selectors.goals_of(plan),
        is_staff=not access.is_owner,
        **kwargs,
    )


@partnership_view("support.take_part")
@require_http_methods(["GET", "POST"])
def action_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    actor = acting_membership(request)
    plan, access = selectors.plan_for(actor, plan_id, part=Part.ACTIONS, editing=True)
    form = _action_form(request, plan, access)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.action_create(
                actor=actor,
                plan=plan,
                text=data["text"],
                owner=data["owner"],
                owner_organisation=data["owner_organisation"],
                due=data["due"],
                goal=data["goal"],
                with_member=data.get("with_member", False),
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, _("Action added."))
            return redirect(plan_url(request, plan, "actions"))
    return render(request, "support/action_form.html", page_context(form=form, plan=plan, action=None))


@partnership_view("support.take_part")
@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, action_id: int) -> HttpResponse:
    actor = acting_membership(request)
    action, access = selectors.action_for(actor, action_id, editing=True)
    initial = {
        "text": action.text,
        "owner": action.owner,
        "owner_organisation": action.owner_organisation_id,
        "goal": action.goal_id,
        "due": action.due,
        "done": action.done_at is not None,
        "version": action.version,
    }
    form = _action_form(request, action.plan, access, initial=initial, editing=True)
    newer = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.action_update(
                actor=actor,
                action=action,
                version=data["version"],
                text=data["text"],
                owner=data["owner"],
                owner_organisation=data["owner_organisation"],
                due=data["due"],
                goal=data["goal"],
                done=data["done"],
                with_member=data.get("with_member", False),
            )
        except ServiceError as error:
            error.add_to(form)
            if is_stale(error):
                newer = selectors.as_saved(action)
                refresh_version(form, newer.version)
        else:
            messages.success(request, _("Action saved."))
            return redirect(plan_url(request, action.plan, "actions"))
    record_read(request, action.plan, access, "action-edit", [Part.ACTIONS])
    rows = (
        [
            (_("What will be done"), newer.text),
            (_("Who will do it"), newer.get_owner_display()),
            (_("By when"), newer.due or ""),
            (_("Done"), _("Yes") if newer.done_at else _("No")),
        ]
        if newer
        else None
    )
    return render(
        request, "support/action_form.html", page_context(form=form, plan=action.plan, action=action, newer_rows=rows)
    )
