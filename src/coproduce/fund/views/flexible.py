"""The flexible money's pages: the coordinator sets up this year's pot (how much, the delegated limits, the
yearly cap per parent) and what it may pay for; every staff member declares their own interests in
suppliers (coordinators see everyone's)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coproduce.core.exceptions import ServiceError
from coproduce.fund import selectors
from coproduce.fund.forms import BarrierCategoryEditForm, BarrierCategoryForm, InterestForm, PotForm
from coproduce.fund.models import FlexiblePot
from coproduce.fund.services import flexible
from coproduce.fund.views._common import fund_url, render_page
from coproduce.partnerships.access import acting_membership, may, partnership_view


@partnership_view("fund.manage_pot")
def flexible_money(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    pots = selectors.pots_for(actor)
    return render_page(
        request,
        "flexible.html",
        {
            "pots": pots,
            "has_current": any(entry["current"] for entry in pots),
            "held": selectors.pots_held_pence(actor.partnership_id),
            "category_form": BarrierCategoryForm(),
        },
    )


def _settings(data: dict[str, Any]) -> flexible.PotSettings:
    return flexible.PotSettings(
        starts_on=data["starts_on"],
        ends_on=data["ends_on"],
        set_aside_pence=data["set_aside"],
        keyworker_limit_pence=data["keyworker_limit"],
        coordinator_limit_pence=data["coordinator_limit"],
        yearly_cap_pence=data["yearly_cap"],
    )


def _pot_page(request: HttpRequest, form: PotForm, pot: FlexiblePot | None, status: int = 200) -> HttpResponse:
    actor = acting_membership(request)
    available = selectors.ledger_totals(actor.partnership_id)["available"]
    return render_page(request, "pot_form.html", {"form": form, "pot": pot, "available": available}, status=status)


@partnership_view("fund.manage_pot")
@require_http_methods(["GET", "POST"])
def pot_new(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    if request.method == "POST":
        form = PotForm(request.POST)
        if form.is_valid():
            try:
                flexible.pot_create(actor=actor, settings=_settings(form.cleaned_data))
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(request, _("The flexible money is set up. Now add what it may pay for."))
                return redirect(fund_url(request, "flexible"))
    else:
        starts_on, ends_on = flexible.year_for(timezone.localdate())
        form = PotForm(
            initial={
                "starts_on": starts_on,
                "ends_on": ends_on,
                "keyworker_limit": 15000,
                "coordinator_limit": 50000,
                "yearly_cap": 100000,
            }
        )
    return _pot_page(request, form, None)


@partnership_view("fund.manage_pot")
@require_http_methods(["GET", "POST"])
def pot_edit(request: HttpRequest, pot_id: int) -> HttpResponse:
    actor = acting_membership(request)
    pot = selectors.pot_for(actor, pot_id)
    if request.method == "POST":
        form = PotForm(request.POST)
        if form.is_valid():
            try:
                flexible.pot_update(actor=actor, pot=pot, settings=_settings(form.cleaned_data))
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(request, _("The flexible money is changed."))
                return redirect(fund_url(request, "flexible"))
    else:
        form = PotForm(
            initial={
                "starts_on": pot.starts_on,
                "ends_on": pot.ends_on,
                "set_aside": pot.set_aside_pence,
                "keyworker_limit": pot.keyworker_limit_pence,
                "coordinator_limit": pot.coordinator_limit_pence,
                "yearly_cap": pot.yearly_cap_pence,
            }
        )
    return _pot_page(request, form, pot)


@partnership_view("fund.manage_pot")
@require_http_methods(["GET", "POST"])
def category_new(request: HttpRequest, pot_id: int) -> HttpResponse:
    actor = acting_membership(request)
    pot = selectors.pot_for(actor, pot_id)
    form = BarrierCategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            flexible.category_add(
                actor=actor, pot=pot, name=form.cleaned_data["name"], examples=form.cleaned_data["examples"]
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, _("The flexible money may now pay for that."))
            return redirect(fund_url(request, "flexible") + f"#pot-{pot.pk}")
    return render_page(request, "barrier_category_form.html", {"form": form, "pot": pot, "category": None})


@partnership_view("fund.manage_pot")
@require_http_methods(["GET", "POST"])
def category_edit(request: HttpRequest, category_id: int) -> HttpResponse:
    actor = acting_membership(request)
    category = selectors.barrier_category_for(actor, category_id)
    if request.method == "POST":
        form = BarrierCategoryEditForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                flexible.category_update(
                    actor=actor, category=category, name=data["name"], examples=data["examples"], active=data["active"]
                )
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(request, _("The category is changed."))
                return redirect(fund_url(request, "flexible") + f"#pot-{category.pot_id}")
    else:
        form = BarrierCategoryEditForm(
            initial={"name": category.name, "examples": category.examples, "active": category.active}
        )
    return render_page(request, "barrier_category_form.html", {"form": form, "pot": category.pot, "category": category})


@partnership_view("fund.declare_interest")
@require_http_methods(["GET", "POST"])
def interests(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    form = InterestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            flexible.interest_declare(actor=actor, supplier=form.cleaned_data["supplier"])
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, _("Your interest is declared. You will not be asked to approve payments to it."))
            return redirect(fund_url(request, "interests"))
    everyone = may("fund.manage_pot", actor)
    return render_page(
        request,
        "interests.html",
        {
            "form": form,
            "own": list(selectors.interests_for(actor)),
            "everyone": list(selectors.interests_for(actor, everyone=True)) if everyone else None,
        },
    )


@partnership_view("fund.declare_interest")
@require_POST
def interest_withdraw(request: HttpRequest, declaration_id: int) -> HttpResponse:
    actor = acting_membership(request)
    declaration = selectors.interest_for(actor, declaration_id)
    flexible.interest_withdraw(actor=actor, declaration=declaration)
    messages.success(request, _("Your declaration is withdrawn (it stays on record with the date)."))
    return redirect(fund_url(request, "interests"))
