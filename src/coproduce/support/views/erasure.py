"""Data rights: my data (erasure is asked for and confirmed on the ``datarights`` pages)."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from coproduce.partnerships.access import acting_membership, partnership_view
from coproduce.support import selectors, services
from coproduce.support.views._common import page_context


@partnership_view("support.own_plan")
def my_data(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    data = selectors.my_data(actor)
    services.data_export_record(actor=actor)
    return render(
        request,
        "support/my_data.html",
        page_context(data=data, pretty=json.dumps(data, indent=2, ensure_ascii=False)),
    )


@partnership_view("support.own_plan")
def my_data_json(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    services.data_export_record(actor=actor)
    response = JsonResponse(selectors.my_data(actor), json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = 'attachment; filename="my-support-data.json"'
    return response
