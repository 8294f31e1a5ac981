"""Referrals to services."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.core.exceptions import ServiceError
from coproduce.partnerships.access import acting_membership, partnership_view
from coproduce.support import selectors, services
from coproduce.support.forms import ReferralForm, ReferralMessageForm, ReferralMoveForm
from coproduce.support.selectors import PlanAccess
from coproduce.support.views._common import page_context, record_read


@partnership_view("support.take_part")
@require_http_methods(["GET", "POST"])
def referral_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    actor = acting_membership(request)
    plan, _access = selectors.plan_for(actor, plan_id, editing=True)
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
    return render(request, "support/referral_form.html", page_context(form=form, plan=plan))


@partnership_view("support.take_part")
@require_http_methods(["GET", "POST"])
def referral(request: HttpRequest, referral_id: int) -> HttpResponse:
    actor = acting_membership(request)
    referral = selectors.referral_for(actor, referral_id)
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
        record_read(request, referral.plan, access, "referral", shown)
    return render(
        request,
        "support/referral.html",
        page_context(
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
