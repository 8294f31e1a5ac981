"""A plan's team."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.partnerships.access import acting_membership, partnership_view
from coproduce.support import selectors, services
from coproduce.support.forms import TeamForm
from coproduce.support.models import Part
from coproduce.support.views._common import page_context, record_read


@partnership_view("support.take_part")
@require_http_methods(["GET", "POST"])
def team(request: HttpRequest, plan_id: int) -> HttpResponse:
    actor = acting_membership(request)
    plan, access = selectors.plan_for(actor, plan_id, part=Part.TEAM)
    people = selectors.team_candidates(actor)
    form = TeamForm(None, people=people) if access.may_edit else None
    if request.method == "POST":
        if not access.may_edit:
            raise NotPermitted()
        todo = request.POST.get("do", "")
        if todo in ("agree", "end"):
            member = selectors.team_member_for(plan, request.POST.get("team_member", ""))
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
    members = selectors.team_of(plan)
    record_read(request, plan, access, "team", [Part.TEAM])
    return render(request, "support/team.html", page_context(plan=plan, access=access, team=members, form=form))
