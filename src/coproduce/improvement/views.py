"""Pages for tests of change and the stop-doing register. Each view resolves what it needs through the
selectors (None answers 404), calls one service for a write, and renders. A ServiceError is shown next to
its field (or at the top); NotPermitted is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coproduce.core.exceptions import ServiceError
from coproduce.improvement import selectors, services
from coproduce.improvement.forms import (
    BoardFilterForm,
    CheckForm,
    DecisionForm,
    ImportForm,
    MeasureForm,
    ObservationForm,
    SearchForm,
    SettingsForm,
    StageForm,
    StoppedForm,
    StudyForm,
    TestForm,
)
from coproduce.improvement.models import Measure, Observation, StoppedPractice, TestOfChange
from coproduce.partnerships.access import acting_membership, may, partnership_slug, partnership_view
from coproduce.partnerships.models import Membership

NAV = "improvement"


def _test_or_404(actor: Membership, test_id: int) -> TestOfChange:
    test = selectors.test_for(actor, test_id)
    if test is None:
        raise Http404
    return test


def _runnable_or_404(actor: Membership, test_id: int) -> TestOfChange:
    test = _test_or_404(actor, test_id)
    if not may("improvement.run_test", actor, test):
        raise Http404
    return test


def _measure_or_404(actor: Membership, measure_id: int) -> Measure:
    measure = selectors.measure_for(actor, measure_id)
    if measure is None:
        raise Http404
    measure.test.people_ids = set(measure.test.people.values_list("pk", flat=True))  # type: ignore[attr-defined]
    if not may("improvement.run_test", actor, measure.test):
        raise Http404
    return measure


def _observation_or_404(actor: Membership, observation_id: int) -> Observation:
    observation = selectors.observation_for(actor, observation_id)
    if observation is None:
        raise Http404
    test = observation.measure.test
    test.people_ids = set(test.people.values_list("pk", flat=True))  # type: ignore[attr-defined]
    if not may("improvement.run_test", actor, test):
        raise Http404
    return observation


def _test_url(request: HttpRequest, test: TestOfChange, anchor: str = "") -> str:
    url = reverse("improvement:test", kwargs={"slug": partnership_slug(request), "test_id": test.pk})
    return f"{url}#{anchor}" if anchor else url


def _data(request: HttpRequest) -> Any:
    """The posted data for a bound form, or None for an unbound one (an empty POST is still a POST)."""
    return request.POST if request.method == "POST" else None


def _int(raw: str) -> int | None:
    return int(raw) if raw.isdecimal() and len(raw) < 10 else None


# --- The board ----------------------------------------------------------------------------------------


@partnership_view("improvement.view")
def board(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    choices = selectors.board_filter_choices(actor)
    owner_ids = {str(k) for k, _v in choices["owners"]}
    organisation_ids = {str(k) for k, _v in choices["organisations"]}
    measure_names = {k for k, _v in choices["measures"]}
    owner = request.GET.get("owner", "")
    organisation = request.GET.get("organisation", "")
    measure = request.GET.get("measure", "")
    filters = {
        "owner": owner if owner in owner_ids else "",
        "organisation": organisation if organisation in organisation_ids else "",
        "measure": measure if measure in measure_names else "",
    }
    columns = selectors.board(
        actor,
        owner_id=_int(filters["owner"]),
        organisation_id=_int(filters["organisation"]),
        measure=filters["measure"],
    )
    stages = [(stage, TestOfChange.Stage(stage).label, columns[stage]) for stage in selectors.STAGES]
    return render(
        request,
        "improvement/board.html",
        {
            "nav_section": NAV,
            "stages": stages,
            "filter_form": BoardFilterForm(initial=filters, choices=choices),
            "filtered": any(filters.values()),
            "total": sum(len(tests) for _s, _l, tests in stages),
            "may_add": may("improvement.add_test", actor),
            "may_settings": may("improvement.settings", actor),
        },
    )


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
                return redirect(_test_url(request, test))
    else:
        initial: dict[str, Any] = {}
        wanted = _int(request.GET.get("idea", ""))
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
    test = _runnable_or_404(actor, test_id)
    if test.stage == TestOfChange.Stage.ACT:
        messages.error(request, _("This test has been decided; its plan is closed."))
        return redirect(_test_url(request, test, "plan"))
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
            return redirect(_test_url(request, test, "plan"))
    return render(request, "improvement/test_form.html", {"nav_section": NAV, "form": form, "test": test})


# --- A test's page ------------------------------------------------------------------------------------


@partnership_view("improvement.view")
def test_page(request: HttpRequest, test_id: int) -> HttpResponse:
    # Imported here, not at the top: it brings numpy, which every process would otherwise load at start.
    from coproduce.improvement import charts

    actor = acting_membership(request)
    test = _test_or_404(actor, test_id)
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
                story["measures"], story["series"], ids=story["observation_ids"], edit_address=edit_address
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
    test = _runnable_or_404(actor, test_id)
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
    return redirect(_test_url(request, test))


def _simple_form_page(
    request: HttpRequest,
    *,
    form: Any,
    template: str,
    context: dict[str, Any],
    save: Any,
    success: str,
    next_url: Any,
) -> HttpResponse:
    """Validate, call ``save(cleaned_data)``, and on success go to ``next_url(result)`` with a message."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, success)
            return redirect(next_url(result))
    return render(request, template, {"nav_section": NAV, "form": form, **context})


@partnership_view("improvement.take_part")
@require_http_methods(["GET", "POST"])
def study(request: HttpRequest, test_id: int) -> HttpResponse:
    actor = acting_membership(request)
    test = _runnable_or_404(actor, test_id)
    form = StudyForm(_data(request), initial={"notes": test.study_notes})
    return _simple_form_page(
        request,
        form=form,
        template="improvement/study.html",
        context={"test": test},
        save=lambda data: services.study_record(actor=actor, test=test, notes=data["notes"]),
        success=_("Your study notes are saved."),
        next_url=lambda t: _test_url(request, t, "study"),
    )


@partnership_view("improvement.take_part")
@require_http_methods(["GET", "POST"])
def measure_new(request: HttpRequest, test_id: int) -> HttpResponse:
    actor = acting_membership(request)
    test = _runnable_or_404(actor, test_id)
    form = MeasureForm(_data(request))
    return _simple_form_page(
        request,
        form=form,
        template="improvement/measure_form.html",
        context={"test": test},
        save=lambda data: services.measure_create(actor=actor, test=test, **data),
        success=_("The measure is added. Record its observations below."),
        next_url=lambda m: _test_url(request, test, f"measure-{m.pk}"),
    )


@partnership_view("improvement.take_part")
@require_http_methods(["GET", "POST"])
def observation_new(request: HttpRequest, measure_id: int) -> HttpResponse:
    actor = acting_membership(request)
    measure = _measure_or_404(actor, measure_id)
    form = ObservationForm(_data(request))
    return _simple_form_page(
        request,
        form=form,
        template="improvement/observation_form.html",
        context={"test": measure.test, "measure": measure},
        save=lambda data: services.observation_record(actor=actor, measure=measure, **data),
        success=_("The observation is saved."),
        next_url=lambda o: _test_url(request, measure.test, f"measure-{measure.pk}"),
    )


def _plain_value(value: Any) -> str:
    """A stored value as people type it: 12.5000 as 12.5, 1200.0000 as 1200."""
    return f"{value.normalize():f}"


@partnership_view("improvement.take_part")
@require_http_methods(["GET", "POST"])
def observation_edit(request: HttpRequest, observation_id: int) -> HttpResponse:
    actor = acting_membership(request)
    observation = _observation_or_404(actor, observation_id)
    measure = observation.measure
    initial = {
        "observed_on": observation.observed_on,
        "value": _plain_value(observation.value),
        "note": observation.note,
    }
    form = ObservationForm(_data(request), initial=initial)
    return _simple_form_page(
        request,
        form=form,
        template="improvement/observation_form.html",
        context={"test": measure.test, "measure": measure, "observation": observation},
        save=lambda data: services.observation_update(actor=actor, observation=observation, **data),
        success=_("The observation is changed."),
        next_url=lambda o: _test_url(request, measure.test, f"measure-{measure.pk}"),
    )


@partnership_view("improvement.take_part")
@require_http_methods(["GET", "POST"])
def observation_delete(request: HttpRequest, observation_id: int) -> HttpResponse:
    """Asks first (a page, no script); the POST deletes."""
    actor = acting_membership(request)
    observation = _observation_or_404(actor, observation_id)
    measure = observation.measure
    if request.method == "POST":
        try:
            services.observation_delete(actor=actor, observation=observation)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The observation is deleted."))
        return redirect(_test_url(request, measure.test, f"measure-{measure.pk}"))
    return render(
        request,
        "improvement/observation_delete.html",
        {
            "nav_section": NAV,
            "test": measure.test,
            "measure": measure,
            "observation": observation,
            "value": _plain_value(observation.value),
        },
    )


@partnership_view("improvement.take_part")
@require_http_methods(["GET", "POST"])
def observation_import(request: HttpRequest, measure_id: int) -> HttpResponse:
    actor = acting_membership(request)
    measure = _measure_or_404(actor, measure_id)
    form = ImportForm(_data(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > services.CSV_MAX_BYTES:
                raise ServiceError(_("The file is too large: keep it under 500 KB."), field="file")
            count = services.observations_import(actor=actor, measure=measure, content=upload.read())
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, _("%(n)d observations imported.") % {"n": count})
            return redirect(_test_url(request, measure.test, f"measure-{measure.pk}"))
    return render(
        request,
        "improvement/import_form.html",
        {"nav_section": NAV, "form": form, "test": measure.test, "measure": measure},
    )


@partnership_view("improvement.check")
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, test_id: int) -> HttpResponse:
    actor = acting_membership(request)
    test = _test_or_404(actor, test_id)
    form = CheckForm(_data(request))
    return _simple_form_page(
        request,
        form=form,
        template="improvement/check.html",
        context={"test": test},
        save=lambda data: services.check_record(actor=actor, test=test, **data),
        success=_("Thank you. Your answer helps decide whether to keep this."),
        next_url=lambda c: _test_url(request, test),
    )


@partnership_view("improvement.take_part")
@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, test_id: int) -> HttpResponse:
    actor = acting_membership(request)
    test = _runnable_or_404(actor, test_id)
    form = DecisionForm(_data(request))
    needs_member = services.settings_for(actor.partnership_id).decisions_need_member
    return _simple_form_page(
        request,
        form=form,
        template="improvement/decide.html",
        context={"test": test, "needs_member": needs_member and not actor.is_member},
        save=lambda data: services.decision_record(actor=actor, test=test, **data),
        success=_("The decision is recorded."),
        next_url=lambda d: _test_url(request, test, "decision"),
    )


@partnership_view("improvement.cosign")
@require_POST
def cosign(request: HttpRequest, test_id: int) -> HttpResponse:
    actor = acting_membership(request)
    test = _test_or_404(actor, test_id)
    try:
        services.decision_cosign(actor=actor, test=test)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You co-signed the decision. It now takes effect."))
    return redirect(_test_url(request, test, "decision"))


# --- The stop-doing register --------------------------------------------------------------------------


@partnership_view("improvement.view")
def register(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    query = " ".join(request.GET.get("q", "").split())[:100]
    entries = selectors.register(actor, query=query)
    for entry in entries["proposed"]:
        entry.may_agree = services.may_agree(actor, entry)  # type: ignore[attr-defined]
    return render(
        request,
        "improvement/register.html",
        {
            "nav_section": NAV,
            **entries,
            "query": query,
            "search_form": SearchForm(initial={"q": query}),
            "may_add": may("improvement.add_stopped", actor),
            "rule": services.settings_for(actor.partnership_id).get_stop_rule_display(),
        },
    )


@partnership_view("improvement.add_stopped")
@require_http_methods(["GET", "POST"])
def stopped_new(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    form = StoppedForm(_data(request))
    agree_first = services.settings_for(actor.partnership_id).stop_rule == "agree"

    def next_url(entry: StoppedPractice) -> str:
        return reverse("improvement:stopped", kwargs={"slug": partnership_slug(request), "entry_id": entry.pk})

    return _simple_form_page(
        request,
        form=form,
        template="improvement/stopped_form.html",
        context={"agree_first": agree_first},
        save=lambda data: services.stopped_create(actor=actor, **data),
        success=(
            _("Entered. It is listed as stopped once someone from the other side agrees.")
            if agree_first
            else _("Entered in the stop-doing register.")
        ),
        next_url=next_url,
    )


@partnership_view("improvement.view")
def stopped(request: HttpRequest, entry_id: int) -> HttpResponse:
    actor = acting_membership(request)
    entry = selectors.stopped_for(actor, entry_id)
    if entry is None:
        raise Http404
    return render(
        request,
        "improvement/stopped.html",
        {"nav_section": NAV, "entry": entry, "may_agree": services.may_agree(actor, entry)},
    )


@partnership_view("improvement.agree_stopped")
@require_POST
def stopped_agree(request: HttpRequest, entry_id: int) -> HttpResponse:
    actor = acting_membership(request)
    entry = selectors.stopped_for(actor, entry_id)
    if entry is None:
        raise Http404
    try:
        services.stopped_agree(actor=actor, entry=entry)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You agreed. It is now listed as stopped."))
    return redirect(reverse("improvement:stopped", kwargs={"slug": partnership_slug(request), "entry_id": entry.pk}))


@partnership_view("improvement.settings")
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    current = services.settings_for(actor.partnership_id)
    form = SettingsForm(
        request.POST or None,
        initial={"decisions_need_member": current.decisions_need_member, "stop_rule": current.stop_rule},
    )
    return _simple_form_page(
        request,
        form=form,
        template="improvement/settings.html",
        context={},
        save=lambda data: services.settings_update(actor=actor, **data),
        success=_("The settings are saved."),
        next_url=lambda s: reverse("improvement:board", kwargs={"slug": partnership_slug(request)}),
    )
