"""A plan's goals."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.core.exceptions import ServiceError
from coproduce.partnerships.access import acting_membership, partnership_view
from coproduce.support import selectors, services
from coproduce.support.forms import GoalForm
from coproduce.support.models import Part
from coproduce.support.views._common import is_stale, page_context, plan_url, record_read, refresh_version


@partnership_view("support.take_part")
@require_http_methods(["GET", "POST"])
def goal_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    actor = acting_membership(request)
    plan, access = selectors.plan_for(actor, plan_id, part=Part.GOALS, editing=True)
    form = GoalForm(request.POST or None, is_staff=not access.is_owner)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.goal_create(
                actor=actor,
                plan=plan,
                text=data["text"],
                why=data["why"],
                target_date=data["target_date"],
                with_member=data.get("with_member", False),
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, _("Goal added."))
            return redirect(plan_url(request, plan, "goals"))
    return render(request, "support/goal_form.html", page_context(form=form, plan=plan, goal=None))


@partnership_view("support.take_part")
@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, goal_id: int) -> HttpResponse:
    actor = acting_membership(request)
    goal, access = selectors.goal_for(actor, goal_id, editing=True)
    initial = {
        "text": goal.text,
        "why": goal.why,
        "target_date": goal.target_date,
        "achieved": goal.achieved_at is not None,
        "version": goal.version,
    }
    form = GoalForm(request.POST or None, initial=initial, editing=True, is_staff=not access.is_owner)
    newer = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.goal_update(
                actor=actor,
                goal=goal,
                version=data["version"],
                text=data["text"],
                why=data["why"],
                target_date=data["target_date"],
                achieved=data["achieved"],
                with_member=data.get("with_member", False),
            )
        except ServiceError as error:
            error.add_to(form)
            if is_stale(error):
                newer = selectors.as_saved(goal)
                refresh_version(form, newer.version)
        else:
            messages.success(request, _("Goal saved."))
            return redirect(plan_url(request, goal.plan, "goals"))
    record_read(request, goal.plan, access, "goal-edit", [Part.GOALS])
    rows = (
        [(_("My goal"), newer.text), (_("Why it matters to me"), newer.why), (_("When by"), newer.target_date or "")]
        if newer
        else None
    )
    return render(
        request, "support/goal_form.html", page_context(form=form, plan=goal.plan, goal=goal, newer_rows=rows)
    )
