"""A decision's result: members and staff side by side, the minimum turnout in words, and for ranked choice
the stages of the count, all read from the stored result (the page never waits on a count). And the ballots
of a ranked decision as a BLT or PrefLib file."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from coproduce.core.exceptions import NotPermitted
from coproduce.decisions import forms, selectors
from coproduce.decisions.models import Decision, DecisionOption
from coproduce.decisions.views._common import NAV
from coproduce.decisions.views.decisions import method_words, outcome_of
from coproduce.methods.decide import DecisionResult
from coproduce.methods.preflib import write_soi
from coproduce.partnerships.access import acting_membership, partnership_view

GROUP_COLUMNS = ("members", "staff", "everyone")
POSITION_ORDER = {
    "consent": ("agree", "abstain", "disagree", "block"),
    "yes_no": ("yes", "no", "abstain"),
}


def _position_label(method: str, position: str) -> str:
    labels = dict(forms.CONSENT_POSITIONS if method == "consent" else forms.YES_NO_POSITIONS)
    return str(labels.get(position, position))


def result_table(result: DecisionResult, options: list[DecisionOption]) -> list[dict[str, Any]]:
    """The rows of the side-by-side table: a label and one cell for members, staff and everyone."""
    groups = [result.groups[name] for name in GROUP_COLUMNS]
    rows: list[dict[str, Any]] = [
        {
            "label": _("Took part"),
            "cells": [_("%(n)d of %(of)d") % {"n": g.taking_part, "of": g.eligible} for g in groups],
        }
    ]
    if result.method in POSITION_ORDER:
        for position in POSITION_ORDER[result.method]:
            rows.append(
                {
                    "label": _position_label(result.method, position),
                    "cells": [str(g.positions.get(position, 0)) for g in groups],
                }
            )
        return rows
    winners = set(result.winners)
    for option in options:
        if result.method == "time_poll":
            cells = [
                _("%(yes)d yes, %(maybe)d if need be")
                % {"yes": g.options.get(option.pk, 0), "maybe": g.if_need_be.get(option.pk, 0)}
                for g in groups
            ]
        else:
            cells = [str(g.options.get(option.pk, 0)) for g in groups]
        rows.append({"label": option.label, "cells": cells, "winner": option.pk in winners})
    return rows


def quorum_words(decision: Decision, result: DecisionResult) -> list[str]:
    """Each minimum turnout, and whether it was met, in words."""
    words = []
    for name, percent, who in (
        ("members", decision.quorum_members_percent, _("parents (members)")),
        ("staff", decision.quorum_staff_percent, _("staff")),
    ):
        if not percent:
            continue
        group = result.groups[name]
        met = _("so the minimum was met") if group.quorum_met else _("so the minimum was not met")
        words.append(
            _("At least %(n)d %% of %(who)s had to take part: %(took)d of %(of)d did, %(met)s.")
            % {"n": percent, "who": who, "took": group.taking_part, "of": group.eligible, "met": met}
        )
    return words


def double_majority_words(result: DecisionResult) -> list[str]:
    if not result.double_majority:
        return []
    words = []
    for name, who in (("members", _("Members")), ("staff", _("Staff"))):
        passed = result.groups[name].passed
        words.append(_("%(who)s: passed.") % {"who": who} if passed else _("%(who)s: did not pass.") % {"who": who})
    return words


@partnership_view("decisions.view")
def results(request: HttpRequest, decision_id: int) -> HttpResponse:
    actor = acting_membership(request)
    decision = selectors.decision_for(actor, decision_id)
    context: dict[str, Any] = {"nav_section": NAV, "decision": decision, "method_words": method_words(decision)}
    result = selectors.decision_result(actor, decision)
    if result is not None:
        options = selectors.options_of(decision, with_withdrawn=True)
        names = {option.pk: option.label for option in options}
        context.update(
            {
                "result": result,
                "rows": result_table(result, options),
                "quorum": quorum_words(decision, result),
                "double_majority": double_majority_words(result),
                "winners": [names[w] for w in result.winners if w in names],
                "channels": selectors.decision_channel_counts(actor, decision),
            }
        )
    context["outcome"] = outcome_of(decision)
    return render(request, "decisions/results.html", context)


def _download(decision: Decision, text: str, extension: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    name = slugify(decision.title)[:60] or "decision"
    response["Content-Disposition"] = f'attachment; filename="{name}-{decision.pk}.{extension}"'
    response["Cache-Control"] = "no-store"
    return response


@partnership_view("decisions.view")
def export_blt(request: HttpRequest, decision_id: int) -> HttpResponse:
    actor = acting_membership(request)
    decision = selectors.decision_for(actor, decision_id)
    if not decision.is_ranked or decision.is_open:  # no running tally while people are still answering
        raise NotPermitted()
    return _download(decision, selectors.decision_export_blt(actor, decision), "blt")


@partnership_view("decisions.view")
def export_soi(request: HttpRequest, decision_id: int) -> HttpResponse:
    actor = acting_membership(request)
    decision = selectors.decision_for(actor, decision_id)
    if not decision.is_ranked or decision.is_open:  # no running tally while people are still answering
        raise NotPermitted()
    # The same ballots as the BLT file (decision_export_blt checks the same things), written for PrefLib.
    name = f"{slugify(decision.title)[:60] or 'decision'}-{decision.pk}.soi"
    return _download(decision, write_soi(selectors.ranked_election(decision), file_name=name), "soi")
