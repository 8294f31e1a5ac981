"""A test's measures and their observations: adding, correcting, deleting and importing them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from coproduce.core.exceptions import ServiceError
from coproduce.improvement import selectors, services
from coproduce.improvement.forms import ImportForm, MeasureForm, ObservationForm
from coproduce.improvement.views._common import NAV, pdsa_url, posted_data, simple_form_page
from coproduce.partnerships.access import acting_membership, partnership_view


@partnership_view("improvement.take_part")
@require_http_methods(["GET", "POST"])
def measure_new(request: HttpRequest, test_id: int) -> HttpResponse:
    actor = acting_membership(request)
    test = selectors.test_for(actor, test_id, running=True)
    form = MeasureForm(posted_data(request))
    return simple_form_page(
        request,
        form=form,
        template="improvement/measure_form.html",
        context={"test": test},
        save=lambda data: services.measure_create(actor=actor, test=test, **data),
        success=_("The measure is added. Record its observations below."),
        next_url=lambda m: pdsa_url(request, test, f"measure-{m.pk}"),
    )


@partnership_view("improvement.take_part")
@require_http_methods(["GET", "POST"])
def observation_new(request: HttpRequest, measure_id: int) -> HttpResponse:
    actor = acting_membership(request)
    measure = selectors.measure_for(actor, measure_id, running=True)
    if refused := _linked(request, measure):
        return refused
    form = ObservationForm(posted_data(request))
    return simple_form_page(
        request,
        form=form,
        template="improvement/observation_form.html",
        context={"test": measure.test, "measure": measure},
        save=lambda data: services.observation_record(actor=actor, measure=measure, **data),
        success=_("The observation is saved."),
        next_url=lambda o: pdsa_url(request, measure.test, f"measure-{measure.pk}"),
    )


def _linked(request: HttpRequest, measure: Any) -> HttpResponse | None:
    """A measure that follows another part of the platform: nothing to enter or import; back to its chart."""
    try:
        services.refuse_linked(measure)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect(pdsa_url(request, measure.test, f"measure-{measure.pk}"))
    return None


def _plain_value(value: Any) -> str:
    """A stored value as people type it: 12.5000 as 12.5, 1200.0000 as 1200."""
    return f"{value.normalize():f}"


@partnership_view("improvement.take_part")
@require_http_methods(["GET", "POST"])
def observation_edit(request: HttpRequest, observation_id: int) -> HttpResponse:
    actor = acting_membership(request)
    observation = selectors.observation_for(actor, observation_id, running=True)
    measure = observation.measure
    initial = {
        "observed_on": observation.observed_on,
        "value": _plain_value(observation.value),
        "note": observation.note,
    }
    form = ObservationForm(posted_data(request), initial=initial)
    return simple_form_page(
        request,
        form=form,
        template="improvement/observation_form.html",
        context={"test": measure.test, "measure": measure, "observation": observation},
        save=lambda data: services.observation_update(actor=actor, observation=observation, **data),
        success=_("The observation is changed."),
        next_url=lambda o: pdsa_url(request, measure.test, f"measure-{measure.pk}"),
    )


@partnership_view("improvement.take_part")
@require_http_methods(["GET", "POST"])
def observation_delete(request: HttpRequest, observation_id: int) -> HttpResponse:
    """Asks first (a page, no script); the POST deletes."""
    actor = acting_membership(request)
    observation = selectors.observation_for(actor, observation_id, running=True)
    measure = observation.measure
    if request.method == "POST":
        try:
            services.observation_delete(actor=actor, observation=observation)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The observation is deleted."))
        return redirect(pdsa_url(request, measure.test, f"measure-{measure.pk}"))
    return render(
        request,
        "improvement/observation_delete.html",
        {
            "nav_section": NAV,
            "test": measure.test,
            "measure": measure,
            "observation": observation,
            "value": _plain_value(observation.value),
        },
    )


@partnership_view("improvement.take_part")
@require_http_methods(["GET", "POST"])
def observation_import(request: HttpRequest, measure_id: int) -> HttpResponse:
    actor = acting_membership(request)
    measure = selectors.measure_for(actor, measure_id, running=True)
    if refused := _linked(request, measure):
        return refused
    form = ImportForm(posted_data(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > services.CSV_MAX_BYTES:
                raise ServiceError(_("The file is too large: keep it under 500 KB."), field="file")
            count = services.observations_import(actor=actor, measure=measure, content=upload.read())
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(
                request, ngettext("%(n)d observation imported.", "%(n)d observations imported.", count) % {"n": count}
            )
            return redirect(pdsa_url(request, measure.test, f"measure-{measure.pk}"))
    return render(
        request,
        "improvement/import_form.html",
        {"nav_section": NAV, "form": form, "test": measure.test, "measure": measure},
    )
