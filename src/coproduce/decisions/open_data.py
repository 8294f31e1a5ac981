"""Decisions' open dataset: the partnership's closed decisions, their results and their outcomes.

Published for each closed decision raised by a member of staff (a member may raise a proposal, and her words
are not published): its title, kind and method, when it opened and closed, whether it passed, and the outcome
the proposer or a coordinator wrote (what was decided, by when, the review date, when it was done).

The count keeps the small-groups rule (``methods.suppression``): how many answered is shown only when it is
5 or more; the positions (agree, block, yes, no …) and the options' figures are shown only where the rule
shows them, and the rest are added together as "other" (0 or at least 5). When fewer than 5 answered, no
figure at all is published. Never published: who answered, any reason or comment, the background, the
outcome's owner, and the options of an election or a poll (they can be people's names): for those, only
whether something was chosen.

``open_decisions`` is the one read the page, the CSV and the JSON share: one query, however many decisions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coproduce.decisions.models import POSITIONS, Decision, DecisionOption, Participation
from coproduce.methods.decide import DecisionResult
from coproduce.methods.suppression import MINIMUM_GROUP, suppress
from coproduce.partnerships.models import Membership, Partnership
from coproduce.partnerships.open_data import Distribution, OpenDataset
from coproduce.partnerships.open_data_files import count_text
from coproduce.partnerships.roles import staff_q

KEY = "decisions.outcomes"
CSV_COLUMNS = (
    "decision_id",
    "title",
    "kind",
    "method",
    "opened_on",
    "closed_on",
    "result",
    "answered",
    "agree",
    "abstain",
    "disagree",
    "block",
    "yes",
    "no",
    "other_positions",
    "chosen",
    "outcome",
    "outcome_due_on",
    "outcome_review_on",
    "outcome_done_on",
)
# The options may be people (an election, a poll for a role): their labels are never published.
_LABELS_KEPT_BACK = ("stv",)
_KINDS_KEPT_BACK = ("poll",)


@dataclass(frozen=True)
class OpenFigure:
    """One position or option: its figure, or ``None`` when the small-groups rule does not show it."""

    key: str
    label: str
    figure: int | None

    @property
    def text(self) -> str:
        return count_text(self.figure)


@dataclass(frozen=True)
class OpenDecision:
    decision_id: int
    title: str
    kind: str
    kind_label: str
    method: str
    method_label: str
    opened_on: date
    closed_on: date | None
    result: str  # "passed", "not_passed" or "not_counted"
    result_label: str
    answered: int | None  # None: fewer than 5 answered (no figure is then shown)
    positions: tuple[OpenFigure, ...] = ()
    options: tuple[OpenFigure, ...] = ()
    other: int = 0  # positions or options not shown on their own, together (0 or at least 5)
    chosen: tuple[str, ...] = ()  # the options chosen, when their labels may be published
    labels_published: bool = True
    outcome: str = ""
    outcome_due_on: date | None = None
    outcome_review_on: date | None = None
    outcome_done_on: date | None = None

    @property
    def answered_text(self) -> str:
        return count_text(self.answered)

    def as_json(self) -> dict[str, Any]:
        return {
            "decision_id": self.decision_id,
            "title": self.title,
            "kind": self.kind,
            "method": self.method,
            "opened_on": self.opened_on.isoformat(),
            "closed_on": self.closed_on.isoformat() if self.closed_on else None,
            "result": self.result,
            "answered": self.answered,
            "positions": {f.key: f.figure for f in self.positions},
            "options": [{"label": f.label, "figure": f.figure} for f in self.options],
            "other": self.other,
            "chosen": list(self.chosen),
            "options_published": self.labels_published,
            "outcome": {
                "statement": self.outcome,
                "due_on": _iso(self.outcome_due_on),
                "review_on": _iso(self.outcome_review_on),
                "done_on": _iso(self.outcome_done_on),
            }
            if self.outcome
            else None,
        }

    def csv_row(self) -> dict[str, Any]:
        positions = {f.key: f.text for f in self.positions}
        return {
            "decision_id": self.decision_id,
            "title": self.title,
            "kind": self.kind,
            "method": self.method,
            "opened_on": self.opened_on.isoformat(),
            "closed_on": _iso(self.closed_on),
            "result": self.result,
            "answered": self.answered_text,
            **{key: positions.get(key, "") for key in ("agree", "abstain", "disagree", "block", "yes", "no")},
            "other_positions": self.other if self.positions else "",
            "chosen": "; ".join(self.chosen),
            "outcome": self.outcome,
            "outcome_due_on": _iso(self.outcome_due_on),
            "outcome_review_on": _iso(self.outcome_review_on),
            "outcome_done_on": _iso(self.outcome_done_on),
        }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _published(partnership_id: int) -> Any:
    """Closed decisions raised by someone who is staff in the partnership."""
    by_staff = Membership.objects.filter(staff_q(), partnership_id=partnership_id, user_id=OuterRef("proposer_id"))
    return Decision.objects.filter(partnership_id=partnership_id, status=Decision.Status.CLOSED).filter(
        Exists(by_staff)
    )


def _result_words(decision: Decision, result: DecisionResult | None) -> tuple[str, str]:
    if result is None:
        return "not_counted", _("Not counted")
    if result.passed:
        return "passed", _("Passed") if not decision.has_options else _("Something was chosen")
    return "not_passed", _("Did not pass") if not decision.has_options else _("Nothing was chosen")


def _figures(counts: dict[str, int], labels: dict[str, str]) -> tuple[tuple[OpenFigure, ...], int]:
    rule = suppress(counts)
    figures = tuple(
        OpenFigure(key, labels.get(key, key), counts[key] if rule.is_shown(key) else None) for key in counts
    )
    return figures, rule.other_n


def _open_decision(decision: Decision) -> OpenDecision:
    result = (
        DecisionResult.from_json(decision.result) if decision.result_status == "ready" and decision.result else None
    )
    code, words = _result_words(decision, result)
    labels_published = decision.method not in _LABELS_KEPT_BACK and decision.kind not in _KINDS_KEPT_BACK
    everyone = result.groups.get("everyone") if result is not None else None
    answered = everyone.taking_part if everyone is not None else decision.answer_count  # type: ignore[attr-defined]
    positions: tuple[OpenFigure, ...] = ()
    options: tuple[OpenFigure, ...] = ()
    other = 0
    chosen: tuple[str, ...] = ()
    if answered >= MINIMUM_GROUP and everyone is not None:
        if decision.method in POSITIONS:
            labels = {value: str(label) for value, label in Participation.Position.choices}
            counts = {key: everyone.positions.get(key, 0) for key in POSITIONS[decision.method]}
            positions, other = _figures(counts, labels)
        elif labels_published:
            standing: list[DecisionOption] = list(decision.options.all())  # prefetched
            counts = {str(o.pk): everyone.options.get(o.pk, 0) for o in standing}
            options, other = _figures(counts, {str(o.pk): o.label for o in standing})
    if result is not None and labels_published and decision.has_options:
        names = {o.pk: o.label for o in decision.options.all()}
        chosen = tuple(names[w] for w in result.winners if w in names)
    outcome = getattr(decision, "outcome", None)
    return OpenDecision(
        decision_id=decision.pk,
        title=decision.title,
        kind=decision.kind,
        kind_label=str(decision.get_kind_display()),
        method=decision.method,
        method_label=str(decision.get_method_display()),
        opened_on=timezone.localdate(decision.created_at),
        closed_on=timezone.localdate(decision.closed_at) if decision.closed_at else None,
        result=code,
        result_label=words,
        answered=answered if answered >= MINIMUM_GROUP or answered == 0 else None,
        positions=positions,
        options=options,
        other=other,
        chosen=chosen,
        labels_published=labels_published,
        outcome=outcome.statement if outcome is not None else "",
        outcome_due_on=outcome.due_on if outcome is not None else None,
        outcome_review_on=outcome.review_on if outcome is not None else None,
        outcome_done_on=outcome.done_on if outcome is not None else None,
    )


def open_decisions(partnership: Partnership) -> list[OpenDecision]:
    """The published decisions, the most recently closed first (two queries: the decisions with their
    outcomes and how many answered, and their standing options)."""
    decisions = (
        _published(partnership.pk)
        .select_related("outcome")
        .defer("background", "background_html")
        .annotate(answer_count=Count("participations"))
        .prefetch_related(
            Prefetch(
                "options", queryset=DecisionOption.objects.filter(withdrawn_at__isnull=True).order_by("position", "id")
            )
        )
        .order_by("-closed_at", "-id")
    )
    return [_open_decision(decision) for decision in decisions]


def last_updated(partnership: Partnership) -> datetime | None:
    """When a published decision last closed or had its outcome written (one query)."""
    newest = _published(partnership.pk).aggregate(closed=Max("closed_at"), outcome=Max("outcome__written_at"))
    found = [when for when in (newest["closed"], newest["outcome"]) if when is not None]
    return max(found) if found else None


DATASET = OpenDataset(
    key=KEY,
    title=gettext_lazy("Decisions and their outcomes"),
    description=gettext_lazy(
        "The decisions the partnership made together: what was proposed, how it was decided, whether it passed, "
        "how many took part (when 5 or more) and what the partnership then said it would do, by when."
    ),
    order=40,
    distributions=(
        Distribution(gettext_lazy("Web page"), "decisions:open-decisions", "text/html"),
        Distribution("CSV", "decisions:open-decisions-csv", "text/csv"),
        Distribution("JSON", "decisions:open-decisions-json", "application/json"),
    ),
    last_updated=last_updated,
    keywords=("decisions", "participatory decision making", "outcomes"),
)
