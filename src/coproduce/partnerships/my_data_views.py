""" "My data": the page where a person asks for everything held about them, sees it being prepared, reads a
summary and downloads it (JSON, or a readable zip).

Every person in the partnership, whatever their role, reaches their own data here and no one else's: the
addresses take no id, only the person signed in. The files are prepared by a background task
(``partnerships.tasks.build_my_data``): gathering a person with years of votes and ideas takes longer than a
web request should hold a worker (``docs/data-rights.md``)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from coproduce.core.exceptions import NotPermitted
from coproduce.partnerships import selectors, services
from coproduce.partnerships.access import acting_membership, partnership_view
from coproduce.partnerships.my_data import my_data_contents


@partnership_view("partnerships.my_data")
@require_http_methods(["GET", "POST"])
def my_data(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    if request.method == "POST":
        services.my_data_export_request(actor=actor)
        # Back to the page, at the download's status (it may already be ready).
        return redirect(reverse("partnerships:my-data", kwargs={"slug": actor.partnership.slug}) + "#my-data-status")
    context = {
        "nav_section": "my-data",
        "export": selectors.my_data_export_current(actor),
        "contents": my_data_contents(),  # what it gathers, shown until it is prepared (no query)
    }
    if request.GET.get("partial") == "status":
        return render(request, "partnerships/_partials/my_data_status.html", context)
    return render(request, "partnerships/my_data.html", context)


def _download(request: HttpRequest, kind: str) -> HttpResponse:
    actor = acting_membership(request)
    try:
        body = selectors.my_data_export_file(actor, kind)
    except NotPermitted:
        messages.info(request, _("Your download is not ready, or it has been deleted. Prepare it again below."))
        return redirect("partnerships:my-data", slug=actor.partnership.slug)
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
