"""A test of change: setting one up, changing its plan, its page, its stage and its study notes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coproduce.core.exceptions import ServiceError
from coproduce.improvement import selectors, services
from coproduce.improvement.forms import StageForm, StudyForm, TestForm
from coproduce.improvement.models import TestOfChange
from coproduce.improvement.views._common import (
    NAV,
    int_or_none,
    pdsa_url,
    posted_data,
    simple_form_page,
)
from coproduce.partnerships.access import acting_membership, may, partnership_slug, partnership_view


@partnership_view("improvement.add_test")
@require_http_methods(["GET", "POST"])
def test_new(request: HttpRequest) -> HttpResponse:
    from coproduce.voice import api as voice_api

    actor = acting_membership(request)
    people = selectors.people_choices(actor)
    ideas = voice_api.ideas_visible_to(actor=actor, sort="active")
    if request.method == "POST":
        form = TestForm(request.POST, people=people, ideas=ideas)
        if form.is_valid():
            data = form.cleaned_data
            try:
                test = services.pdsa_create(
                    actor=actor, fields=_fields(data), people=list(data["people"]), idea=data["idea"]
                )
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(request, _("Your test of change is set up. Add the measures you will track."))
                return redirect(pdsa_url(request, test))
    else:
        initial: dict[str, Any] = {}
        wanted = int_or_none(request.GET.get("idea", ""))
        if wanted is not None and ideas.filter(pk=wanted).exists():
            initial["idea"] = wanted
        form = TestForm(initial=initial, people=people, ideas=ideas)
    return render(request, "improvement/test_form.html", {"nav_section": NAV, "form": form})


def _fields(data: dict[str, Any]) -> services.TestFields:
    return services.TestFields(**{name: data[name] for name in services.PLAN_FIELDS})


@partnership_view("improvement.take_part")
@require_http_methods(["GET", "POST"])
def test_edit(request: HttpRequest, test_id: int) -> HttpResponse:
    """Change the plan of a test already set up, until it is decided."""
    actor = acting_membership(request)
    test = selectors.test_for(actor, test_id, running=True)
    if test.stage == TestOfChange.Stage.ACT:
        messages.error(request, _("This test has been decided; its plan is closed."))
        return redirect(pdsa_url(request, test, "plan"))
    people = selectors.people_choices(actor, test=test)
    if request.method == "POST":
        form = TestForm(request.POST, people=people)
    else:
        initial: dict[str, Any] = {name: getattr(test, name) for name in services.PLAN_FIELDS}
        initial["people"] = sorted(test.people_ids)  # type: ignore[attr-defined]
        form = TestForm(initial=initial, people=people)
    if test.owner is not None:
        form.fields["people"].help_text = _("Members and staff running the test with its owner, %(name)s.") % {
            "name": test.owner.display_name
        }
    if request.method == "POST" and form.is_valid():
        try:
            services.pdsa_update(
                actor=actor,
                test=test,
                fields=_fields(form.cleaned_data),
                people=list(form.cleaned_data["people"]),
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, _("The plan is saved."))
            return redirect(pdsa_url(request, test, "plan"))
    return render(request, "improvement/test_form.html", {"nav_section": NAV, "form": form, "test": test})


@partnership_view("improvement.view")
def test_page(request: HttpRequest, test_id: int) -> HttpResponse:
    # Imported here, not at the top: it brings numpy, which every process would otherwise load at start.
    from coproduce.improvement import charts

    actor = acting_membership(request)
    test = selectors.test_for(actor, test_id)
    story = selectors.test_story(test)
    may_run = may("improvement.run_test", actor, test)
    decision = story["decision"]
    edit_address = None
    if may_run and decision is None:
        placeholder = 987654321  # stands for each observation's id in the data tables' links
        edit_address = reverse(
            "improvement:observation-edit",
            kwargs={"slug": partnership_slug(request), "observation_id": placeholder},
        ).replace(str(placeholder), "{id}")
    return render(
        request,
        "improvement/test.html",
        {
            "nav_section": NAV,
            "test": test,
            **story,
            "charts": charts.build_all(
                story["measures"],
                story["series"],
                ids=story["observation_ids"],
                edit_address=edit_address,
                linked=story["linked"],
            ),
            "may_run": may_run,
            "may_check": may("improvement.check", actor, test) and test.stage != TestOfChange.Stage.PLAN,
            "may_cosign": (
                decision is not None and not decision.is_effective and may("improvement.cosign", actor, test)
            ),
            "stage_form": StageForm(initial={"stage": test.stage}) if may_run else None,
        },
    )


@partnership_view("improvement.take_part")
@require_POST
def test_stage(request: HttpRequest, test_id: int) -> HttpResponse:
    actor = acting_membership(request)
    test = selectors.test_for(actor, test_id, running=True)
    form = StageForm(request.POST)
    if form.is_valid():
        try:
            services.pdsa_stage_set(actor=actor, test=test, stage=form.cleaned_data["stage"])
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The stage is changed."))
    else:
        messages.error(request, _("Choose plan, do or study."))
    return redirect(pdsa_url(request, test))


@partnership_view("improvement.take_part")
@require_http_methods(["GET", "POST"])
def study(request: HttpRequest, test_id: int) -> HttpResponse:
    actor = acting_membership(request)
    test = selectors.test_for(actor, test_id, running=True)
    form = StudyForm(posted_data(request), initial={"notes": test.study_notes})
    return simple_form_page(
        request,
        form=form,
        template="improvement/study.html",
        context={"test": test},
        save=lambda data: services.study_record(actor=actor, test=test, notes=data["notes"]),
        success=_("Your study notes are saved."),
        next_url=lambda t: pdsa_url(request, t, "study"),
    )
