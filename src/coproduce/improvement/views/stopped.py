"""The stop-doing register."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coproduce.core.exceptions import ServiceError
from coproduce.improvement import selectors, services
from coproduce.improvement.forms import SearchForm, StoppedForm
from coproduce.improvement.models import StoppedPractice
from coproduce.improvement.views._common import NAV, posted_data, simple_form_page
from coproduce.partnerships.access import acting_membership, may, partnership_slug, partnership_view


@partnership_view("improvement.view")
def register(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    query = " ".join(request.GET.get("q", "").split())[:100]
    entries = selectors.register(actor, query=query)
    for entry in entries["proposed"]:
        entry.may_agree = services.may_agree(actor, entry)  # type: ignore[attr-defined]
    return render(
        request,
        "improvement/register.html",
        {
            "nav_section": NAV,
            **entries,
            "query": query,
            "search_form": SearchForm(initial={"q": query}),
            "may_add": may("improvement.add_stopped", actor),
            "rule": services.settings_for(actor.partnership_id).get_stop_rule_display(),
        },
    )


@partnership_view("improvement.add_stopped")
@require_http_methods(["GET", "POST"])
def stopped_new(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    form = StoppedForm(posted_data(request))
    agree_first = services.settings_for(actor.partnership_id).stop_rule == "agree"

    def next_url(entry: StoppedPractice) -> str:
        return reverse("improvement:stopped", kwargs={"slug": partnership_slug(request), "entry_id": entry.pk})

    return simple_form_page(
        request,
        form=form,
        template="improvement/stopped_form.html",
        context={"agree_first": agree_first},
        save=lambda data: services.stopped_create(actor=actor, **data),
        success=(
            _("Entered. It is listed as stopped once someone from the other side agrees.")
            if agree_first
            else _("Entered in the stop-doing register.")
        ),
        next_url=next_url,
    )


@partnership_view("improvement.view")
def stopped(request: HttpRequest, entry_id: int) -> HttpResponse:
    actor = acting_membership(request)
    entry = selectors.stopped_for(actor, entry_id)
    return render(
        request,
        "improvement/stopped.html",
        {"nav_section": NAV, "entry": entry, "may_agree": services.may_agree(actor, entry)},
    )


@partnership_view("improvement.agree_stopped")
@require_POST
def stopped_agree(request: HttpRequest, entry_id: int) -> HttpResponse:
    actor = acting_membership(request)
    entry = selectors.stopped_for(actor, entry_id)
    try:
        services.stopped_agree(actor=actor, entry=entry)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You agreed. It is now listed as stopped."))
    return redirect(reverse("improvement:stopped", kwargs={"slug": partnership_slug(request), "entry_id": entry.pk}))
