"""The support pages. Each view resolves the plan (or goal, action, check-in, referral) through the one
access selector, answers 404 for anything out of reach, calls one service for a write, and renders.
Every page that shows plan contents to someone other than its member records that read."""

from __future__ import annotations

import json
from typing import Any

import rules
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coproduce.core.exceptions import ServiceError
from coproduce.partnerships.access import acting_membership, partnership_view
from coproduce.partnerships.models import Membership
from coproduce.support import openreferral, selectors, services
from coproduce.support.forms import (
    AboutForm,
    ActionForm,
    CheckInAgreeForm,
    CheckInForm,
    GoalForm,
    LawfulBasisForm,
    OutcomeAreaForm,
    PeriodForm,
    PlanStartForm,
    ReferralForm,
    ReferralMessageForm,
    ReferralMoveForm,
    ServiceForm,
    SharingForm,
    TeamForm,
)
from coproduce.support.models import (
    ErasureRequest,
    Goal,
    LawfulBasis,
    NeedTag,
    OutcomeArea,
    Part,
    Service,
    SupportPlan,
    TeamMember,
)
from coproduce.support.selectors import PlanAccess

NAV = "support"


def _plan_or_404(actor: Membership, plan_id: int, part: str | None = None) -> tuple[SupportPlan, PlanAccess]:
    found = selectors.plan_for(actor, plan_id)
    if found is None or (part is not None and part not in found[1].parts):
        raise Http404
    return found


def _editable_or_404(actor: Membership, plan_id: int, part: str) -> tuple[SupportPlan, PlanAccess]:
    plan, access = _plan_or_404(actor, plan_id, part)
    if not access.may_edit:
        raise Http404
    return plan, access


def _plan_url(request: HttpRequest, plan: SupportPlan, anchor: str = "") -> str:
    url = reverse("support:plan", kwargs={"slug": acting_membership(request).partnership.slug, "plan_id": plan.pk})
    return f"{url}#{anchor}" if anchor else url


def _read(request: HttpRequest, plan: SupportPlan, access: PlanAccess, page: str, parts: Any = None) -> None:
    if not access.is_owner:
        services.plan_read_record(
            reader=acting_membership(request),
            plan=plan,
            parts=parts if parts is not None else access.parts,
            page=page,
        )


def _ctx(**kwargs: Any) -> dict[str, Any]:
    return {"nav_section": NAV, "parts": dict(Part.choices), **kwargs}


# --- Home: my plan, or my caseload ----------------------------------------------------------------


@partnership_view("support.view")
def home(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    context = _ctx(notifications=selectors.notifications_for(actor))
    if actor.is_member:
        context["own_plan"] = selectors.own_plan(actor)
    if actor.is_staff_role:
        context["caseload"] = selectors.caseload(actor)
        # Addresses built once for the whole list rather than reversed row by row.
        slug = actor.partnership.slug
        context["plan_prefix"] = reverse("support:plan", kwargs={"slug": slug, "plan_id": 1}).removesuffix("1/")
        context["referral_prefix"] = reverse("support:referral", kwargs={"slug": slug, "referral_id": 1}).removesuffix(
            "1/"
        )
    context["may_see_figures"] = rules.test_rule("support.aggregates", actor)
    context["erasures_waiting"] = actor.is_coordinator and selectors.open_erasure_requests(actor).exists()
    return render(request, "support/home.html", context)


@partnership_view("support.start_plan")
@require_http_methods(["GET", "POST"])
def plan_start(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    own = actor.is_member and (not actor.is_worker or (request.method == "POST" and "member" not in request.POST))
    if own:
        if request.method == "POST":
            try:
                plan = services.plan_start(actor=actor)
            except ServiceError as error:
                messages.error(request, error.message)
                return redirect("support:home", slug=actor.partnership.slug)
            messages.success(request, _("Your plan is started. Write it in your own words; you decide who sees it."))
            return redirect(_plan_url(request, plan))
        return render(request, "support/plan_start.html", _ctx(form=None))
    members = (
        Membership.objects.filter(partnership_id=actor.partnership_id, is_member=True)
        .exclude(pk=actor.pk)
        .exclude(support_plans__erased_at__isnull=True, support_plans__isnull=False)
        .select_related("user")
        .order_by("user__display_name")
    )
    form = PlanStartForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_start(actor=actor, member=form.cleaned_data["member"])
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, _("The plan is started. The member will be asked to accept it."))
            return redirect(_plan_url(request, plan))
    return render(request, "support/plan_start.html", _ctx(form=form, own_possible=actor.is_member))


# --- The plan ---------------------------------------------------------------------------------


@partnership_view("support.take_part")
def plan(request: HttpRequest, plan_id: int) -> HttpResponse:
    actor = acting_membership(request)
    plan, access = _plan_or_404(actor, plan_id)
    page = selectors.plan_page(plan, access)
    _read(request, plan, access, "plan")
    return render(request, "support/plan.html", _ctx(**page))


@partnership_view("support.own_plan")
@require_POST
def plan_accept(request: HttpRequest, plan_id: int) -> HttpResponse:
    actor = acting_membership(request)
    plan, access = _plan_or_404(actor, plan_id)
    if not access.is_owner:
        raise Http404
    services.plan_accept(actor=actor, plan=plan)
    messages.success(request, _("You have accepted your plan. It is yours: you can change it and decide who sees it."))
    return redirect(_plan_url(request, plan))


def _refresh_version(form: Any, version: int) -> None:
    """After a stale edit: keep what the person typed, but let their next save build on the newer version."""
    data = form.data.copy()
    data["version"] = str(version)
    form.data = data


def _stale(error: ServiceError) -> bool:
    return error.code == "stale"


@partnership_view("support.take_part")
@require_http_methods(["GET", "POST"])
def about_edit(request: HttpRequest, plan_id: int) -> HttpResponse:
    actor = acting_membership(request)
    plan, access = _editable_or_404(actor, plan_id, Part.ABOUT)
    initial = {name: getattr(plan, name) for name in services.ABOUT_FIELDS} | {"version": plan.version}
    form = AboutForm(request.POST or None, initial=initial, is_staff=not access.is_owner)
    newer = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.about_update(
                actor=actor,
                plan=plan,
                version=data["version"],
                with_member=data.get("with_member", False),
                **{k: data[k] for k in services.ABOUT_FIELDS},
            )
        except ServiceError as error:
            error.add_to(form)
            if _stale(error):
                newer = SupportPlan.objects.get(pk=plan.pk)
                _refresh_version(form, newer.version)
        else:
            messages.success(request, _("About me is saved."))
            return redirect(_plan_url(request, plan, "about"))
    _read(request, plan, access, "about-edit", [Part.ABOUT])
    rows = [(form.fields[n].label, getattr(newer, n)) for n in services.ABOUT_FIELDS] if newer else None
    return render(request, "support/about_form.html", _ctx(form=form, plan=plan, newer_rows=rows, access=access))


@partnership_view("support.take_part")
@require_http_methods(["GET", "POST"])
def goal_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    actor = acting_membership(request)
    plan, access = _editable_or_404(actor, plan_id, Part.GOALS)
    form = GoalForm(request.POST or None, is_staff=not access.is_owner)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.goal_create(
                actor=actor,
                plan=plan,
                text=data["text"],
                why=data["why"],
                target_date=data["target_date"],
                with_member=data.get("with_member", False),
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, _("Goal added."))
            return redirect(_plan_url(request, plan, "goals"))
    return render(request, "support/goal_form.html", _ctx(form=form, plan=plan, goal=None))


@partnership_view("support.take_part")
@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, goal_id: int) -> HttpResponse:
    actor = acting_membership(request)
    found = selectors.goal_for(actor, goal_id)
    if found is None or not found[1].may_edit:
        raise Http404
    goal, access = found
    initial = {
        "text": goal.text,
        "why": goal.why,
        "target_date": goal.target_date,
        "achieved": goal.achieved_at is not None,
        "version": goal.version,
    }
    form = GoalForm(request.POST or None, initial=initial, editing=True, is_staff=not access.is_owner)
    newer = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.goal_update(
                actor=actor,
                goal=goal,
                version=data["version"],
                text=data["text"],
                why=data["why"],
                target_date=data["target_date"],
                achieved=data["achieved"],
                with_member=data.get("with_member", False),
            )
        except ServiceError as error:
            error.add_to(form)
            if _stale(error):
                newer = Goal.objects.get(pk=goal.pk)
                _refresh_version(form, newer.version)
        else:
            messages.success(request, _("Goal saved."))
            return redirect(_plan_url(request, goal.plan, "goals"))
    _read(request, goal.plan, access, "goal-edit", [Part.GOALS])
    rows = (
        [(_("My goal"), newer.text), (_("Why it matters to me"), newer.why), (_("When by"), newer.target_date or "")]
        if newer
        else None
    )
    return render(request, "support/goal_form.html", _ctx(form=form, plan=goal.plan, goal=goal, newer_rows=rows))


def _action_form(request: HttpRequest, plan: SupportPlan, access: PlanAccess, **kwargs: Any) -> ActionForm:
    return ActionForm(
        request.POST or None,
        organisations=selectors.organisations_of(acting_membership(request)),
        goals=Goal.objects.filter(plan=plan),
        is_staff=not access.is_owner,
        **kwargs,
    )


@partnership_view("support.take_part")
@require_http_methods(["GET", "POST"])
def action_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    actor = acting_membership(request)
    plan, access = _editable_or_404(actor, plan_id, Part.ACTIONS)
    form = _action_form(request, plan, access)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.action_create(
                actor=actor,
                plan=plan,
                text=data["text"],
                owner=data["owner"],
                owner_organisation=data["owner_organisation"],
                due=data["due"],
                goal=data["goal"],
                with_member=data.get("with_member", False),
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, _("Action added."))
            return redirect(_plan_url(request, plan, "actions"))
    return render(request, "support/action_form.html", _ctx(form=form, plan=plan, action=None))


@partnership_view("support.take_part")
@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, action_id: int) -> HttpResponse:
    actor = acting_membership(request)
    found = selectors.action_for(actor, action_id)
    if found is None or not found[1].may_edit:
        raise Http404
    action, access = found
    initial = {
        "text": action.text,
        "owner": action.owner,
        "owner_organisation": action.owner_organisation_id,
        "goal": action.goal_id,
        "due": action.due,
        "done": action.done_at is not None,
        "version": action.version,
    }
    form = _action_form(request, action.plan, access, initial=initial, editing=True)
    newer = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.action_update(
                actor=actor,
                action=action,
                version=data["version"],
                text=data["text"],
                owner=data["owner"],
                owner_organisation=data["owner_organisation"],
                due=data["due"],
                goal=data["goal"],
                done=data["done"],
                with_member=data.get("with_member", False),
            )
        except ServiceError as error:
            error.add_to(form)
            if _stale(error):
                newer = type(action).objects.get(pk=action.pk)
                _refresh_version(form, newer.version)
        else:
            messages.success(request, _("Action saved."))
            return redirect(_plan_url(request, action.plan, "actions"))
    _read(request, action.plan, access, "action-edit", [Part.ACTIONS])
    rows = (
        [
            (_("What will be done"), newer.text),
            (_("Who will do it"), newer.get_owner_display()),
            (_("By when"), newer.due or ""),
            (_("Done"), _("Yes") if newer.done_at else _("No")),
        ]
        if newer
        else None
    )
    return render(
        request, "support/action_form.html", _ctx(form=form, plan=action.plan, action=action, newer_rows=rows)
    )


@partnership_view("support.take_part")
@require_http_methods(["GET", "POST"])
def team(request: HttpRequest, plan_id: int) -> HttpResponse:
    actor = acting_membership(request)
    plan, access = _plan_or_404(actor, plan_id, Part.TEAM)
    people = Membership.objects.filter(partnership_id=actor.partnership_id, organisation__isnull=False).filter(
        is_worker=True
    ).select_related("user", "organisation").order_by("user__display_name") | Membership.objects.filter(
        partnership_id=actor.partnership_id, is_partner_lead=True
    ).select_related("user", "organisation")
    form = TeamForm(None, people=people) if access.may_edit else None
    if request.method == "POST":
        if not access.may_edit:
            raise Http404
        todo = request.POST.get("do", "")
        if todo in ("agree", "end"):
            member = (
                TeamMember.objects.filter(plan=plan, pk=request.POST.get("team_member") or 0)
                .select_related("plan")
                .first()
            )
            if member is None:
                raise Http404
            if todo == "agree":
                services.team_agree(actor=actor, team_member=member)
                messages.success(request, _("Agreed: they are now in your team."))
            else:
                services.team_end(actor=actor, team_member=member)
                messages.success(request, _("They are no longer in the team."))
            return redirect("support:team", slug=actor.partnership.slug, plan_id=plan.pk)
        form = TeamForm(request.POST, people=people)
        if form.is_valid():
            try:
                services.team_propose(
                    actor=actor,
                    plan=plan,
                    person=form.cleaned_data["person"],
                    role=form.cleaned_data["role"],
                )
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(
                    request, _("Added.") if access.is_owner else _("Proposed: the member will be asked to agree.")
                )
                return redirect("support:team", slug=actor.partnership.slug, plan_id=plan.pk)
    members = list(
        TeamMember.objects.filter(plan=plan, ended_at__isnull=True).select_related(
            "membership__user", "membership__organisation"
        )
    )
    _read(request, plan, access, "team", [Part.TEAM])
    return render(request, "support/team.html", _ctx(plan=plan, access=access, team=members, form=form))


@partnership_view("support.take_part")
@require_http_methods(["GET", "POST"])
def sharing(request: HttpRequest, plan_id: int) -> HttpResponse:
    actor = acting_membership(request)
    plan, access = _plan_or_404(actor, plan_id)
    if not access.may_edit:
        raise Http404
    organisations = list(selectors.organisations_of(actor))
    shares = selectors.shares_of(plan)
    live: dict[int, list[str]] = {}
    for share in shares:
        if share.withdrawn_at is None:
            live.setdefault(share.organisation_id, []).append(share.part)
    failed: SharingForm | None = None
    if request.method == "POST":
        form = SharingForm(request.POST, is_staff=not access.is_owner)
        if form.is_valid():
            organisation = next((o for o in organisations if o.pk == form.cleaned_data["organisation"]), None)
            if organisation is None:
                raise Http404
            try:
                services.sharing_set(
                    actor=actor,
                    plan=plan,
                    organisation=organisation,
                    parts=form.cleaned_data["parts"],
                    with_member=form.cleaned_data.get("with_member", False),
                )
            except ServiceError as error:
                error.add_to(form)
                failed = form
            else:
                messages.success(
                    request, _("Saved. %(org)s can now see only what you ticked.") % {"org": organisation.name}
                )
                return redirect("support:sharing", slug=actor.partnership.slug, plan_id=plan.pk)
        else:
            failed = form
    rows = []
    for org in organisations:
        if failed is not None and str(failed.data.get("organisation")) == str(org.pk):
            form = failed
        else:
            form = SharingForm(
                initial={"organisation": org.pk, "parts": live.get(org.pk, [])},
                is_staff=not access.is_owner,
                prefix=None,
            )
        rows.append({"organisation": org, "form": form, "live": live.get(org.pk, [])})
    bases = list(LawfulBasis.objects.filter(partnership_id=actor.partnership_id))
    _read(request, plan, access, "sharing", [])
    return render(
        request,
        "support/sharing.html",
        _ctx(plan=plan, access=access, rows=rows, shares=shares, bases=bases, failed=failed),
    )


@partnership_view("support.take_part")
def history(request: HttpRequest, plan_id: int) -> HttpResponse:
    actor = acting_membership(request)
    plan, access = _plan_or_404(actor, plan_id)
    if not access.may_edit:
        raise Http404
    changes = selectors.plan_changes(plan, access)
    _read(request, plan, access, "history")
    return render(request, "support/history.html", _ctx(plan=plan, changes=changes, access=access))


@partnership_view("support.own_plan")
def reads(request: HttpRequest, plan_id: int) -> HttpResponse:
    actor = acting_membership(request)
    plan, access = _plan_or_404(actor, plan_id)
    if not access.sees_log:
        raise Http404
    return render(request, "support/reads.html", _ctx(plan=plan, reads=selectors.plan_reads(plan), access=access))


# --- Check-ins and progress -------------------------------------------------------------------


@partnership_view("support.take_part")
@require_http_methods(["GET", "POST"])
def checkin_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    actor = acting_membership(request)
    plan, access = _editable_or_404(actor, plan_id, Part.CHECKINS)
    areas = selectors.outcome_areas(actor)
    form = CheckInForm(request.POST or None, areas=areas, is_staff=not access.is_owner)
    if request.method == "POST" and form.is_valid():
        try:
            checkin = services.checkin_create(
                actor=actor,
                plan=plan,
                date=form.cleaned_data["date"],
                notes=form.cleaned_data["notes"],
                ratings=form.ratings(),
                with_member=form.cleaned_data.get("with_member", False),
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(
                request,
                _("Check-in saved.") if access.is_owner else _("Check-in saved. The member will be asked to agree it."),
            )
            return redirect("support:checkin", slug=actor.partnership.slug, checkin_id=checkin.pk)
    return render(request, "support/checkin_form.html", _ctx(form=form, plan=plan, access=access))


@partnership_view("support.take_part")
@require_http_methods(["GET", "POST"])
def checkin(request: HttpRequest, checkin_id: int) -> HttpResponse:
    actor = acting_membership(request)
    found = selectors.checkin_for(actor, checkin_id)
    if found is None:
        raise Http404
    checkin, access = found
    ratings = list(checkin.ratings.all())
    form = (
        CheckInAgreeForm(request.POST or None, ratings=ratings)
        if access.is_owner and checkin.agreed_at is None
        else None
    )
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                services.checkin_agree(actor=actor, checkin=checkin, agreed=form.agreed())
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(request, _("You have agreed this check-in."))
                return redirect("support:checkin", slug=actor.partnership.slug, checkin_id=checkin.pk)
    _read(request, checkin.plan, access, "check-in", [Part.CHECKINS])
    return render(
        request,
        "support/checkin.html",
        _ctx(checkin=checkin, plan=checkin.plan, ratings=ratings, form=form, access=access),
    )


CHART_W, CHART_H, PAD_L, PAD_B, PAD_T = 320, 160, 28, 22, 10


def _chart(entry: dict[str, Any]) -> dict[str, Any]:
    """Points of a small line chart (SVG presentation attributes only: the CSP forbids inline style)."""
    points = entry["points"]
    first, last = points[0][0], points[-1][0]
    span = max((last - first).days, 1)
    usable_w, usable_h = CHART_W - PAD_L - 8, CHART_H - PAD_B - PAD_T
    coords = []
    for day, value in points:
        x = PAD_L + (usable_w * (day - first).days / span if len(points) > 1 else usable_w / 2)
        y = PAD_T + usable_h * (10 - value) / 9
        coords.append({"x": round(x, 1), "y": round(y, 1), "date": day, "value": value})
    ticks = [{"value": v, "y": round(PAD_T + usable_h * (10 - v) / 9, 1)} for v in (1, 4, 7, 10)]
    return {
        "coords": coords,
        "polyline": " ".join(f"{c['x']},{c['y']}" for c in coords),
        "ticks": ticks,
        "width": CHART_W,
        "height": CHART_H,
        "axis_x": PAD_L,
        "axis_y": CHART_H - PAD_B,
        "right": CHART_W - 8,
        "first": first,
        "last": last,
    }


@partnership_view("support.take_part")
def progress(request: HttpRequest, plan_id: int) -> HttpResponse:
    actor = acting_membership(request)
    plan, access = _plan_or_404(actor, plan_id, Part.CHECKINS)
    period = PeriodForm(request.GET or None)
    start = end = None
    if request.GET and period.is_valid():
        start, end = period.cleaned_data["start"], period.cleaned_data["end"]
    entries = selectors.distance_travelled(plan, start=start, end=end) if not period.errors else []
    for entry in entries:
        entry["chart"] = _chart(entry)
    _read(request, plan, access, "progress", [Part.CHECKINS])
    return render(request, "support/progress.html", _ctx(plan=plan, entries=entries, form=period, access=access))


# --- Referrals and the directory --------------------------------------------------------------


@partnership_view("support.take_part")
@require_http_methods(["GET", "POST"])
def referral_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    actor = acting_membership(request)
    plan, access = _plan_or_404(actor, plan_id)
    if not access.may_edit:
        raise Http404
    services_qs = selectors.services_visible_to(actor)
    initial = {}
    wanted = request.GET.get("service", "")
    if wanted.isdecimal():
        initial["service"] = int(wanted)
    form = ReferralForm(request.POST or None, services=services_qs, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = services.referral_create(
                actor=actor,
                plan=plan,
                service=data["service"],
                parts=data["parts"],
                note=data["note"],
                member_agrees=data["member_agrees"],
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, _("Referral sent. You will see here when the service replies."))
            return redirect("support:referral", slug=actor.partnership.slug, referral_id=referral.pk)
    return render(request, "support/referral_form.html", _ctx(form=form, plan=plan))


@partnership_view("support.take_part")
@require_http_methods(["GET", "POST"])
def referral(request: HttpRequest, referral_id: int) -> HttpResponse:
    actor = acting_membership(request)
    referral = selectors.referral_for(actor, referral_id)
    if referral is None:
        raise Http404
    access = selectors.plan_access(actor, referral.plan)
    receiver = actor.is_staff_role and actor.organisation_id == referral.organisation_id
    steps = [s for s in services.TRANSITIONS[referral.status] if receiver or (s == "closed" and access.may_edit)]
    move_form = ReferralMoveForm(None, steps=steps) if steps else None
    message_form = ReferralMessageForm() if not referral.is_final else None
    if request.method == "POST":
        try:
            if request.POST.get("do") == "message":
                message_form = ReferralMessageForm(request.POST)
                if message_form.is_valid():
                    services.referral_message(
                        actor=actor, referral=referral, message=message_form.cleaned_data["message"]
                    )
                    messages.success(request, _("Message sent."))
                    return redirect("support:referral", slug=actor.partnership.slug, referral_id=referral.pk)
            else:
                move_form = ReferralMoveForm(request.POST, steps=steps or [referral.status])
                if move_form.is_valid() or referral.is_final:
                    services.referral_move(
                        actor=actor,
                        referral=referral,
                        status=request.POST.get("status", ""),
                        message=request.POST.get("message", ""),
                        reason=request.POST.get("reason", ""),
                    )
                    messages.success(request, _("The referral is updated."))
                    return redirect("support:referral", slug=actor.partnership.slug, referral_id=referral.pk)
        except ServiceError as error:
            target = message_form if request.POST.get("do") == "message" else move_form
            if target is None:
                target = move_form = ReferralMoveForm(request.POST, steps=[referral.status])
            target.is_valid()
            error.add_to(target)
    shown = sorted(set(referral.shared_parts) & access.parts)
    page = selectors.plan_page(referral.plan, PlanAccess(frozenset(shown))) if shown and not access.may_edit else None
    if page is not None:
        _read(request, referral.plan, access, "referral", shown)
    return render(
        request,
        "support/referral.html",
        _ctx(
            referral=referral,
            updates=selectors.referral_updates(referral),
            move_form=move_form,
            message_form=message_form,
            shown=shown,
            page=page,
            access=access,
            receiver=receiver,
        ),
    )


@partnership_view("support.view")
def directory(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    tags = selectors.need_tags(actor)
    need = request.GET.get("need", "")
    need = need if need in {t.key for t in tags} else ""
    services_list = list(selectors.services_visible_to(actor, need=need))
    return render(
        request,
        "support/directory.html",
        _ctx(services=services_list, tags=tags, need=need, plan=selectors.own_plan(actor)),
    )


@partnership_view("support.view")
def service(request: HttpRequest, service_id: int) -> HttpResponse:
    actor = acting_membership(request)
    found = selectors.service_for(actor, service_id)
    if found is None:
        raise Http404
    may_edit = services.may_manage_service(actor, found.organisation)
    return render(
        request, "support/service.html", _ctx(service=found, plan=selectors.own_plan(actor), may_edit=may_edit)
    )


def _service_form(request: HttpRequest, actor: Membership, **kwargs: Any) -> ServiceForm:
    organisations = selectors.organisations_of(actor)
    if not actor.is_coordinator:
        organisations = organisations.filter(pk=actor.organisation_id or 0)
    return ServiceForm(
        request.POST or None,
        organisations=organisations,
        tags=NeedTag.objects.filter(partnership_id=actor.partnership_id),
        **kwargs,
    )


def _service_save(request: HttpRequest, actor: Membership, form: ServiceForm, service: Any = None) -> Any:
    data = form.cleaned_data
    location = {
        "name": data["location_name"],
        "address": data["location_address"],
        "postcode": data["location_postcode"],
        "opening_times": data["opening_times"],
    }
    fields = {name: data[name] for name in services.SERVICE_FIELDS}
    try:
        return services.service_save(
            actor=actor,
            organisation=data["organisation"],
            service=service,
            needs=data["needs"],
            location=location,
            **fields,
        )
    except ServiceError as error:
        error.add_to(form)
        return None


@partnership_view("support.manage_services")
@require_http_methods(["GET", "POST"])
def service_new(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    form = _service_form(request, actor, initial={"organisation": actor.organisation_id, "is_free": True})
    if request.method == "POST" and form.is_valid():
        saved = _service_save(request, actor, form)
        if saved is not None:
            messages.success(request, _("The service is in the directory."))
            return redirect("support:service", slug=actor.partnership.slug, service_id=saved.pk)
    return render(request, "support/service_form.html", _ctx(form=form, service=None))


@partnership_view("support.manage_services")
@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, service_id: int) -> HttpResponse:
    actor = acting_membership(request)
    found = (
        Service.objects.filter(pk=service_id, partnership_id=actor.partnership_id)
        .select_related("organisation")
        .first()
    )
    if found is None or not services.may_manage_service(actor, found.organisation):
        raise Http404
    location = found.locations.first()
    initial = {name: getattr(found, name) for name in services.SERVICE_FIELDS} | {
        "organisation": found.organisation_id,
        "needs": list(found.needs.all()),
        "location_name": location.name if location else "",
        "location_address": location.address if location else "",
        "location_postcode": location.postcode if location else "",
        "opening_times": location.opening_times if location else "",
    }
    form = _service_form(request, actor, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _service_save(request, actor, form, service=found)
        if saved is not None:
            messages.success(request, _("Saved."))
            return redirect("support:service", slug=actor.partnership.slug, service_id=saved.pk)
    return render(request, "support/service_form.html", _ctx(form=form, service=found))


@partnership_view("support.view")
def directory_export(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    data = openreferral.export_services(selectors.services_visible_to(actor))
    response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="{actor.partnership.slug}-services.json"'
    return response


# --- Data rights ------------------------------------------------------------------------------


@partnership_view("support.own_plan")
def my_data(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    data = selectors.my_data(actor)
    services.data_export_record(actor=actor)
    erasure = ErasureRequest.objects.filter(
        requested_by=actor.user, partnership_id=actor.partnership_id, confirmed_at__isnull=True
    ).exists()
    return render(
        request,
        "support/my_data.html",
        _ctx(data=data, pretty=json.dumps(data, indent=2, ensure_ascii=False), erasure_asked=erasure),
    )


@partnership_view("support.own_plan")
def my_data_json(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    services.data_export_record(actor=actor)
    response = JsonResponse(selectors.my_data(actor), json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = 'attachment; filename="my-support-data.json"'
    return response


@partnership_view("support.own_plan")
@require_http_methods(["GET", "POST"])
def erasure_request(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    plan = selectors.own_plan(actor)
    if plan is None:
        raise Http404
    if request.method == "POST":
        try:
            services.erasure_request(actor=actor, plan=plan)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("You have asked for your plan to be erased. A coordinator will confirm it."))
        return redirect("support:my-data", slug=actor.partnership.slug)
    return render(request, "support/erasure_request.html", _ctx(plan=plan))


@partnership_view("support.confirm_erasure")
@require_http_methods(["GET", "POST"])
def erasures(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    if request.method == "POST":
        wanted = request.POST.get("erasure", "")
        erasure = selectors.open_erasure_requests(actor).filter(pk=int(wanted)).first() if wanted.isdecimal() else None
        if erasure is None:
            raise Http404
        try:
            services.erasure_confirm(actor=actor, erasure=erasure)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The plan is erased. It still counts in the number of plans and referrals."))
        return redirect("support:erasures", slug=actor.partnership.slug)
    return render(request, "support/erasures.html", _ctx(requests=list(selectors.open_erasure_requests(actor))))


# --- Figures and settings ---------------------------------------------------------------------


@partnership_view("support.aggregates")
def figures(request: HttpRequest) -> HttpResponse:
    return render(request, "support/figures.html", _ctx(**selectors.aggregates(acting_membership(request))))


@partnership_view("support.settings")
@require_http_methods(["GET", "POST"])
def settings(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    form = LawfulBasisForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.lawful_basis_set(actor=actor, **form.cleaned_data)
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, _("Lawful basis saved."))
            return redirect("support:settings", slug=actor.partnership.slug)
    bases = list(LawfulBasis.objects.filter(partnership_id=actor.partnership_id))
    areas = list(OutcomeArea.objects.filter(partnership_id=actor.partnership_id))
    return render(request, "support/settings.html", _ctx(form=form, bases=bases, areas=areas))


@partnership_view("support.settings")
@require_http_methods(["GET", "POST"])
def outcome_area_new(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    form = OutcomeAreaForm(request.POST or None, initial={"active": True})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.outcome_area_create(
                actor=actor,
                name=data["name"],
                question=data["question"],
                stages=[data[f"stage_{i}"] for i in range(1, 6)],
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, _("The area is added to the wheel."))
            return redirect("support:settings", slug=actor.partnership.slug)
    return render(request, "support/outcome_area_form.html", _ctx(form=form, area=None))


@partnership_view("support.settings")
@require_http_methods(["GET", "POST"])
def outcome_area_edit(request: HttpRequest, area_id: int) -> HttpResponse:
    actor = acting_membership(request)
    area = OutcomeArea.objects.filter(pk=area_id, partnership_id=actor.partnership_id).first()
    if area is None:
        raise Http404
    stages = (list(area.stages) + [""] * 5)[:5]
    initial = {"name": area.name, "question": area.question, "active": area.active} | {
        f"stage_{i + 1}": stage for i, stage in enumerate(stages)
    }
    form = OutcomeAreaForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.outcome_area_update(
                actor=actor,
                area=area,
                name=data["name"],
                question=data["question"],
                stages=[data[f"stage_{i}"] for i in range(1, 6)],
                active=data["active"],
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, _("The area is saved."))
            return redirect("support:settings", slug=actor.partnership.slug)
    return render(request, "support/outcome_area_form.html", _ctx(form=form, area=area))
