"""The list of decisions, raising one, its page (with the answer form of its method and the discussion), its
versions, changing it and closing it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.decisions import forms, selectors, services
from coproduce.decisions.models import Decision, DecisionVersion, Outcome, Participation
from coproduce.decisions.views._common import NAV, decision_url, posted_data
from coproduce.governance import api as governance_api
from coproduce.partnerships.access import acting_membership, may, partnership_view
from coproduce.partnerships.models import Membership

ANSWER_TEMPLATES = {
    "consent": "consent",
    "yes_no": "yes_no",
    "score": "score",
    "dot": "dot",
    "time_poll": "time_poll",
    "ranked_irv": "ranked",
    "ranked_schulze": "ranked",
    "stv": "ranked",
}
POSITION_LABELS = dict(forms.CONSENT_POSITIONS) | {"yes": gettext_lazy("Yes"), "no": gettext_lazy("No")}


@partnership_view("decisions.view")
def decision_list(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    open_decisions = list(selectors.decisions_visible_to(actor, status="open"))
    closed_decisions = list(selectors.decisions_visible_to(actor, status="closed"))
    answered_ids = {d.pk for d in open_decisions if d.answered}  # type: ignore[attr-defined]
    waiting_ids = {d.pk for d in open_decisions if d.pk not in answered_ids and selectors.can_answer(actor, d)}
    return render(
        request,
        "decisions/list.html",
        {
            "nav_section": NAV,
            "open_decisions": open_decisions,
            "closed_decisions": closed_decisions,
            "answered_ids": answered_ids,
            "waiting_ids": waiting_ids,
            "may_raise": may("decisions.raise", actor),
            "may_import": may("decisions.import", actor),
        },
    )


@partnership_view("decisions.raise")
@require_http_methods(["GET", "POST"])
def decision_new(request: HttpRequest) -> HttpResponse:
    """Two steps that work without JavaScript: the kind of decision (GET), then the proposal, shaped by the
    kind's rule where the partnership agreed one."""
    actor = acting_membership(request)
    kind = request.GET.get("kind", "")
    if kind not in dict(forms.KINDS):
        kind_form = forms.KindForm(request.GET if "kind" in request.GET else None)
        if kind_form.is_bound:
            kind_form.is_valid()
        kinds = [{"value": value, "label": label, "rule": _rule_for(actor, value)} for value, label in forms.KINDS]
        return render(request, "decisions/new_kind.html", {"nav_section": NAV, "form": kind_form, "kinds": kinds})
    rule = _rule_for(actor, kind)
    form = forms.RaiseForm(posted_data(request), rule=rule, initial={"kind": kind})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        settings: dict[str, Any] = {}
        if rule is None:  # with a rule, the service applies the rule's settings
            settings = {name: data[name] for name in forms.RaiseForm.RULE_FIELDS if name != "method"}
            settings["quorum_members_percent"] = settings["quorum_members_percent"] or 0
            settings["quorum_staff_percent"] = settings["quorum_staff_percent"] or 0
        else:
            settings["participants"] = rule.participants
        try:
            decision = services.decision_raise(
                actor=actor,
                kind=kind,
                method=form.chosen_method(),
                title=data["title"],
                background=data["background"],
                options=data["options"],
                closes_at=data["closes_at"],
                anonymous=data["anonymous"],
                seats=data.get("seats"),
                max_score=data.get("max_score"),
                dots=data.get("dots"),
                **settings,
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, _("Your decision is raised. Everyone taking part is told."))
            return redirect(decision_url(request, decision))
    return render(
        request,
        "decisions/new.html",
        {"nav_section": NAV, "form": form, "rule": rule, "kind": kind, "kind_label": dict(forms.KINDS)[kind]},
    )


def _rule_for(actor: Membership, kind: str) -> governance_api.DecisionRuleInfo | None:
    """The partnership's rule for this kind of decision; elections and polls have none."""
    return None if kind in forms.NO_RULE_KINDS else governance_api.decision_rule_for(actor=actor, kind=kind)


def method_words(decision: Decision) -> str:
    words = str(forms.METHOD_LABELS[decision.method])
    if decision.method == "yes_no":
        words += ". " + _("It passes with more than %(n)d %% of those who say yes or no.") % {
            "n": decision.threshold_percent
        }
    elif decision.method == "stv":
        words += ". " + _("Seats to fill: %(n)d.") % {"n": decision.seats}
    return words


def render_decision(
    request: HttpRequest, decision: Decision, *, form: Any = None, comment_form: Any = None, status: int = 200
) -> HttpResponse:
    """The decision page; ``form`` or ``comment_form`` are passed back with their errors after a POST."""
    actor = acting_membership(request)
    answer = selectors.answer_of(actor, decision)
    options = selectors.options_of(decision)
    may_answer = decision.is_open and may("decisions.answer", actor, decision)
    versions = selectors.versions_of(actor, decision)
    if form is None and may_answer:
        form = forms.answer_form(decision, options, initial=_initial(answer))
    if comment_form is None and may("decisions.comment", actor):
        comment_form = forms.CommentForm()
    outcome = outcome_of(decision)
    dots_used = sum(answer_values(answer).values()) if decision.method == "dot" else 0
    return render(
        request,
        "decisions/decision.html",
        {
            "nav_section": NAV,
            "decision": decision,
            "method_words": method_words(decision),
            "latest_change": versions[-1].change_note if len(versions) > 1 else "",
            "answer": answer,
            "answer_position_label": POSITION_LABELS.get(answer.position, "") if answer else "",
            "form": form if may_answer else None,
            "answer_template": ANSWER_TEMPLATES[decision.method],
            "may_answer": may_answer,
            "dots_used": dots_used,
            "turnout": selectors.turnout(actor, decision),
            "answers": [
                {"line": line, "label": POSITION_LABELS.get(line.position, line.position)}
                for line in selectors.answers_listed(actor, decision)
            ]
            if decision.method in ("consent", "yes_no")
            else [],
            "comments": selectors.comments_of(actor, decision),
            "comment_form": comment_form,
            "may_hide_comments": may("decisions.hide_comment", actor, decision),
            "outcome": outcome,
            "may_amend": decision.is_open and may("decisions.amend", actor, decision),
            "may_close": decision.is_open and may("decisions.close", actor, decision),
            "may_record_with": decision.is_open and may("decisions.record_with", actor, decision),
            "may_outcome": not decision.is_open and outcome is None and may("decisions.outcome", actor, decision),
            "may_export": not decision.is_open,
        },
        status=status,
    )


def answer_values(answer: Participation | None) -> dict[int, int]:
    if answer is None:
        return {}
    return dict(answer.values_by_option)  # type: ignore[attr-defined]


def outcome_of(decision: Decision) -> Outcome | None:
    """The outcome written for a closed decision, if any (``decision_for`` selected it with the decision)."""
    try:
        return decision.outcome
    except Outcome.DoesNotExist:
        return None


def _initial(answer: Participation | None) -> dict[str, Any]:
    if answer is None:
        return {}
    initial: dict[str, Any] = {"position": answer.position, "reason": answer.reason}
    initial.update({f"option_{option_id}": value for option_id, value in answer_values(answer).items()})
    return initial


@partnership_view("decisions.view")
def decision_page(request: HttpRequest, decision_id: int) -> HttpResponse:
    decision = selectors.decision_for(acting_membership(request), decision_id)
    return render_decision(request, decision)


@partnership_view("decisions.view")
def versions(request: HttpRequest, decision_id: int) -> HttpResponse:
    actor = acting_membership(request)
    decision = selectors.decision_for(actor, decision_id)
    found = selectors.versions_of(actor, decision)
    shown = [
        {"version": version, "changes": version_changes(found[i - 1], version) if i else []}
        for i, version in enumerate(found)
    ]
    return render(
        request, "decisions/versions.html", {"nav_section": NAV, "decision": decision, "versions": shown[::-1]}
    )


def version_changes(before: DecisionVersion, after: DecisionVersion) -> list[str]:
    """What changed from one version to the next, in words."""
    changes = []
    if before.title != after.title:
        changes.append(_("The title changed from “%(old)s” to “%(new)s”.") % {"old": before.title, "new": after.title})
    if before.background != after.background:
        changes.append(_("The background was rewritten."))
    added = [label for label in after.options if label not in before.options]
    withdrawn = [label for label in before.options if label not in after.options]
    if added:
        changes.append(_("Added: %(labels)s.") % {"labels": ", ".join(added)})
    if withdrawn:
        changes.append(_("Withdrawn: %(labels)s.") % {"labels": ", ".join(withdrawn)})
    return changes


@partnership_view("decisions.view")
@require_http_methods(["GET", "POST"])
def amend(request: HttpRequest, decision_id: int) -> HttpResponse:
    actor = acting_membership(request)
    decision = selectors.decision_for(actor, decision_id)
    if not may("decisions.amend", actor, decision):
        raise_not_permitted()
    if not decision.is_open:
        messages.error(request, _("This decision has closed, so it can no longer be changed."))
        return redirect(decision_url(request, decision))
    options = selectors.options_of(decision)
    initial = {
        "title": decision.title,
        "background": decision.background,
        "options": "\n".join(option.label for option in options),
    }
    form = forms.AmendForm(posted_data(request), method=decision.method, seats=decision.seats, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.decision_amend(
                actor=actor,
                decision=decision,
                title=data["title"],
                background=data["background"],
                options=data.get("options", []),
                change_note=data["change_note"],
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, _("The new version is saved, and everyone taking part is told."))
            return redirect(decision_url(request, decision))
    return render(
        request,
        "decisions/amend.html",
        {
            "nav_section": NAV,
            "decision": decision,
            "form": form,
            "objections": [
                line for line in selectors.answers_listed(actor, decision) if line.position in forms.NEEDS_REASON
            ],
        },
    )


@partnership_view("decisions.view")
@require_http_methods(["GET", "POST"])
def close(request: HttpRequest, decision_id: int) -> HttpResponse:
    actor = acting_membership(request)
    decision = selectors.decision_for(actor, decision_id)
    if not may("decisions.close", actor, decision):
        raise_not_permitted()
    if request.method == "POST":
        try:
            services.decision_close(actor=actor, decision=decision)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The decision is closed. The answers are being counted."))
            return redirect(decision_url(request, decision, name="decisions:results"))
        return redirect(decision_url(request, decision))
    if not decision.is_open:
        messages.info(request, _("This decision has already closed."))
        return redirect(decision_url(request, decision))
    return render(
        request,
        "decisions/close.html",
        {"nav_section": NAV, "decision": decision, "answers_count": selectors.turnout(actor, decision).answered},
    )


def raise_not_permitted() -> None:
    raise NotPermitted()
