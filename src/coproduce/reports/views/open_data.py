"""Open data: the page of a partnership's datasets (``/open/<slug>/``, for anyone, signed in or not) and the
coordinators' setting that turns it on (``/p/<slug>/open-data/``)."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from coproduce.core.exceptions import ServiceError
from coproduce.partnerships.access import acting_membership, partnership_view
from coproduce.partnerships.models import OPEN_DATA_LICENCES
from coproduce.partnerships.open_data import LICENCE_URLS, open_response, published_partnership
from coproduce.reports.selectors.open_data import catalogue, json_ld
from coproduce.reports.services.open_data import open_data_set

# As Django's json_script: "<", ">" and "&" escaped, so the JSON cannot end the script element early.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld_script(data: dict[str, Any]) -> SafeString:
    """``data`` in a ``<script type="application/ld+json">`` element: a data block, which the CSP lets through
    because a browser never runs it."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308  # nosec B308 B703


@require_safe
def open_page(request: HttpRequest, slug: str) -> HttpResponseBase:
    partnership = published_partnership(slug)
    found = catalogue(partnership, request)
    response = render(
        request, "reports/open/index.html", {"catalogue": found, "json_ld": json_ld_script(json_ld(found))}
    )
    # The page sets no cookie: the header's form token is not needed by anyone signed out.
    if not request.user.is_authenticated:
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = False
    return open_response(response)


class OpenDataForm(forms.Form):
    publish = forms.TypedChoiceField(
        label=gettext_lazy("Publish open data"),
        choices=[("yes", gettext_lazy("Yes, publish it for anyone")), ("no", gettext_lazy("No, keep it off"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    licence = forms.ChoiceField(
        label=gettext_lazy("Licence"),
        help_text=gettext_lazy("The terms on which anyone may reuse the data. Most public bodies use the first."),
        choices=OPEN_DATA_LICENCES,
        widget=forms.RadioSelect,
    )


@partnership_view("partnerships.manage_settings")
@require_http_methods(["GET", "POST"])
def open_settings(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    partnership = actor.partnership
    initial = {"publish": "yes" if partnership.open_data else "no", "licence": partnership.open_data_licence}
    form = OpenDataForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = open_data_set(
                actor=actor, publish=form.cleaned_data["publish"], licence=form.cleaned_data["licence"]
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(
                request,
                _("Open data is published for anyone.") if saved.open_data else _("Open data is not published."),
            )
            return redirect("reports:open-settings", slug=partnership.slug)
    return render(
        request,
        "reports/open/settings.html",
        {"nav_section": "settings", "form": form, "licence_urls": LICENCE_URLS},
    )
