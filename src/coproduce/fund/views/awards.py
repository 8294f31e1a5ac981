"""The awards' pages: each award with its payments and spending, making the awards, and the
360Giving file."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.fund import selectors, services
from coproduce.fund.forms import PaymentForm, SpendForm
from coproduce.fund.models import Award
from coproduce.fund.views._common import fund_url, render_page
from coproduce.partnerships.access import acting_membership, may, partnership_view


def _award_page(
    request: HttpRequest,
    award: Award,
    *,
    payment_form: PaymentForm | None = None,
    spend_form: SpendForm | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = acting_membership(request)
    may_pay = may("fund.record_payment", actor)
    may_report = may("fund.report_spend", actor, award)
    return render_page(
        request,
        "award.html",
        {
            "award": award,
            "payments": list(selectors.payments_for(award)),
            "updates": list(award.spend_updates.all()),
            "payment_form": (payment_form or PaymentForm()) if may_pay else None,
            "spend_form": (spend_form or SpendForm()) if may_report else None,
            "form": payment_form if payment_form and payment_form.errors else spend_form,
        },
        status=status,
    )


@partnership_view("fund.view")
def award(request: HttpRequest, award_id: int) -> HttpResponse:
    return _award_page(request, selectors.award_for(acting_membership(request), award_id))


@partnership_view("fund.record_payment")
@require_POST
def award_payment(request: HttpRequest, award_id: int) -> HttpResponse:
    actor = acting_membership(request)
    award = selectors.award_for(actor, award_id)
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            services.payment_record(actor=actor, award=award, amount_pence=form.cleaned_data["amount"])
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, _("The payment is recorded."))
            return redirect(fund_url(request, "award", award_id=award.pk))
    return _award_page(request, award, payment_form=form)


@partnership_view("fund.view")
@require_POST
def award_spend(request: HttpRequest, award_id: int) -> HttpResponse:
    actor = acting_membership(request)
    award = selectors.award_for(actor, award_id)
    if not may("fund.report_spend", actor, award):
        raise NotPermitted()
    form = SpendForm(request.POST)
    if form.is_valid():
        try:
            services.spend_report(
                actor=actor,
                award=award,
                spent_to_date_pence=form.cleaned_data["spent"],
                note=form.cleaned_data["note"],
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, _("Your update is saved. Thank you."))
            return redirect(fund_url(request, "award", award_id=award.pk))
    return _award_page(request, award, spend_form=form)


@partnership_view("fund.view")
def grants_json(request: HttpRequest) -> HttpResponse:
    from coproduce.fund.opendata import grants_package

    actor = acting_membership(request)
    package = grants_package(actor.partnership, request=request)
    response = HttpResponse(json.dumps(package, indent=2, ensure_ascii=False), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{actor.partnership.slug}-360giving.json"'
    return response


@partnership_view("fund.manage_rounds")
@require_POST
def awards_make(request: HttpRequest, round_id: int) -> HttpResponse:
    actor = acting_membership(request)
    round_ = selectors.round_for(actor, round_id)
    try:
        made = services.awards_make(actor=actor, round_=round_)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext("%(n)d award made. It is in the ledger.", "%(n)d awards made. They are in the ledger.", len(made))
            % {"n": len(made)},
        )
    return redirect(fund_url(request, "results", round_id=round_.pk))
