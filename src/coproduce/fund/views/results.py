"""A round's results, asked for when needed and never waited for."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from coproduce.fund import selectors, services
from coproduce.fund.models import ResultSnapshot
from coproduce.fund.views._common import render_page
from coproduce.partnerships.access import acting_membership, may, partnership_view


@partnership_view("fund.view")
def results(request: HttpRequest, round_id: int) -> HttpResponse:
    from coproduce.fund.results import explain_for_page

    actor = acting_membership(request)
    round_ = selectors.round_for(actor, round_id)
    snapshot = services.results_request(round_=round_)  # asks for them if needed; never waits
    context: dict[str, Any] = {
        "round": round_,
        "snapshot": snapshot,
        "ready": snapshot is not None and snapshot.status == ResultSnapshot.Status.READY,
        "late": services.results_late(snapshot),
        "may_manage": may("fund.manage_rounds", actor),
    }
    if context["ready"]:
        own = selectors.own_ballot(actor, round_)
        context.update(explain_for_page(round_, snapshot, own))  # type: ignore[arg-type]
        context["channels"] = selectors.round_channel_counts(round_)
    if getattr(request, "htmx", False) and request.GET.get("partial") == "status":
        return render_page(request, "_partials/results_status.html", context)
    return render_page(request, "results.html", context)
