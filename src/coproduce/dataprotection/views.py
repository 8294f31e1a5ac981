from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coproduce.core.exceptions import ServiceError
from coproduce.dataprotection import selectors, services
from coproduce.dataprotection.forms import AgreementForm, RetentionForm, SettingsForm
from coproduce.partnerships.access import acting_membership, may, partnership_slug, partnership_view

NAV = "settings"  # the data-protection pages are sections of the partnership's settings
RUNS_PAGE_SIZE = 20


def _saved(request: HttpRequest, form: Any, save: Any, success: str, next_name: str) -> HttpResponse | None:
    """Validate and save a posted form; the redirect on success, None to show the form (with its errors)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        save()
    except ServiceError as error:
        error.add_to(form)
        return None
    messages.success(request, success)
    return redirect(next_name, slug=partnership_slug(request))


@partnership_view("dataprotection.manage")
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    current = selectors.settings_visible_to(actor)
    initial: dict[str, Any] = {}
    if current is not None:
        initial = {
            "controllers": [org.pk for org in current.controllers.all()],
            "arrangement": current.arrangement,
            "contact_name": current.contact_name,
            "contact_email": current.contact_email,
            "contact_address": current.contact_address,
            "dpo_name": current.dpo_name,
            "dpo_email": current.dpo_email,
        }
    form = SettingsForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        organisations=selectors.organisation_choices_for(actor),
    )
    done = _saved(
        request,
        form,
        lambda: services.data_protection_update(actor=actor, **form.cleaned_data),
        _("The data protection settings are saved."),
        "dataprotection:settings",
    )
    return done or render(request, "dataprotection/settings.html", {"nav_section": NAV, "form": form})


@partnership_view("dataprotection.manage")
@require_http_methods(["GET", "POST"])
def retention(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    form = RetentionForm(
        request.POST if request.method == "POST" else None, periods=selectors.retention_periods_visible_to(actor)
    )
    done = _saved(
        request,
        form,
        lambda: services.retention_periods_update(actor=actor, choices=form.choices()),
        _("The retention periods are saved."),
        "dataprotection:retention",
    )
    return done or render(request, "dataprotection/retention.html", {"nav_section": NAV, "form": form})


@partnership_view("dataprotection.manage")
def runs(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    page = Paginator(selectors.retention_runs_visible_to(actor), RUNS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "dataprotection/runs.html", {"nav_section": NAV, "page": page})


@partnership_view("dataprotection.manage")
@require_POST
def dry_run(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    services.retention_apply(partnership=actor.partnership, dry_run=True, actor=actor)
    messages.success(request, _("The dry run is done: it changed nothing. What it would do is below."))
    return redirect("dataprotection:runs", slug=partnership_slug(request))


@partnership_view("dataprotection.view")
def agreement(request: HttpRequest, version: int | None = None) -> HttpResponse:
    actor = acting_membership(request)
    shown = selectors.agreement_version(actor, version)
    return render(
        request,
        "dataprotection/agreement.html",
        {
            "nav_section": NAV,
            "shown": selectors.agreement_words(shown) if shown else None,
            "versions": selectors.agreement_versions_visible_to(actor),
            "is_latest": version is None,
            "settings": selectors.settings_visible_to(actor),
            "periods": selectors.retention_periods_visible_to(actor),
            "may_change": may("dataprotection.manage", actor),
        },
    )


@partnership_view("dataprotection.manage")
@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    current = selectors.agreement_version(actor)
    initial: dict[str, Any] = {}
    if current is not None:
        initial = {
            name: getattr(current, name)
            for name in AgreementForm.base_fields
            if name != "review_date" or current.review_date
        }
    form = AgreementForm(request.POST if request.method == "POST" else None, initial=initial)
    done = _saved(
        request,
        form,
        lambda: services.agreement_record(actor=actor, **form.cleaned_data),
        _("The data sharing agreement is saved as a new version."),
        "dataprotection:agreement",
    )
    return done or render(
        request, "dataprotection/agreement_edit.html", {"nav_section": NAV, "form": form, "current": current}
    )


@partnership_view("dataprotection.view")
def privacy(request: HttpRequest) -> HttpResponse:
    notice = selectors.privacy_notice_for(acting_membership(request))
    return render(request, "dataprotection/privacy.html", {"nav_section": "", "notice": notice})
