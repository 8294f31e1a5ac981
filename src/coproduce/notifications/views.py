"""The inbox: every notice of every capability, newest first; marking them read, without JavaScript."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coproduce.notifications import selectors, services
from coproduce.partnerships.access import acting_membership, partnership_slug, partnership_view

PAGE_SIZE = 25


@partnership_view()
@require_http_methods(["GET", "POST"])
def inbox(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    if request.method == "POST":
        if services.notices_mark_all_read(actor=actor):
            messages.success(request, _("All your notifications are marked as read."))
        return redirect("notifications:inbox", slug=partnership_slug(request))
    page = Paginator(selectors.inbox_for(actor), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    return render(request, "notifications/inbox.html", {"page": page})


@partnership_view()
@require_POST
def mark_read(request: HttpRequest, notice_id: int) -> HttpResponse:
    services.notice_mark_read(actor=acting_membership(request), notice_id=notice_id)
    return redirect("notifications:inbox", slug=partnership_slug(request))
