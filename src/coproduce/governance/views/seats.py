"""Groups, their seats, and who holds each seat."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.governance import selectors, services
from coproduce.governance.forms import AppointForm, ConfirmForm, GroupForm, HoldingEndForm, SeatForm
from coproduce.governance.views._common import NAV, agreement_url, form_page, posted, seat_url
from coproduce.partnerships.access import acting_membership, may, partnership_view


@partnership_view("governance.change")
@require_http_methods(["GET", "POST"])
def group_new(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    return form_page(
        request,
        form=GroupForm(posted(request)),
        save=lambda data: services.group_create(actor=actor, **data),
        success=_("Group added. Now add its seats."),
        next_url=lambda group: agreement_url(request, f"group-{group.pk}"),
        heading=_("Add a group"),
        button=_("Add the group"),
        cancel_url=agreement_url(request, "groups"),
        caption=_("Partnership agreement"),
        intro=_("A board or steering group of the partnership. You add its seats next."),
    )


@partnership_view("governance.change")
@require_http_methods(["GET", "POST"])
def group_edit(request: HttpRequest, group_id: int) -> HttpResponse:
    actor = acting_membership(request)
    group = selectors.group_for(actor, group_id)
    return form_page(
        request,
        form=GroupForm(posted(request), initial={"name": group.name, "purpose": group.purpose}),
        save=lambda data: services.group_update(actor=actor, group=group, **data),
        success=_("Group saved."),
        next_url=lambda saved: agreement_url(request, f"group-{saved.pk}"),
        heading=_("Change the group %(name)s") % {"name": group.name},
        button=_("Save"),
        cancel_url=agreement_url(request, f"group-{group.pk}"),
        caption=_("Partnership agreement"),
    )


@partnership_view("governance.change")
@require_http_methods(["GET", "POST"])
def seat_new(request: HttpRequest, group_id: int) -> HttpResponse:
    actor = acting_membership(request)
    group = selectors.group_for(actor, group_id)
    return form_page(
        request,
        form=SeatForm(posted(request), organisations=selectors.organisations(actor)),
        save=lambda data: services.seat_create(actor=actor, group=group, **data),
        success=_("Seat added. It is vacant until you appoint someone."),
        next_url=lambda seat: seat_url(request, seat.pk),
        heading=_("Add a seat to %(name)s") % {"name": group.name},
        button=_("Add the seat"),
        cancel_url=agreement_url(request, f"group-{group.pk}"),
        caption=_("Partnership agreement"),
    )


@partnership_view("governance.view")
def seat(request: HttpRequest, seat_id: int) -> HttpResponse:
    actor = acting_membership(request)
    found = selectors.seat_for(actor, seat_id)
    current = next((h for h in found.history if h.ended_on is None), None)  # type: ignore[attr-defined]
    return render(
        request,
        "governance/seat.html",
        {
            "nav_section": NAV,
            "seat": found,
            "current": current,
            "past": [h for h in found.history if h.ended_on is not None],  # type: ignore[attr-defined]
            "may_change": may("governance.change", actor),
        },
    )


@partnership_view("governance.change")
@require_http_methods(["GET", "POST"])
def seat_edit(request: HttpRequest, seat_id: int) -> HttpResponse:
    actor = acting_membership(request)
    found = selectors.seat_for(actor, seat_id)
    return form_page(
        request,
        form=SeatForm(
            posted(request),
            organisations=selectors.organisations(actor),
            initial={"title": found.title, "kind": found.kind, "organisation": found.organisation_id},
        ),
        save=lambda data: services.seat_update(actor=actor, seat=found, **data),
        success=_("Seat saved."),
        next_url=lambda saved: seat_url(request, saved.pk),
        heading=_("Change the seat %(title)s") % {"title": found.title},
        button=_("Save"),
        cancel_url=seat_url(request, found.pk),
        caption=found.group.name,
    )


@partnership_view("governance.change")
@require_http_methods(["GET", "POST"])
def seat_appoint(request: HttpRequest, seat_id: int) -> HttpResponse:
    actor = acting_membership(request)
    found = selectors.seat_for(actor, seat_id)
    if found.kind == found.Kind.MEMBER:
        intro = _("A member seat is held by a member of the partnership.")
    else:
        intro = _("This seat is held by a member of staff of %(organisation)s.") % {
            "organisation": found.organisation.name if found.organisation else ""
        }
    return form_page(
        request,
        form=AppointForm(posted(request), people=selectors.eligible_holders(actor, found)),
        save=lambda data: services.seat_appoint(actor=actor, seat=found, **data),
        success=_("Appointed."),
        next_url=lambda holding: seat_url(request, found.pk),
        heading=_("Appoint someone to %(title)s") % {"title": found.title},
        button=_("Appoint"),
        cancel_url=seat_url(request, found.pk),
        caption=found.group.name,
        intro=intro,
    )


@partnership_view("governance.change")
@require_http_methods(["GET", "POST"])
def holding_end(request: HttpRequest, holding_id: int) -> HttpResponse:
    actor = acting_membership(request)
    holding = selectors.holding_for(actor, holding_id)
    holder = holding.membership.user.display_name if holding.membership else _("someone who has left")
    return form_page(
        request,
        form=HoldingEndForm(posted(request)),
        save=lambda data: services.holding_end(actor=actor, holding=holding, **data),
        success=_("The term has ended. The seat is vacant."),
        next_url=lambda ended: seat_url(request, holding.seat_id),
        heading=_("End %(holder)s's term on %(seat)s") % {"holder": holder, "seat": holding.seat.title},
        button=_("End the term"),
        cancel_url=seat_url(request, holding.seat_id),
        caption=holding.seat.group.name,
        intro=_("The seat becomes vacant. The term stays in the seat's history."),
    )


@partnership_view("governance.change")
@require_http_methods(["GET", "POST"])
def seat_retire(request: HttpRequest, seat_id: int) -> HttpResponse:
    actor = acting_membership(request)
    found = selectors.seat_for(actor, seat_id)
    return form_page(
        request,
        form=ConfirmForm(posted(request)),
        save=lambda data: services.seat_retire(actor=actor, seat=found),
        success=_("The seat is removed. Its history is kept."),
        next_url=lambda retired: agreement_url(request, f"group-{retired.group_id}"),
        heading=_("Remove the seat %(title)s?") % {"title": found.title},
        button=_("Remove the seat"),
        cancel_url=seat_url(request, found.pk),
        caption=found.group.name,
        intro=_(
            "For a seat the group no longer has. It is no longer listed or filled; who held it before stays "
            "on the seat's page. Someone who holds it now must have their term ended first."
        ),
    )
