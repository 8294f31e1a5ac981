"""The learning log's pages: the log with its search, an entry, writing and changing one, a named parent's
answer, and the case study (a page to share outside, and its standalone download). Each view resolves the
entry through the selectors (404 when out of reach) and calls one service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.learning import selectors
from coproduce.learning.forms import ConsentForm, LogEntryForm, LogSearchForm
from coproduce.learning.models import LogEntry
from coproduce.learning.services import log as services
from coproduce.partnerships.access import acting_membership, may, partnership_slug, partnership_view

NAV = "learning"


def _entry_url(request: HttpRequest, entry: LogEntry, name: str = "learning:log-entry") -> str:
    return reverse(name, kwargs={"slug": partnership_slug(request), "entry_id": entry.pk})


def _year(raw: str) -> int | None:
    return int(raw) if raw.isdecimal() and len(raw) == 4 else None


@partnership_view("learning.log_view")
@never_cache
def log(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    query = " ".join(request.GET.get("q", "").split())[:100]
    kind = request.GET.get("kind", "")
    kind = kind if kind in dict(selectors.KIND_CHOICES) else ""
    year = _year(request.GET.get("year", ""))
    years = selectors.years_with_entries(actor)
    return render(
        request,
        "learning/log/log.html",
        {
            "nav_section": NAV,
            "entries": list(selectors.published_search(actor, query=query, kind=kind, year=year)),
            "searched": bool(query or kind or year),
            "search_form": LogSearchForm(initial={"q": query, "kind": kind, "year": str(year or "")}, years=years),
            "mine": list(selectors.entries_i_write(actor)),
            "asking": list(selectors.entries_asking(actor)),
            "may_add": may("learning.log_add", actor),
        },
    )


def _form_page(request: HttpRequest, *, entry: LogEntry | None) -> HttpResponse:
    actor = acting_membership(request)
    choices = selectors.choices_for(actor)
    if request.method == "POST":
        form = LogEntryForm(request.POST, choices=choices)
    elif entry is None:
        form = LogEntryForm(choices=choices)
    else:
        ids = selectors.linked_ids(entry)
        form = LogEntryForm(
            choices=choices,
            initial={
                "title": entry.title,
                "event": entry.event_id,
                "what_we_tried": entry.what_we_tried,
                "what_we_learned": entry.what_we_learned,
                "what_next": entry.what_next,
                "co_authors": sorted(entry.co_author_ids),  # type: ignore[attr-defined]
                "named_parents": sorted(entry.named_ids),  # type: ignore[attr-defined]
                "ideas": ids["idea"],
                "tests": ids["test"],
                "decision": ids["decision"][0] if ids["decision"] else None,
            },
        )
    if request.method == "POST" and form.is_valid():
        try:
            if entry is None:
                saved = services.log_entry_create(actor=actor, fields=form.fields_for_service())
            else:
                saved = services.log_entry_update(actor=actor, entry=entry, fields=form.fields_for_service())
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, _("Saved as a draft. Ask the parents named when it is ready."))
            return redirect(_entry_url(request, saved))
    return render(request, "learning/log/entry_form.html", {"nav_section": NAV, "form": form, "entry": entry})


@partnership_view("learning.log_add")
@require_http_methods(["GET", "POST"])
@never_cache
def log_new(request: HttpRequest) -> HttpResponse:
    return _form_page(request, entry=None)


def _writable(request: HttpRequest, entry_id: int) -> LogEntry:
    entry = selectors.entry_for(acting_membership(request), entry_id)
    if not may("learning.log_write", acting_membership(request), entry):
        raise NotPermitted()
    return entry


@partnership_view("learning.log_view")
@require_http_methods(["GET", "POST"])
@never_cache
def log_edit(request: HttpRequest, entry_id: int) -> HttpResponse:
    return _form_page(request, entry=_writable(request, entry_id))


@partnership_view("learning.log_view")
@require_http_methods(["GET", "POST"])
@never_cache
def log_entry(request: HttpRequest, entry_id: int) -> HttpResponse:
    """An entry; its writers ask the parents named from here (a POST)."""
    actor = acting_membership(request)
    if request.method == "POST":
        entry = _writable(request, entry_id)
        try:
            asked = services.log_entry_ask(actor=actor, entry=entry)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Published to the partnership.")
                if asked.status == LogEntry.Status.PUBLISHED
                else _("The parents named are asked to agree. It is published when every one of them has."),
            )
        return redirect(_entry_url(request, entry))
    entry = selectors.entry_for(actor, entry_id)
    writes = may("learning.log_write", actor, entry)
    return render(
        request,
        "learning/log/entry.html",
        {
            "nav_section": NAV,
            "entry": entry,
            "byline": selectors.byline(entry),
            "links": selectors.links_for(actor, entry),
            "writes": writes,
            "consents": selectors.consents(entry) if writes else [],
            "answers": may("learning.log_answer", actor, entry),
        },
    )


@partnership_view("learning.log_view")
@require_http_methods(["GET", "POST"])
@never_cache
def log_consent(request: HttpRequest, entry_id: int) -> HttpResponse:
    """A parent named in an entry reads it and agrees, or says no."""
    actor = acting_membership(request)
    entry = selectors.entry_for(actor, entry_id)
    if not may("learning.log_answer", actor, entry):
        raise NotPermitted()
    consent = selectors.consent_of(actor, entry)
    form = ConsentForm(
        request.POST if request.method == "POST" else None,
        initial={"named_outside": bool(consent and consent.named_outside)},
    )
    if request.method == "POST" and form.is_valid():
        agree = form.cleaned_data["answer"] == "agree"
        try:
            services.log_consent_answer(
                actor=actor, entry=entry, agree=agree, named_outside=form.cleaned_data["named_outside"]
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(
                request,
                _("Thank you. You agreed.") if agree else _("Thank you. It will not be published like this."),
            )
            return redirect(_entry_url(request, entry))
    return render(
        request,
        "learning/log/consent.html",
        {"nav_section": NAV, "entry": entry, "form": form, "consent": consent, "byline": selectors.byline(entry)},
    )


def _case_study_context(request: HttpRequest, entry: LogEntry) -> dict[str, Any]:
    return {
        "nav_section": NAV,
        "entry": entry,
        "byline": selectors.byline(entry),
        "named": selectors.named_outside(entry),
        "links": selectors.links_for(acting_membership(request), entry),
        "partnership": acting_membership(request).partnership,
    }


@partnership_view("learning.log_view")
@never_cache
def log_case_study(request: HttpRequest, entry_id: int) -> HttpResponse:
    """A published entry laid out to share outside: no parent's name unless she said so; print-friendly.
    With ``?download=1``, the same as one standalone HTML file."""
    entry = selectors.entry_for(acting_membership(request), entry_id)
    if entry.status != LogEntry.Status.PUBLISHED:
        raise NotPermitted()
    context = _case_study_context(request, entry)
    if request.GET.get("download") == "1":
        html = render_to_string("learning/log/case_study_standalone.html", context, request=request)
        response = HttpResponse(html, content_type="text/html; charset=utf-8")
        name = slugify(entry.title)[:60] or "case-study"
        response["Content-Disposition"] = f'attachment; filename="case-study-{name}.html"'
        return response
    return render(request, "learning/log/case_study.html", context)
