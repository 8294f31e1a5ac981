"""The support home (my plan, or my caseload) and the partnership's figures."""

from __future__ import annotations

import rules
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from coproduce.partnerships.access import acting_membership, partnership_view
from coproduce.support import selectors
from coproduce.support.views._common import _ctx


@partnership_view("support.view")
def home(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    context = _ctx(notifications=selectors.notifications_for(actor))
    if actor.is_member:
        context["own_plan"] = selectors.own_plan(actor)
    if actor.is_staff_role:
        context["caseload"] = selectors.caseload(actor)
        # Addresses built once for the whole list rather than reversed row by row.
        slug = actor.partnership.slug
        context["plan_prefix"] = reverse("support:plan", kwargs={"slug": slug, "plan_id": 1}).removesuffix("1/")
        context["referral_prefix"] = reverse("support:referral", kwargs={"slug": slug, "referral_id": 1}).removesuffix(
            "1/"
        )
    context["may_see_figures"] = rules.test_rule("support.aggregates", actor)
    context["erasures_waiting"] = selectors.erasures_waiting(actor)
    return render(request, "support/home.html", context)


@partnership_view("support.aggregates")
def figures(request: HttpRequest) -> HttpResponse:
    return render(request, "support/figures.html", _ctx(**selectors.aggregates(acting_membership(request))))
