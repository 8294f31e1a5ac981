"""Data rights: my data, asking for erasure, confirming it."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.partnerships.access import acting_membership, partnership_view
from coproduce.support import selectors, services
from coproduce.support.views._common import page_context


@partnership_view("support.own_plan")
def my_data(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    data = selectors.my_data(actor)
    services.data_export_record(actor=actor)
    erasure = selectors.erasure_asked(actor)
    return render(
        request,
        "support/my_data.html",
        page_context(data=data, pretty=json.dumps(data, indent=2, ensure_ascii=False), erasure_asked=erasure),
    )


@partnership_view("support.own_plan")
def my_data_json(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    services.data_export_record(actor=actor)
    response = JsonResponse(selectors.my_data(actor), json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = 'attachment; filename="my-support-data.json"'
    return response


@partnership_view("support.own_plan")
@require_http_methods(["GET", "POST"])
def erasure_request(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    plan = selectors.own_plan(actor)
    if plan is None:
        raise NotPermitted()
    if request.method == "POST":
        try:
            services.erasure_request(actor=actor, plan=plan)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("You have asked for your plan to be erased. A coordinator will confirm it."))
        return redirect("support:my-data", slug=actor.partnership.slug)
    return render(request, "support/erasure_request.html", page_context(plan=plan))


@partnership_view("support.confirm_erasure")
@require_http_methods(["GET", "POST"])
def erasures(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    if request.method == "POST":
        erasure = selectors.open_erasure_for(actor, request.POST.get("erasure", ""))
        try:
            services.erasure_confirm(actor=actor, erasure=erasure)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The plan is erased. It still counts in the number of plans and referrals."))
        return redirect("support:erasures", slug=actor.partnership.slug)
    return render(request, "support/erasures.html", page_context(requests=list(selectors.open_erasure_requests(actor))))
