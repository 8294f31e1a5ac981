"""The register of interests: declaring one's own, and coordinators recording someone's."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.core.exceptions import NotPermitted
from coproduce.governance import selectors, services
from coproduce.governance.forms import InterestForm
from coproduce.governance.views._common import agreement_url, form_page, posted
from coproduce.partnerships.access import acting_membership, may, partnership_view


@partnership_view("governance.declare")
@require_http_methods(["GET", "POST"])
def interest_new(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    for_others = may("governance.declare_for_others", actor)
    form = InterestForm(
        posted(request),
        organisations=selectors.organisations(actor),
        people=selectors.people(actor) if for_others else None,
        initial={"membership": actor.pk},
    )

    def save(data: dict[str, Any]) -> Any:
        return services.interest_declare(actor=actor, **data)

    return form_page(
        request,
        form=form,
        save=save,
        success=_("Declared. It shows in the register of interests."),
        next_url=lambda interest: agreement_url(request, "interests"),
        heading=_("Declare an interest"),
        button=_("Declare it"),
        cancel_url=agreement_url(request, "interests"),
        caption=_("Register of interests"),
        intro=_(
            "An interest is anything that could be seen to affect what you propose or decide: a job, a payment, "
            "a role with an organisation, a relative who works for one. It is shown beside what you propose."
        ),
    )


@partnership_view("governance.declare")
@require_http_methods(["GET", "POST"])
def interest_edit(request: HttpRequest, interest_id: int) -> HttpResponse:
    actor = acting_membership(request)
    interest = selectors.interest_for(actor, interest_id)
    if not may("governance.change_interest", actor, interest):
        raise NotPermitted()
    form = InterestForm(
        posted(request),
        organisations=selectors.organisations(actor),
        initial={
            "what": interest.what,
            "organisation": interest.organisation_id,
            "with_whom": interest.with_whom,
            "starts_on": interest.starts_on,
            "ends_on": interest.ends_on,
        },
    )
    whose = interest.membership.user.display_name
    return form_page(
        request,
        form=form,
        save=lambda data: services.interest_update(actor=actor, interest=interest, **data),
        success=_("Saved."),
        next_url=lambda saved: agreement_url(request, "interests"),
        heading=_("Change an interest")
        if interest.membership_id == actor.pk
        else _("Change %(name)s's interest") % {"name": whose},
        button=_("Save"),
        cancel_url=agreement_url(request, "interests"),
        caption=_("Register of interests"),
        intro=_("When an interest has ended, enter the day it ended: it stays in the register as a past interest."),
    )
