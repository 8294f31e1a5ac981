"""The partnership agreement page, and the terms of reference's versions."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.core.reversing import cached_reverse
from coproduce.governance import selectors, services
from coproduce.governance.forms import TermsForm
from coproduce.governance.views._common import NAV, agreement_url, form_page, posted
from coproduce.partnerships.access import acting_membership, may, partnership_slug, partnership_view


@partnership_view("governance.view")
def agreement(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    versions = selectors.terms_versions(actor)
    interests = selectors.interests_register(actor)
    may_change = may("governance.change", actor)
    for interest in interests:
        interest.may_change = may_change or interest.membership_id == actor.pk  # type: ignore[attr-defined]
    return render(
        request,
        "governance/agreement.html",
        {
            "nav_section": NAV,
            "terms": selectors.terms_current(actor),
            "earlier_versions": versions[1:],
            "groups": selectors.groups_with_seats(actor),
            "rules": selectors.decision_rules(actor),
            "interests": interests,
            "may_change": may_change,
            "may_declare": may("governance.declare", actor),
        },
    )


@partnership_view("governance.view")
def terms_version(request: HttpRequest, number: int) -> HttpResponse:
    actor = acting_membership(request)
    version = selectors.terms_version(actor, number)
    current = selectors.terms_current(actor)
    return render(
        request,
        "governance/terms_version.html",
        {"nav_section": NAV, "version": version, "is_current": current is not None and current.pk == version.pk},
    )


@partnership_view("governance.change")
@require_http_methods(["GET", "POST"])
def terms_new(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    current = selectors.terms_current(actor)
    initial = {"text": current.text} if current else {}
    return form_page(
        request,
        form=TermsForm(posted(request), initial=initial),
        save=lambda data: services.terms_publish(actor=actor, **data),
        success=_("Published. Everyone in the partnership now reads the new version; the earlier ones stay."),
        next_url=lambda version: cached_reverse(
            "governance:terms-version", kwargs={"slug": partnership_slug(request), "number": version.number}
        ),
        heading=_("Publish a new version of the terms of reference"),
        button=_("Publish this version"),
        cancel_url=agreement_url(request, "terms"),
        caption=_("Partnership agreement"),
        intro=_(
            "The terms of reference are never changed in place: this publishes a new version, dated and with your "
            "name, and every earlier version stays readable."
        ),
    )
