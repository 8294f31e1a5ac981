"""Decisions in the public API: the list, one decision (its options, method, state, turnout, the result and
the outcome once closed), and giving or changing one's answer.

The same selectors and services as the decisions' pages: everyone in the partnership reads every decision;
the people a decision is for answer it while it is open, validated by the answer form of its method exactly as
the page validates it (a field it rejects is named in the 400 problem: ``position``, ``reason``, ``values`` or
``values.<option id>``). Who answered what is never given here: only counts, and one's own answer."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Schema
from pydantic import Field, StrictInt, StrictStr

from coproduce.api.framework import Input, PageQuery, ProblemError, actor, may, page_of, paginate, router, writer
from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.decisions import forms, selectors, services
from coproduce.decisions.models import POSITIONS, Decision, DecisionOption, Outcome, Participation
from coproduce.partnerships.models import Membership

r = router("decisions")

DECISIONS = "/partnerships/{slug}/decisions"
DECISION = DECISIONS + "/{decision_id}"


class DecisionOut(Schema):
    """A decision as the list shows it."""

    id: int
    title: str
    kind: str  # agreement, fund, service, everyday or poll
    method: str  # consent, yes_no, score, dot, time_poll, ranked_irv, ranked_schulze or stv
    status: str  # open or closed
    anonymous: bool
    closes_at: datetime
    closed_at: datetime | None
    created_at: datetime
    answer_count: int
    you_answered: bool


class OptionOut(Schema):
    id: int
    label: str
    starts_at: datetime | None  # a time poll's time
    ends_at: datetime | None


class TurnoutOut(Schema):
    members_eligible: int
    staff_eligible: int
    members_answered: int
    staff_answered: int
    answered: int  # everyone, imported ballots included


class GroupOut(Schema):
    eligible: int
    taking_part: int
    quorum_percent: int
    quorum_met: bool
    positions: dict[str, int]  # consent and yes/no: how many took each position
    options: dict[str, int]  # option id -> total (time poll: "yes"; ranked: first choices)
    if_need_be: dict[str, int]  # time poll only
    passed: bool | None


class ResultOut(Schema):
    quorum_met: bool
    passed: bool
    winners: list[int]  # option ids, in order (STV: elected in order)
    members: GroupOut
    staff: GroupOut
    everyone: GroupOut
    double_majority: bool
    lines: list[str]  # the count in words
    stages: list[str]  # ranked choice: stage by stage
    quota: str | None
    lots: int  # ties settled by lot


class OutcomeOut(Schema):
    statement: str
    owner_name: str
    due_on: date
    review_on: date
    done_on: date | None


class AnswerOut(Schema):
    """One's own answer: a position (consent, yes/no) with a reason, or a value for each option."""

    position: str
    reason: str
    values: dict[str, int]  # option id -> score, dots, 0/1/2 (time poll: no, if need be, yes) or rank (1 first)
    version: int  # the version of the proposal it was given to


class DecisionDetailOut(DecisionOut):
    background: str
    participants: str  # members, staff, everyone or group
    version: int
    threshold_percent: int | None  # yes_no: passes with more than this share of yes
    seats: int | None  # stv
    max_score: int | None  # score
    dots: int | None  # dot
    quorum_members_percent: int
    quorum_staff_percent: int
    double_majority: bool
    options: list[OptionOut]
    turnout: TurnoutOut
    you_may_answer: bool
    your_answer: AnswerOut | None
    result_status: str  # none, pending, ready or failed
    result: ResultOut | None
    outcome: OutcomeOut | None


class AnswerIn(Input):
    """For consent and yes/no: ``position`` (consent: agree, abstain, disagree or block; yes_no: yes, no or
    abstain) and a ``reason`` (needed to disagree or block). For every other method: ``values``, option id ->
    a whole number (score 0 to the maximum; dots, with at least one and no more than the decision gives; a time
    poll 2 yes, 1 if need be, 0 no, for every time; ranked choice 1 for the first choice, 2, 3, ...)."""

    position: StrictStr = Field("", max_length=20)
    reason: StrictStr = Field("", max_length=5000)
    values: dict[int, StrictInt] = Field(default_factory=dict, max_length=100)


def _decision(decision: Decision) -> dict[str, Any]:
    return {
        "id": decision.pk,
        "title": decision.title,
        "kind": decision.kind,
        "method": decision.method,
        "status": decision.status,
        "anonymous": decision.anonymous,
        "closes_at": decision.closes_at,
        "closed_at": decision.closed_at,
        "created_at": decision.created_at,
        "answer_count": getattr(decision, "answer_count", 0),
        "you_answered": bool(getattr(decision, "answered", 0)),
    }


def _option(option: DecisionOption) -> dict[str, Any]:
    return {"id": option.pk, "label": option.label, "starts_at": option.starts_at, "ends_at": option.ends_at}


def _answer(answer: Participation | None) -> dict[str, Any] | None:
    if answer is None:
        return None
    values = getattr(answer, "values_by_option", {})
    return {
        "position": answer.position,
        "reason": answer.reason,
        "values": {str(option_id): value for option_id, value in sorted(values.items())},
        "version": answer.version,
    }


def _result(person: Membership, decision: Decision) -> dict[str, Any] | None:
    result = selectors.decision_result(person, decision)
    if result is None:
        return None
    groups = {}
    for name in ("members", "staff", "everyone"):
        group = result.groups[name]
        groups[name] = {
            "eligible": group.eligible,
            "taking_part": group.taking_part,
            "quorum_percent": group.quorum_percent,
            "quorum_met": group.quorum_met,
            "positions": dict(group.positions),
            "options": {str(k): v for k, v in group.options.items()},
            "if_need_be": {str(k): v for k, v in group.if_need_be.items()},
            "passed": group.passed,
        }
    return {
        "quorum_met": result.quorum_met,
        "passed": result.passed,
        "winners": list(result.winners),
        **groups,
        "double_majority": result.double_majority,
        "lines": list(result.lines),
        "stages": list(result.stages),
        "quota": result.quota,
        "lots": result.lots,
    }


def _outcome(decision: Decision) -> dict[str, Any] | None:
    try:
        outcome = decision.outcome
    except Outcome.DoesNotExist:
        return None
    return {
        "statement": outcome.statement,
        "owner_name": outcome.owner_name,
        "due_on": outcome.due_on,
        "review_on": outcome.review_on,
        "done_on": outcome.done_on,
    }


def _detail(person: Membership, decision: Decision) -> dict[str, Any]:
    listed = selectors.decisions_visible_to(person).filter(pk=decision.pk).first() or decision
    turnout = selectors.turnout(person, decision)
    return {
        **_decision(listed),
        "background": decision.background,
        "participants": decision.participants,
        "version": decision.version,
        "threshold_percent": decision.threshold_percent,
        "seats": decision.seats,
        "max_score": decision.max_score,
        "dots": decision.dots,
        "quorum_members_percent": decision.quorum_members_percent,
        "quorum_staff_percent": decision.quorum_staff_percent,
        "double_majority": decision.double_majority,
        "options": [_option(o) for o in selectors.options_of(decision)],
        "turnout": {
            "members_eligible": turnout.members_eligible,
            "staff_eligible": turnout.staff_eligible,
            "members_answered": turnout.members_answered,
            "staff_answered": turnout.staff_answered,
            "answered": turnout.answered,
        },
        "you_may_answer": decision.is_open and may("decisions.answer", person, decision),
        "your_answer": _answer(selectors.answer_of(person, decision)),
        "result_status": decision.result_status,
        "result": _result(person, decision),
        "outcome": _outcome(decision),
    }


@r.get(DECISIONS, response=page_of(DecisionOut))
def list_decisions(
    request: HttpRequest,
    slug: str,
    page: Query[PageQuery],
    status: Literal["open", "closed"] | None = None,
) -> Any:
    """The partnership's decisions, newest first; ``status`` open or closed narrows them."""
    person = actor(request, slug)
    return paginate(
        request, selectors.decisions_visible_to(person, status=status), schema_fn=_decision, order="-created_at"
    )


@r.get(DECISION, response=DecisionDetailOut)
def get_decision(request: HttpRequest, slug: str, decision_id: int) -> Any:
    """One decision: its options, method and state, how many have answered, your own answer, and once it has
    closed and been counted its result (members and staff side by side) and what was decided."""
    person = actor(request, slug)
    return _detail(person, selectors.decision_for(person, decision_id))


def _field_name(name: str) -> str:
    if name.startswith("option_"):
        return "values." + name.removeprefix("option_")
    if name == "__all__":
        return "values"
    return name


def _checked_answer(decision: Decision, options: list[DecisionOption], payload: AnswerIn) -> dict[str, Any]:
    """The answer as the page's answer form for the method cleans it; 400 naming each field it rejects."""
    if decision.method in POSITIONS:
        if payload.values:
            raise ServiceError(_("This decision is answered with a position, not options."), field="values")
        data: dict[str, Any] = {"position": payload.position, "reason": payload.reason}
    else:
        if payload.position:
            raise ServiceError(_("This decision is answered by its options."), field="position")
        if payload.reason:
            raise ServiceError(_("This decision is answered by its options, without a reason."), field="reason")
        standing = {option.pk for option in options}
        for option_id in payload.values:
            if option_id not in standing:
                raise ServiceError(_("This option is not part of this decision."), field=f"values.{option_id}")
        data = {f"option_{option_id}": str(value) for option_id, value in payload.values.items()}
    form = forms.answer_form(decision, options, data=data)
    if not form.is_valid():
        errors = [(_field_name(name), str(message)) for name, messages in form.errors.items() for message in messages]
        raise ProblemError(400, _("The answer is not valid."), errors=errors)
    answer: dict[str, Any] = form.answer()
    return answer


@r.post(DECISION + "/vote", response=AnswerOut)
def vote(request: HttpRequest, slug: str, decision_id: int, payload: AnswerIn) -> Any:
    """Give your answer, or change it while the decision is open. One answer per person: answering again
    replaces it. Only the people the decision is for may answer (anyone else: 404)."""
    person = writer(request, slug)
    decision = selectors.decision_for(person, decision_id)
    if not may("decisions.answer", person, decision):
        raise NotPermitted()
    if not decision.is_open:
        raise ServiceError(_("This decision has closed, so answers can no longer be given or changed."))
    answer = _checked_answer(decision, selectors.options_of(decision), payload)
    services.answer_give(actor=person, decision=decision, **answer)
    return _answer(selectors.answer_of(person, decision))
