"""The support home (my plan, or my caseload) and the partnership's figures."""

from __future__ import annotations

import rules
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from coproduce.partnerships.access import acting_membership, partnership_view
from coproduce.support import selectors
from coproduce.support.views._common import page_context


@partnership_view("support.view")
def home(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    context = page_context(notifications=selectors.notifications_for(actor))
    if actor.is_member:
        context["own_plan"] = selectors.own_plan(actor)
    if actor.is_staff_role:
        context["caseload"] = selectors.caseload(actor)
    context["may_see_figures"] = rules.test_rule("support.aggregates", actor)
    context["may_decide_money"] = rules.test_rule("support.barrier_decide", actor)
    return render(request, "support/home.html", context)


@partnership_view("support.aggregates")
def figures(request: HttpRequest) -> HttpResponse:
    return render(request, "support/figures.html", page_context(**selectors.aggregates(acting_membership(request))))
