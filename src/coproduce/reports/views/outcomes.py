"""Employability outcomes pages: "My outcomes" (hers: every outcome recorded about her, who recorded it, who has
read them, her priority family groups, asking for a correction) and her keyworker's pages (her outcomes, adding
one with her, follow-ups due, answering a correction)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.core.exceptions import ServiceError
from coproduce.core.reversing import cached_reverse
from coproduce.partnerships.access import acting_membership, partnership_slug, partnership_view
from coproduce.partnerships.models import Membership
from coproduce.reports.forms.outcomes import CorrectionAnswerForm, CorrectionAskForm, OutcomeForm, PriorityGroupsForm
from coproduce.reports.selectors import outcomes as selectors
from coproduce.reports.services import outcomes as services

NAV = "outcomes"


def _url(request: HttpRequest, name: str, **kwargs: Any) -> str:
    return cached_reverse(f"reports:{name}", kwargs={"slug": partnership_slug(request), **kwargs})


def _context(**kwargs: Any) -> dict[str, Any]:
    return {"nav_section": NAV, **kwargs}


@partnership_view("reports.outcomes")
@require_http_methods(["GET"])
def outcomes(request: HttpRequest) -> HttpResponse:
    """Hers, for a member; the people she keyworks, for staff (both for someone who is both)."""
    actor = acting_membership(request)
    context = _context(is_member=actor.is_member, is_staff=actor.is_staff_role)
    if actor.is_member:
        context.update(
            outcomes=list(selectors.outcomes_of(actor)),
            groups=selectors.priority_groups_of(actor),
            reads=list(selectors.reads_of(actor)[:20]),
        )
    if actor.is_staff_role:
        context["people"] = selectors.people_keyworked(actor)
    return render(request, "reports/outcomes/index.html", context)


def _record(request: HttpRequest, member: Membership, back: str, template: str, **extra: Any) -> HttpResponse:
    actor = acting_membership(request)
    is_staff = actor.pk != member.pk
    jobs = selectors.jobs_of(member)
    form = OutcomeForm(request.POST or None, jobs=jobs, is_staff=is_staff, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.outcome_record(
                actor=actor,
                member=member,
                agreed_with_member=bool(form.cleaned_data.get("agreed_with_member")),
                **form.service_kwargs(),
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, _("The outcome is recorded."))
            return redirect(back)
    return render(request, template, _context(form=form, member=member, back=back, is_staff=is_staff, **extra))


@partnership_view("reports.own_outcomes")
@require_http_methods(["GET", "POST"])
def outcome_new(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    return _record(request, actor, _url(request, "outcomes"), "reports/outcomes/form.html")


def _groups(request: HttpRequest, member: Membership, back: str) -> HttpResponse:
    actor = acting_membership(request)
    is_staff = actor.pk != member.pk
    current = selectors.priority_groups_of(member)
    initial = {key: getattr(current, key) for key, _label, _answer in current.answers()}
    form = PriorityGroupsForm(request.POST or None, is_staff=is_staff, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.priority_groups_set(
                actor=actor,
                member=member,
                answers=form.answers(),
                agreed_with_member=bool(form.cleaned_data.get("agreed_with_member")),
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, _("Your answers are saved.") if not is_staff else _("Her answers are saved."))
            return redirect(back)
    return render(
        request, "reports/outcomes/groups.html", _context(form=form, member=member, back=back, is_staff=is_staff)
    )


@partnership_view("reports.own_outcomes")
@require_http_methods(["GET", "POST"])
def priority_groups(request: HttpRequest) -> HttpResponse:
    return _groups(request, acting_membership(request), _url(request, "outcomes"))


@partnership_view("reports.own_outcomes")
@require_http_methods(["GET", "POST"])
def correction_ask(request: HttpRequest, outcome_id: int) -> HttpResponse:
    actor = acting_membership(request)
    outcome = selectors.outcome_for(actor, outcome_id, own=True)
    form = CorrectionAskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.correction_ask(actor=actor, outcome=outcome, text=form.cleaned_data["text"])
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, _("Your request is sent. You will be told the answer here."))
            return redirect(_url(request, "outcomes"))
    return render(request, "reports/outcomes/correction_ask.html", _context(form=form, outcome=outcome))


# --- her keyworker's pages --------------------------------------------------------------------------------


@partnership_view("reports.keywork_outcomes")
@require_http_methods(["GET"])
def person(request: HttpRequest, membership_id: int) -> HttpResponse:
    """Her outcomes, as her keyworker reads them (the read is recorded and shown to her)."""
    actor = acting_membership(request)
    member = selectors.member_for(actor, membership_id)
    services.outcomes_read_record(reader=actor, member=member)
    context = _context(
        member=member,
        outcomes=list(selectors.outcomes_of(member)),
        groups=selectors.priority_groups_of(member),
        follow_ups=selectors.follow_ups_due(member, today=timezone.localdate()),
        corrections=list(selectors.open_corrections_for(member)),
    )
    return render(request, "reports/outcomes/person.html", context)


@partnership_view("reports.keywork_outcomes")
@require_http_methods(["GET", "POST"])
def person_new(request: HttpRequest, membership_id: int) -> HttpResponse:
    actor = acting_membership(request)
    member = selectors.member_for(actor, membership_id)
    back = _url(request, "outcome-person", membership_id=member.pk)
    return _record(request, member, back, "reports/outcomes/form.html")


@partnership_view("reports.keywork_outcomes")
@require_http_methods(["GET", "POST"])
def person_groups(request: HttpRequest, membership_id: int) -> HttpResponse:
    actor = acting_membership(request)
    member = selectors.member_for(actor, membership_id)
    return _groups(request, member, _url(request, "outcome-person", membership_id=member.pk))


@partnership_view("reports.keywork_outcomes")
@require_http_methods(["GET", "POST"])
def correction(request: HttpRequest, correction_id: int) -> HttpResponse:
    """Answer her request: correct the outcome (the change is kept) or leave it, saying why."""
    actor = acting_membership(request)
    asked = selectors.correction_for(actor, correction_id)
    outcome = asked.outcome
    back = _url(request, "outcome-person", membership_id=outcome.member_id)
    jobs = selectors.jobs_of(outcome.member).exclude(pk=outcome.pk)
    form = CorrectionAnswerForm(
        request.POST or None, jobs=jobs, is_staff=False, initial=CorrectionAnswerForm.initial_for(outcome)
    )
    if request.method == "POST" and asked.status == asked.Status.OPEN:
        try:
            if "decline" in request.POST:
                services.correction_decline(actor=actor, correction=asked, reply=request.POST.get("reply", ""))
                messages.success(request, _("She is told it stays as it is, with your reply."))
                return redirect(back)
            if form.is_valid():
                services.correction_correct(
                    actor=actor, correction=asked, reply=form.cleaned_data.get("reply") or "", **form.service_kwargs()
                )
                messages.success(request, _("The outcome is corrected and she is told."))
                return redirect(back)
        except ServiceError as error:
            error.add_to(form)
    return render(
        request, "reports/outcomes/correction.html", _context(form=form, asked=asked, outcome=outcome, back=back)
    )
