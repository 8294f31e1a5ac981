"""The board: tests of change in their columns, filtered by owner, organisation or measure."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from coproduce.improvement import selectors
from coproduce.improvement.forms import BoardFilterForm
from coproduce.improvement.models import TestOfChange
from coproduce.improvement.views._common import NAV, int_or_none
from coproduce.partnerships.access import acting_membership, may, partnership_view


@partnership_view("improvement.view")
def board(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    choices = selectors.board_filter_choices(actor)
    owner_ids = {str(k) for k, _v in choices["owners"]}
    organisation_ids = {str(k) for k, _v in choices["organisations"]}
    measure_names = {k for k, _v in choices["measures"]}
    owner = request.GET.get("owner", "")
    organisation = request.GET.get("organisation", "")
    measure = request.GET.get("measure", "")
    filters = {
        "owner": owner if owner in owner_ids else "",
        "organisation": organisation if organisation in organisation_ids else "",
        "measure": measure if measure in measure_names else "",
    }
    columns = selectors.board(
        actor,
        owner_id=int_or_none(filters["owner"]),
        organisation_id=int_or_none(filters["organisation"]),
        measure=filters["measure"],
    )
    stages = [(stage, TestOfChange.Stage(stage).label, columns[stage]) for stage in selectors.STAGES]
    return render(
        request,
        "improvement/board.html",
        {
            "nav_section": NAV,
            "stages": stages,
            "filter_form": BoardFilterForm(initial=filters, choices=choices),
            "filtered": any(filters.values()),
            "total": sum(len(tests) for _s, _l, tests in stages),
            "may_add": may("improvement.add_test", actor),
            "may_settings": may("improvement.settings", actor),
        },
    )
