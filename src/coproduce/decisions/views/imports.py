"""Counting ranked ballots from a file: a BLT or PrefLib .soi file becomes a new ranked or STV decision with its
candidates and
ballots (coordinators). A fault in the file is one line naming the line; nothing is
saved."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.core.exceptions import ServiceError
from coproduce.decisions import forms, services
from coproduce.decisions.views._common import NAV, decision_url, posted_data
from coproduce.partnerships.access import acting_membership, partnership_view


@partnership_view("decisions.import")
@require_http_methods(["GET", "POST"])
def import_ballots(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    form = forms.ImportForm(posted_data(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = services.decision_import_blt(
                actor=actor,
                kind=data["kind"],
                method=data["method"],
                data=form.blt_bytes(),
                closes_at=data["closes_at"],
                title=data["title"],
                seats=data["seats"],
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(
                request,
                _("The ballots are read and saved. Close the decision when you want them counted."),
            )
            return redirect(decision_url(request, decision))
    return render(request, "decisions/import.html", {"nav_section": NAV, "form": form})
