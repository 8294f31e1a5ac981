"""The ledger's pages: the fund's money and the partners' contributions."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coproduce.core.exceptions import ServiceError
from coproduce.fund import selectors, services
from coproduce.fund.forms import ContributionForm
from coproduce.fund.views._common import fund_url, render_page
from coproduce.partnerships.access import acting_membership, may, partnership_view


@partnership_view("fund.view")
def ledger(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    return render_page(
        request,
        "ledger.html",
        {
            "totals": selectors.ledger_totals(actor.partnership_id),
            "by_organisation": selectors.contributions_by_organisation(actor),
            "contributions": list(selectors.contributions_for(actor)),
            "awards": list(selectors.awards_for(actor)),
            "spending": selectors.spending_by_category(actor),
            "barrier_years": selectors.barrier_spending_by_month(actor.partnership_id),
            "may_add": may("fund.add_contribution", actor),
        },
    )


@partnership_view("fund.add_contribution")
@require_http_methods(["GET", "POST"])
def contribution_new(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    organisations = selectors.organisations_for(actor)
    if request.method == "POST":
        form = ContributionForm(request.POST, organisations=organisations)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.contribution_record(
                    actor=actor,
                    organisation=data["organisation"],
                    kind=data["kind"],
                    description=data["description"],
                    value_pence=data["value"],
                    received=data["received"],
                )
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(request, _("The contribution is recorded in the ledger."))
                return redirect(fund_url(request, "ledger"))
    else:
        form = ContributionForm(
            organisations=organisations, initial={"organisation": actor.organisation_id, "kind": "money"}
        )
    return render_page(request, "contribution_form.html", {"form": form})


@partnership_view("fund.add_contribution")
@require_POST
def contribution_received(request: HttpRequest, contribution_id: int) -> HttpResponse:
    actor = acting_membership(request)
    contribution = selectors.contribution_for(actor, contribution_id)
    try:
        services.contribution_mark_received(actor=actor, contribution=contribution)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Marked as received."))
    return redirect(fund_url(request, "ledger") + "#contributions")
