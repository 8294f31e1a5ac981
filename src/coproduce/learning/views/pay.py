"""Paid time and expenses: the partnership's rates, a parent's claim, the coordinator's claims to decide, and
a parent's own payments with her total for the tax year."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coproduce.core.exceptions import ServiceError
from coproduce.learning import selectors
from coproduce.learning.forms import ClaimForm, PaySettingsForm, RefuseClaimForm
from coproduce.learning.services import pay as services
from coproduce.partnerships.access import acting_membership, partnership_view
from coproduce.support import api as support_api

NAV = "learning"


def _url(request: HttpRequest, name: str, **kwargs: int) -> str:
    return reverse(f"learning:{name}", kwargs={"slug": acting_membership(request).partnership.slug, **kwargs})


def _page(request: HttpRequest, template: str, context: dict[str, object]) -> HttpResponse:
    response = render(request, f"learning/{template}", {"nav_section": NAV, **context})
    response["Cache-Control"] = "no-store"  # claims and payments are personal
    return response


@partnership_view("learning.manage_pay")
@require_http_methods(["GET", "POST"])
def pay_settings(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    current = selectors.pay_settings_of(actor.partnership_id)
    if request.method == "POST":
        form = PaySettingsForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.pay_settings_update(
                    actor=actor,
                    hourly_rate_pence=data["hourly_rate"],
                    covers_travel=data["covers_travel"],
                    covers_childcare=data["covers_childcare"],
                    expense_ceiling_pence=data["expense_ceiling"],
                )
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(request, _("The rates for paid time and expenses are saved."))
                return redirect(_url(request, "claims"))
    else:
        form = PaySettingsForm(
            initial={
                "hourly_rate": current.hourly_rate_pence,
                "covers_travel": current.covers_travel,
                "covers_childcare": current.covers_childcare,
                "expense_ceiling": current.expense_ceiling_pence,
            }
        )
    return _page(request, "pay_settings.html", {"form": form})


@partnership_view("learning.claim")
@require_http_methods(["GET", "POST"])
def claim_new(request: HttpRequest, event_id: int) -> HttpResponse:
    actor = acting_membership(request)
    event = selectors.claimable_event(actor, event_id)
    if selectors.own_claim(actor, event) is not None:
        messages.info(request, _("You have already claimed for this event. Here is what happened to your claim."))
        return redirect(_url(request, "my-payments"))
    rates = selectors.pay_settings_of(actor.partnership_id)
    covers = {"covers_travel": rates.covers_travel, "covers_childcare": rates.covers_childcare}
    if request.method == "POST":
        form = ClaimForm(request.POST, **covers)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.claim_make(
                    actor=actor,
                    event=event,
                    time_choice=data["time_choice"],
                    travel_pence=data.get("travel", 0),
                    childcare_pence=data.get("childcare", 0),
                    receipt_reference=data["receipt_reference"],
                )
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(request, _("Your claim is sent. A coordinator will look at it soon."))
                return redirect(_url(request, "my-payments"))
    else:
        form = ClaimForm(**covers)
    return _page(
        request,
        "claim_form.html",
        {"form": form, "event": event, "rates": rates, "attended": selectors.attendance_of(actor, event)},
    )


@partnership_view("learning.decide_claims")
def claims(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    return _page(
        request,
        "claims.html",
        {
            "waiting": list(selectors.claims_to_decide(actor)),
            "decided": list(selectors.claims_to_decide(actor, status="approved")[:20])
            + list(selectors.claims_to_decide(actor, status="refused")[:20]),
            "rates": selectors.pay_settings_of(actor.partnership_id),
        },
    )


@partnership_view("learning.decide_claims")
def claim(request: HttpRequest, claim_id: int) -> HttpResponse:
    actor = acting_membership(request)
    found = selectors.claim_for(actor, claim_id)
    return _page(request, "claim.html", {"claim": found, "refuse_form": RefuseClaimForm()})


@partnership_view("learning.decide_claims")
@require_POST
def claim_approve(request: HttpRequest, claim_id: int) -> HttpResponse:
    actor = acting_membership(request)
    found = selectors.claim_for(actor, claim_id)
    try:
        services.claim_approve(actor=actor, claim=found)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect(_url(request, "claim", claim_id=found.pk))
    messages.success(request, _("The claim is approved and the payment is in the fund's ledger."))
    return redirect(_url(request, "claims"))


@partnership_view("learning.decide_claims")
@require_POST
def claim_refuse(request: HttpRequest, claim_id: int) -> HttpResponse:
    actor = acting_membership(request)
    found = selectors.claim_for(actor, claim_id)
    form = RefuseClaimForm(request.POST)
    if form.is_valid():
        try:
            services.claim_refuse(actor=actor, claim=found, reason=form.cleaned_data["reason"])
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, _("The claim is refused. The parent is told why."))
            return redirect(_url(request, "claims"))
    return _page(request, "claim.html", {"claim": found, "refuse_form": form})


@partnership_view("learning.my_payments")
def my_payments(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    return _page(
        request,
        "my_payments.html",
        {
            "payments": selectors.my_payments(actor),
            "advice": support_api.services_in_category(actor=actor, keyword="money"),
        },
    )
