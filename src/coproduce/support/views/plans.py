"""A plan: starting and accepting it, its page, "About me", its history and who has looked."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.partnerships.access import acting_membership, partnership_view
from coproduce.support import selectors, services
from coproduce.support.forms import AboutForm, PlanStartForm
from coproduce.support.models import Part
from coproduce.support.views._common import is_stale, page_context, plan_url, record_read, refresh_version


@partnership_view("support.start_plan")
@require_http_methods(["GET", "POST"])
def plan_start(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    own = actor.is_member and (not actor.is_worker or (request.method == "POST" and "member" not in request.POST))
    if own:
        if request.method == "POST":
            try:
                plan = services.plan_start(actor=actor)
            except ServiceError as error:
                messages.error(request, error.message)
                return redirect("support:home", slug=actor.partnership.slug)
            messages.success(request, _("Your plan is started. Write it in your own words; you decide who sees it."))
            return redirect(plan_url(request, plan))
        return render(request, "support/plan_start.html", page_context(form=None))
    members = selectors.members_without_plan(actor)
    form = PlanStartForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_start(actor=actor, member=form.cleaned_data["member"])
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, _("The plan is started. The member will be asked to accept it."))
            return redirect(plan_url(request, plan))
    return render(request, "support/plan_start.html", page_context(form=form, own_possible=actor.is_member))


@partnership_view("support.take_part")
def plan(request: HttpRequest, plan_id: int) -> HttpResponse:
    actor = acting_membership(request)
    plan, access = selectors.plan_for(actor, plan_id)
    page = selectors.plan_page(plan, access)
    record_read(request, plan, access, "plan")
    return render(request, "support/plan.html", page_context(**page))


@partnership_view("support.take_part")
def plan_print(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The plan on one A4 page, to print: the same people see it as see the plan page, the same parts, and
    the read is recorded in the same way (``plan-print`` names the page in the plan's log of reads)."""
    actor = acting_membership(request)
    plan, access = selectors.plan_for(actor, plan_id)
    page = selectors.plan_page(plan, access)
    record_read(request, plan, access, "plan-print")
    response = render(request, "support/plan_print.html", page_context(**page))
    response["Cache-Control"] = "no-store"  # a plan is personal, on paper as on screen
    return response


@partnership_view("support.own_plan")
@require_POST
def plan_accept(request: HttpRequest, plan_id: int) -> HttpResponse:
    actor = acting_membership(request)
    plan, access = selectors.plan_for(actor, plan_id)
    if not access.is_owner:
        raise NotPermitted()
    services.plan_accept(actor=actor, plan=plan)
    messages.success(request, _("You have accepted your plan. It is yours: you can change it and decide who sees it."))
    return redirect(plan_url(request, plan))


@partnership_view("support.take_part")
@require_http_methods(["GET", "POST"])
def about_edit(request: HttpRequest, plan_id: int) -> HttpResponse:
    actor = acting_membership(request)
    plan, access = selectors.plan_for(actor, plan_id, part=Part.ABOUT, editing=True)
    initial = {name: getattr(plan, name) for name in services.ABOUT_FIELDS} | {"version": plan.version}
    form = AboutForm(request.POST or None, initial=initial, is_staff=not access.is_owner)
    newer = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.about_update(
                actor=actor,
                plan=plan,
                version=data["version"],
                with_member=data.get("with_member", False),
                **{k: data[k] for k in services.ABOUT_FIELDS},
            )
        except ServiceError as error:
            error.add_to(form)
            if is_stale(error):
                newer = selectors.as_saved(plan)
                refresh_version(form, newer.version)
        else:
            messages.success(request, _("About me is saved."))
            return redirect(plan_url(request, plan, "about"))
    record_read(request, plan, access, "about-edit", [Part.ABOUT])
    rows = [(form.fields[n].label, getattr(newer, n)) for n in services.ABOUT_FIELDS] if newer else None
    return render(
        request, "support/about_form.html", page_context(form=form, plan=plan, newer_rows=rows, access=access)
    )


@partnership_view("support.take_part")
def history(request: HttpRequest, plan_id: int) -> HttpResponse:
    actor = acting_membership(request)
    plan, access = selectors.plan_for(actor, plan_id, editing=True)
    changes = selectors.plan_changes(plan, access)
    record_read(request, plan, access, "history")
    return render(request, "support/history.html", page_context(plan=plan, changes=changes, access=access))


@partnership_view("support.own_plan")
def reads(request: HttpRequest, plan_id: int) -> HttpResponse:
    actor = acting_membership(request)
    plan, access = selectors.plan_for(actor, plan_id)
    if not access.sees_log:
        raise NotPermitted()
    return render(
        request, "support/reads.html", page_context(plan=plan, reads=selectors.plan_reads(plan), access=access)
    )
