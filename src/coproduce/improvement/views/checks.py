"""Members' answers to "Did this help you?"."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.improvement import selectors, services
from coproduce.improvement.forms import CheckForm
from coproduce.improvement.views._common import pdsa_url, posted_data, simple_form_page
from coproduce.partnerships.access import acting_membership, partnership_view


@partnership_view("improvement.check")
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, test_id: int) -> HttpResponse:
    actor = acting_membership(request)
    test = selectors.test_for(actor, test_id)
    form = CheckForm(posted_data(request))
    return simple_form_page(
        request,
        form=form,
        template="improvement/check.html",
        context={"test": test},
        save=lambda data: services.check_record(actor=actor, test=test, **data),
        success=_("Thank you. Your answer helps decide whether to keep this."),
        next_url=lambda c: pdsa_url(request, test),
    )
