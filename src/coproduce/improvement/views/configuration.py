"""The partnership's settings for improvement."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.improvement import services
from coproduce.improvement.forms import SettingsForm
from coproduce.improvement.views._common import simple_form_page
from coproduce.partnerships.access import acting_membership, partnership_slug, partnership_view


@partnership_view("improvement.settings")
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    current = services.settings_for(actor.partnership_id)
    form = SettingsForm(
        request.POST or None,
        initial={"decisions_need_member": current.decisions_need_member, "stop_rule": current.stop_rule},
    )
    return simple_form_page(
        request,
        form=form,
        template="improvement/settings.html",
        context={},
        save=lambda data: services.settings_update(actor=actor, **data),
        success=_("The settings are saved."),
        next_url=lambda s: reverse("improvement:board", kwargs={"slug": partnership_slug(request)}),
    )
