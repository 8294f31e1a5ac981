"""The inbox: every notice of every capability, newest first; marking them read, without JavaScript."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coproduce.core.exceptions import ServiceError
from coproduce.notifications import selectors, services
from coproduce.notifications.forms import PreferencesForm
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


@partnership_view()
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    kinds = selectors.kinds_for(actor)
    if request.method == "POST":
        form = PreferencesForm(request.POST, kinds=kinds, texts=selectors.texts_possible(actor))
        if form.is_valid():
            try:
                services.preferences_set(actor=actor, choices=form.choices(), quiet=form.quiet())
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(request, _("Your choices are saved."))
                return redirect("notifications:inbox", slug=partnership_slug(request))
    else:
        form = PreferencesForm(
            initial=selectors.current_choices(actor), kinds=kinds, texts=selectors.texts_possible(actor)
        )
    return render(request, "notifications/preferences.html", {"form": form})
