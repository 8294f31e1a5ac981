""" "My data": the page with what is held about the person, and the two downloads (JSON and a readable zip).

Every person in the partnership, whatever their role, reaches their own data here and no one else's: the
pages take no id, only the person signed in."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from coproduce.partnerships import services
from coproduce.partnerships.access import acting_membership, partnership_view
from coproduce.partnerships.my_data import my_data_document, my_data_summary
from coproduce.partnerships.my_data_files import my_data_json as json_file
from coproduce.partnerships.my_data_files import my_data_zip as zip_file


@partnership_view("partnerships.my_data")
@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    document = my_data_document(acting_membership(request))
    return render(
        request, "partnerships/my_data.html", {"nav_section": "my-data", "summary": my_data_summary(document)}
    )


def _download(request: HttpRequest, kind: str) -> HttpResponse:
    actor = acting_membership(request)
    document = my_data_document(actor)
    body = json_file(document) if kind == "json" else zip_file(document)
    services.my_data_export_record(actor=actor, kind=kind)
    content_type = "application/json" if kind == "json" else "application/zip"
    response = HttpResponse(body, content_type=content_type)
    name = f"my-data-{actor.partnership.slug}-{timezone.localdate():%Y-%m-%d}.{kind}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@partnership_view("partnerships.my_data")
@require_GET
def my_data_json(request: HttpRequest) -> HttpResponse:
    return _download(request, "json")


@partnership_view("partnerships.my_data")
@require_GET
def my_data_zip(request: HttpRequest) -> HttpResponse:
    return _download(request, "zip")
