"""Check-ins and the progress charts."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.partnerships.access import acting_membership, partnership_view
from coproduce.support import selectors, services
from coproduce.support.forms import CheckInAgreeForm, CheckInForm, MemberCheckInForm, PeriodForm
from coproduce.support.models import Part
from coproduce.support.views._common import page_context, record_read


@partnership_view("support.take_part")
@require_http_methods(["GET", "POST"])
def checkin_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    actor = acting_membership(request)
    plan, access = selectors.plan_for(actor, plan_id, part=Part.CHECKINS, editing=True)
    areas = selectors.outcome_areas(actor)
    started = plan.created_at.date()
    # The member rates each area herself, on one short page; a worker records all three ratings.
    form: CheckInForm | MemberCheckInForm = (
        MemberCheckInForm(request.POST or None, areas=areas, started=started)
        if access.is_owner
        else CheckInForm(request.POST or None, areas=areas, is_staff=True, started=started)
    )
    if request.method == "POST" and form.is_valid():
        try:
            checkin = services.checkin_create(
                actor=actor,
                plan=plan,
                date=form.cleaned_data["date"],
                notes=form.cleaned_data["notes"],
                ratings=form.ratings(),
                with_member=form.cleaned_data.get("with_member", False),
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(
                request,
                _("Check-in saved.") if access.is_owner else _("Check-in saved. The member will be asked to agree it."),
            )
            return redirect("support:checkin", slug=actor.partnership.slug, checkin_id=checkin.pk)
    return render(request, "support/checkin_form.html", page_context(form=form, plan=plan, access=access))


@partnership_view("support.take_part")
@require_http_methods(["GET", "POST"])
def checkin(request: HttpRequest, checkin_id: int) -> HttpResponse:
    actor = acting_membership(request)
    checkin, access = selectors.checkin_for(actor, checkin_id)
    ratings = list(checkin.ratings.all())
    form = (
        CheckInAgreeForm(request.POST or None, ratings=ratings)
        if access.is_owner and checkin.agreed_at is None
        else None
    )
    if request.method == "POST":
        if form is None:
            raise NotPermitted()
        if form.is_valid():
            try:
                services.checkin_agree(actor=actor, checkin=checkin, agreed=form.agreed())
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(request, _("You have agreed this check-in."))
                return redirect("support:checkin", slug=actor.partnership.slug, checkin_id=checkin.pk)
    record_read(request, checkin.plan, access, "check-in", [Part.CHECKINS])
    return render(
        request,
        "support/checkin.html",
        page_context(checkin=checkin, plan=checkin.plan, ratings=ratings, form=form, access=access),
    )


CHART_W, CHART_H, PAD_L, PAD_B, PAD_T = 320, 160, 28, 22, 10


def _chart(entry: dict[str, Any]) -> dict[str, Any]:
    """Points of a small line chart (SVG presentation attributes only: the CSP forbids inline style)."""
    points = entry["points"]
    first, last = points[0][0], points[-1][0]
    span = max((last - first).days, 1)
    usable_w, usable_h = CHART_W - PAD_L - 8, CHART_H - PAD_B - PAD_T
    coords = []
    for day, value in points:
        x = PAD_L + (usable_w * (day - first).days / span if len(points) > 1 else usable_w / 2)
        y = PAD_T + usable_h * (10 - value) / 9
        coords.append({"x": round(x, 1), "y": round(y, 1), "date": day, "value": value})
    ticks = [{"value": v, "y": round(PAD_T + usable_h * (10 - v) / 9, 1)} for v in (1, 4, 7, 10)]
    return {
        "coords": coords,
        "polyline": " ".join(f"{c['x']},{c['y']}" for c in coords),
        "ticks": ticks,
        "width": CHART_W,
        "height": CHART_H,
        "axis_x": PAD_L,
        "axis_y": CHART_H - PAD_B,
        "right": CHART_W - 8,
        "first": first,
        "last": last,
    }


@partnership_view("support.take_part")
def progress(request: HttpRequest, plan_id: int) -> HttpResponse:
    actor = acting_membership(request)
    plan, access = selectors.plan_for(actor, plan_id, part=Part.CHECKINS)
    period = PeriodForm(request.GET or None)
    start = end = None
    if request.GET and period.is_valid():
        start, end = period.cleaned_data["start"], period.cleaned_data["end"]
    entries = selectors.distance_travelled(plan, start=start, end=end) if not period.errors else []
    for entry in entries:
        entry["chart"] = _chart(entry)
    record_read(request, plan, access, "progress", [Part.CHECKINS])
    return render(
        request, "support/progress.html", page_context(plan=plan, entries=entries, form=period, access=access)
    )
