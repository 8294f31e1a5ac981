"""Money for barriers: a plan's requests and the form to ask (member and keyworker), one request with the
step each person may take, the coordinators' queue and what the payments achieved."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.core.exceptions import ServiceError
from coproduce.fund import api as fund
from coproduce.partnerships.access import acting_membership, partnership_view
from coproduce.support import selectors, services
from coproduce.support.forms import BarrierAskForm, BarrierPaidForm, BarrierRefuseForm
from coproduce.support.models import Action, BarrierRequest, Part
from coproduce.support.services.barriers import approver_role
from coproduce.support.views._common import page_context, record_read

Status = BarrierRequest.Status


class _InvalidFormError(Exception):
    """A step's form did not pass its own checks; its errors are shown next to its fields."""


def _duplicate_warning() -> str:
    return _(
        "The same kind of cost was asked for in this plan in the last 30 days. Check this is not the same thing twice."
    )


def _to_request(request: HttpRequest, barrier: BarrierRequest) -> HttpResponse:
    return redirect("support:barrier", slug=acting_membership(request).partnership.slug, request_id=barrier.pk)


@partnership_view("support.take_part")
@require_http_methods(["GET", "POST"])
def plan_money(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The plan's "Money for barriers": its requests, the yearly limit used and left, and the form to ask."""
    actor = acting_membership(request)
    plan, access = selectors.plan_for(actor, plan_id, editing=True)
    pot = fund.flexible_pot(plan.partnership_id)
    actions = Action.objects.filter(plan=plan, done_at__isnull=True).order_by("due", "id")
    form = (
        BarrierAskForm(
            request.POST or None,
            actions=actions,
            goals=selectors.goals_of(plan),
            categories=pot.categories,
            initial={"action": request.GET.get("action", "")},
        )
        if pot is not None
        else None
    )
    if request.method == "POST" and form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            barrier = services.barrier_ask(
                actor=actor,
                plan=plan,
                action=data["action"],
                goal=data["goal"],
                category=data["category"],
                what_for=data["what_for"],
                amount_pence=data["amount"],
                supplier=data["supplier"],
            )
        except ServiceError as error:
            if error.field == "amount":
                form.add_error("amount", error.message)
            else:
                error.add_to(form)
        else:
            if selectors.is_duplicate(barrier):
                messages.warning(request, _duplicate_warning())
            if barrier.status == Status.ASKED:
                messages.success(request, _("Asked. The member sees it in her plan and agrees to it there."))
            else:
                messages.success(request, _("Asked. You will see here when it is decided."))
            return _to_request(request, barrier)
    record_read(request, plan, access, "money", [Part.ACTIONS])
    return render(
        request,
        "support/money.html",
        page_context(
            plan=plan,
            access=access,
            pot=pot,
            form=form,
            has_actions=actions.exists(),
            advice=selectors.services_visible_to(actor, need="money")[:3],
            **selectors.plan_money(plan, pot),
        ),
    )


def _step_forms(request: HttpRequest, barrier: BarrierRequest, seen: selectors.Seen) -> dict[str, Any]:
    actor = acting_membership(request)
    role = approver_role(actor, barrier) if barrier.status == Status.AGREED else None
    may_pay = barrier.status == Status.APPROVED and (actor.is_coordinator or seen.is_keyworker)
    already = barrier.approvals.filter(approver=actor.user).exists() if role else False
    return {
        "may_agree": seen.is_owner and barrier.status == Status.ASKED,
        "may_decide": role is not None and not already,
        "approved_already": already,
        "refuse_form": BarrierRefuseForm() if role is not None else None,
        "paid_form": BarrierPaidForm(methods=fund.PAYMENT_METHODS) if may_pay else None,
        "may_cancel": (seen.is_owner or seen.is_keyworker)
        and barrier.status in (Status.ASKED, Status.AGREED, Status.APPROVED),
        "over_my_limit": barrier.status == Status.AGREED and role is None and seen.is_keyworker,
    }


@partnership_view("support.take_part")
@require_http_methods(["GET", "POST"])
def barrier(request: HttpRequest, request_id: int) -> HttpResponse:
    """One request: the member, her keyworker and coordinators each see the steps they may take. A coordinator
    who is not her keyworker sees only what a decision needs, and the read is recorded like a plan read."""
    actor = acting_membership(request)
    found, seen = selectors.barrier_for(actor, request_id)
    steps = _step_forms(request, found, seen)
    if request.method == "POST":
        do = request.POST.get("do", "")
        try:
            if do == "agree":
                services.barrier_agree(actor=actor, asked=found)
                messages.success(request, _("Agreed. It now waits for approval."))
            elif do == "approve":
                done = services.barrier_approve(actor=actor, asked=found)
                if done.status == Status.APPROVED:
                    messages.success(request, _("Approved. The money is held for it until it is paid."))
                else:
                    messages.success(request, _("Your approval is recorded. A second coordinator needs to approve it."))
            elif do == "refuse":
                form = BarrierRefuseForm(request.POST)
                steps["refuse_form"] = form
                if not form.is_valid():
                    raise _InvalidFormError()
                services.barrier_refuse(actor=actor, asked=found, reason=form.cleaned_data["reason"])
                messages.success(request, _("Refused. The member reads your reason."))
            elif do == "paid":
                paid_form = BarrierPaidForm(request.POST, methods=fund.PAYMENT_METHODS)
                steps["paid_form"] = paid_form
                if not paid_form.is_valid():
                    raise _InvalidFormError()
                data = paid_form.cleaned_data
                services.barrier_mark_paid(
                    actor=actor,
                    asked=found,
                    method=data["method"],
                    paid_on=data["paid_on"],
                    reference=data["reference"],
                )
                messages.success(request, _("Marked paid. It is in the fund's ledger."))
            elif do == "cancel":
                services.barrier_cancel(actor=actor, asked=found)
                messages.success(request, _("Cancelled."))
            else:
                raise ServiceError(_("Choose what to do."))
        except ServiceError as error:
            target = steps.get("refuse_form") if do == "refuse" else steps.get("paid_form") if do == "paid" else None
            if target is not None and error.field in target.fields:
                target.add_error(error.field, error.message)
            else:
                messages.error(request, error.message)
            status = 400
        except _InvalidFormError:
            status = 400
        else:
            return _to_request(request, found)
    else:
        status = 200
    if seen.is_coordinator or seen.is_keyworker:
        record_read(request, found.plan, selectors.PlanAccess(frozenset({Part.ACTIONS})), "money-request")
    pot = fund.flexible_pot(found.partnership_id)
    found.category_name = selectors.category_names(pot).get(found.category, found.category)  # type: ignore[attr-defined]
    response = render(
        request,
        "support/barrier.html",
        page_context(
            barrier=found,
            seen=seen,
            pot=pot,
            duplicate=selectors.is_duplicate(found) and not seen.is_owner,
            approvals=list(found.approvals.all()),
            methods=dict(fund.PAYMENT_METHODS),
            keyworker_name=selectors.keyworker_name(found.plan_id) if seen.is_coordinator else "",
            **steps,
        ),
    )
    response.status_code = status
    return response


@partnership_view("support.barrier_decide")
def barrier_queue(request: HttpRequest) -> HttpResponse:
    """Requests waiting for a coordinator, how long each has waited, and the median wait this month."""
    return render(
        request, "support/money_waiting.html", page_context(**selectors.coordinator_queue(acting_membership(request)))
    )


@partnership_view("support.barrier_decide")
def barrier_outcomes(request: HttpRequest) -> HttpResponse:
    """What the payments achieved: by kind of cost, the share of linked goals met; no group under five."""
    context = page_context(**selectors.outcomes(acting_membership(request)))
    return render(request, "support/money_achieved.html", context)
