"""Deciding on a test, and co-signing a decision."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coproduce.core.exceptions import ServiceError
from coproduce.improvement import selectors, services
from coproduce.improvement.forms import DecisionForm
from coproduce.improvement.views._common import pdsa_url, posted_data, simple_form_page
from coproduce.partnerships.access import acting_membership, partnership_view


@partnership_view("improvement.take_part")
@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, test_id: int) -> HttpResponse:
    actor = acting_membership(request)
    test = selectors.test_for(actor, test_id, running=True)
    form = DecisionForm(posted_data(request))
    needs_member = services.settings_for(actor.partnership_id).decisions_need_member
    return simple_form_page(
        request,
        form=form,
        template="improvement/decide.html",
        context={"test": test, "needs_member": needs_member and not actor.is_member},
        save=lambda data: services.decision_record(actor=actor, test=test, **data),
        success=_("The decision is recorded."),
        next_url=lambda d: pdsa_url(request, test, "decision"),
    )


@partnership_view("improvement.cosign")
@require_POST
def cosign(request: HttpRequest, test_id: int) -> HttpResponse:
    actor = acting_membership(request)
    test = selectors.test_for(actor, test_id)
    try:
        services.decision_cosign(actor=actor, test=test)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You co-signed the decision. It now takes effect."))
    return redirect(pdsa_url(request, test, "decision"))
