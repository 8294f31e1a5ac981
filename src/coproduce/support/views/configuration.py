"""The support settings: lawful bases and the areas of the outcome wheel."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.core.exceptions import ServiceError
from coproduce.partnerships.access import acting_membership, partnership_view
from coproduce.support import selectors, services
from coproduce.support.forms import LawfulBasisForm, OutcomeAreaForm
from coproduce.support.views._common import page_context


@partnership_view("support.settings")
@require_http_methods(["GET", "POST"])
def settings(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    form = LawfulBasisForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.lawful_basis_set(actor=actor, **form.cleaned_data)
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, _("Lawful basis saved."))
            return redirect("support:settings", slug=actor.partnership.slug)
    bases = selectors.lawful_bases(actor)
    areas = selectors.all_outcome_areas(actor)
    return render(request, "support/settings.html", page_context(form=form, bases=bases, areas=areas))


@partnership_view("support.settings")
@require_http_methods(["GET", "POST"])
def outcome_area_new(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    form = OutcomeAreaForm(request.POST or None, initial={"active": True})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.outcome_area_create(
                actor=actor,
                name=data["name"],
                question=data["question"],
                stages=[data[f"stage_{i}"] for i in range(1, 6)],
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, _("The area is added to the wheel."))
            return redirect("support:settings", slug=actor.partnership.slug)
    return render(request, "support/outcome_area_form.html", page_context(form=form, area=None))


@partnership_view("support.settings")
@require_http_methods(["GET", "POST"])
def outcome_area_edit(request: HttpRequest, area_id: int) -> HttpResponse:
    actor = acting_membership(request)
    area = selectors.outcome_area_for(actor, area_id)
    stages = (list(area.stages) + [""] * 5)[:5]
    initial = {"name": area.name, "question": area.question, "active": area.active} | {
        f"stage_{i + 1}": stage for i, stage in enumerate(stages)
    }
    form = OutcomeAreaForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.outcome_area_update(
                actor=actor,
                area=area,
                name=data["name"],
                question=data["question"],
                stages=[data[f"stage_{i}"] for i in range(1, 6)],
                active=data["active"],
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, _("The area is saved."))
            return redirect("support:settings", slug=actor.partnership.slug)
    return render(request, "support/outcome_area_form.html", page_context(form=form, area=area))
