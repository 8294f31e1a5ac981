"""The directory of services and its Open Referral export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.core.exceptions import ServiceError
from coproduce.partnerships.access import acting_membership, partnership_view
from coproduce.partnerships.models import Membership
from coproduce.support import selectors, services
from coproduce.support.forms import ServiceForm
from coproduce.support.views._common import page_context


@partnership_view("support.view")
def directory(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    tags = selectors.need_tags(actor)
    need = request.GET.get("need", "")
    need = need if need in {t.key for t in tags} else ""
    services_list = list(selectors.services_visible_to(actor, need=need))
    return render(
        request,
        "support/directory.html",
        page_context(services=services_list, tags=tags, need=need, plan=selectors.own_plan(actor)),
    )


@partnership_view("support.view")
def service(request: HttpRequest, service_id: int) -> HttpResponse:
    actor = acting_membership(request)
    found = selectors.service_for(actor, service_id)
    may_edit = selectors.may_manage_service(actor, found.organisation)
    return render(
        request, "support/service.html", page_context(service=found, plan=selectors.own_plan(actor), may_edit=may_edit)
    )


def _service_form(request: HttpRequest, actor: Membership, **kwargs: Any) -> ServiceForm:
    return ServiceForm(
        request.POST or None,
        organisations=selectors.organisations_listing_services(actor),
        tags=selectors.need_tags_of(actor),
        **kwargs,
    )


def _service_save(request: HttpRequest, actor: Membership, form: ServiceForm, service: Any = None) -> Any:
    data = form.cleaned_data
    location = {
        "name": data["location_name"],
        "address": data["location_address"],
        "postcode": data["location_postcode"],
        "opening_times": data["opening_times"],
    }
    fields = {name: data[name] for name in services.SERVICE_FIELDS}
    try:
        return services.service_save(
            actor=actor,
            organisation=data["organisation"],
            service=service,
            needs=data["needs"],
            location=location,
            **fields,
        )
    except ServiceError as error:
        error.add_to(form)
        return None


@partnership_view("support.manage_services")
@require_http_methods(["GET", "POST"])
def service_new(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    form = _service_form(request, actor, initial={"organisation": actor.organisation_id, "is_free": True})
    if request.method == "POST" and form.is_valid():
        saved = _service_save(request, actor, form)
        if saved is not None:
            messages.success(request, _("The service is in the directory."))
            return redirect("support:service", slug=actor.partnership.slug, service_id=saved.pk)
    return render(request, "support/service_form.html", page_context(form=form, service=None))


@partnership_view("support.manage_services")
@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, service_id: int) -> HttpResponse:
    actor = acting_membership(request)
    found = selectors.service_to_manage(actor, service_id)
    location = found.locations.first()
    initial = {name: getattr(found, name) for name in services.SERVICE_FIELDS} | {
        "organisation": found.organisation_id,
        "needs": list(found.needs.all()),
        "location_name": location.name if location else "",
        "location_address": location.address if location else "",
        "location_postcode": location.postcode if location else "",
        "opening_times": location.opening_times if location else "",
    }
    form = _service_form(request, actor, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _service_save(request, actor, form, service=found)
        if saved is not None:
            messages.success(request, _("Saved."))
            return redirect("support:service", slug=actor.partnership.slug, service_id=saved.pk)
    return render(request, "support/service_form.html", page_context(form=form, service=found))


@partnership_view("support.view")
def directory_export(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    data = selectors.directory_export(actor.partnership)
    response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="{actor.partnership.slug}-services.json"'
    return response
