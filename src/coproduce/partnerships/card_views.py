"""Invitation cards: an open invitation printed as a card with a QR code and a short link (``/i/<code>/``), to
hand over at a hub or pin beside a drop-in, and the short link itself, which leads to the invitation's page.

The short link is as good as the invitation's own link for the 14 days the invitation is open, and no more:
once it is accepted, withdrawn or out of date the link says so on a plain page."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from coproduce.core.exceptions import ServiceError
from coproduce.core.qr import qr_svg
from coproduce.partnerships import selectors, services
from coproduce.partnerships.access import acting_membership, partnership_view
from coproduce.partnerships.tokens import invitation_token


@partnership_view("partnerships.invite")
def invitation_card(request: HttpRequest, invitation_id: int) -> HttpResponse:
    actor = acting_membership(request)
    invitation = selectors.invitation_in_partnership(actor, invitation_id)
    if invitation is None:
        raise Http404
    try:
        code = services.invitation_card_code(actor=actor, invitation=invitation)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("partnerships:invitations", slug=actor.partnership.slug)
    link = request.build_absolute_uri(reverse("partnerships:invitation-short", kwargs={"code": code}))
    context = {"nav_section": "invitations", "invitation": invitation, "link": link, "qr": qr_svg(link)}
    return render(request, "partnerships/invitation_card.html", context)


def invitation_short(request: HttpRequest, code: str) -> HttpResponse:
    """Open to anyone holding the card: the code is the proof, as the token is for the emailed link."""
    invitation = selectors.invitation_by_short_code(code)
    problem = services.invitation_problem(invitation)
    if invitation is None:
        problem = _("This card's link is not valid. Check the address you typed against the card.")
    if invitation is None or problem:
        status = 404 if invitation is None else 410
        return render(request, "partnerships/invitation_problem.html", {"problem": problem}, status=status)
    return redirect("partnerships:invitation-accept", token=invitation_token(invitation))
