"""Hours of learning time, per organisation and per member, over a period; with a CSV download."""

from __future__ import annotations

import csv
import io
from datetime import time, timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.exceptions import NotPermitted
from coproduce.learning import selectors
from coproduce.learning.forms import HoursForm, local_moment
from coproduce.learning.views._common import NAV, no_store
from coproduce.methods.csv_cells import neutralise
from coproduce.partnerships.access import acting_membership, partnership_view


@partnership_view("learning.view")
def hours(request: HttpRequest) -> HttpResponse:
    """For staff: per organisation (members together as "Parents"); coordinators also per member."""
    actor = acting_membership(request)
    if not actor.is_staff_role:
        raise NotPermitted()
    per_member = actor.is_coordinator
    today = timezone.localdate()
    if "since" in request.GET or "until" in request.GET:
        form = HoursForm(request.GET, per_member=per_member)
    else:
        form = HoursForm(
            {"since": (today - timedelta(days=365)).isoformat(), "until": today.isoformat(), "by": "organisation"},
            per_member=per_member,
        )
    rows = None
    if form.is_valid():
        data = form.cleaned_data
        rows = selectors.learning_hours(
            actor,
            since=local_moment(data["since"], time()),
            until=local_moment(data["until"] + timedelta(days=1), time()),
            by=data["by"],
        )
        if request.GET.get("download") == "csv":
            return _csv(rows, data)
    response = render(request, "learning/hours.html", {"nav_section": NAV, "form": form, "rows": rows})
    return no_store(response) if per_member else response


def _csv(rows: list[selectors.HoursRow], data: dict[str, Any]) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [_("Person") if data["by"] == "member" else _("Organisation"), _("Hours"), _("People"), _("Events")]
    )
    for row in rows:
        writer.writerow([neutralise(str(row.label)), f"{row.minutes / 60:.2f}", row.people, row.sessions])
    name = f"learning-hours-{data['since'].isoformat()}-to-{data['until'].isoformat()}.csv"
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return no_store(response)
