"""Reading results: what parents said, as figures, only for groups of at least five answers.

Every figure is computed in the database (one ``values(...).annotate(Count, Sum)`` query per breakdown,
grouped by subject, month and how the answer came); Python only adds up those few groups and applies the
small-groups rule (``methods.suppression.suppress``). The rule, exactly as the design states it:

* Counts are published at one granularity only, (subject, calendar quarter): a subject with 1–4 answers in
  the quarter is merged into "Other services", then the smallest shown subjects join it until it holds 0 or
  at least 5; a quarter with fewer than 5 answers in all shows nothing.
* An organisation's figures are the sum of its **shown** subjects; the partnership's are every answer in the
  quarter; how answers came (online, paper, read out) is one breakdown for the whole partnership.
* A statement's mean is shown only where at least 5 answers gave it a score. How many gave a score is never
  shown (the rest, who would rather not say, could be a group under 5). The share agreeing is shown only on
  a subject's own row, and only when those agreeing and those not are each 0 or at least 5.
* A month's point on a run chart is a mean only, shown when at least 5 answers scored the statement that
  month; a coordinator's question's mean only with at least 5 scores; free text only once a coordinator
  showed it and only for a subject-quarter that is shown.
* Coordinators and panel members see every subject and every quarter; a keyworker or partner lead sees her
  organisation's subjects, each quarter only once its review is released (``Review.released_at`` set or
  ``panel_until`` passed). Everyone else sees nothing (``NotPermitted``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import rules
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _

from coproduce.core.exceptions import NotPermitted
from coproduce.evaluation.instrument import STATEMENT_BY_KEY, STATEMENT_KEYS, STATEMENTS
from coproduce.evaluation.models import Answer, Question, QuestionAnswer, Remark, Review, Subject
from coproduce.evaluation.rules import is_panel_member
from coproduce.methods.runchart import analyse
from coproduce.methods.suppression import MINIMUM_GROUP, suppress
from coproduce.partnerships.models import Membership

__all__ = [
    "AGREE_FROM",
    "LOW_MEAN",
    "Chart",
    "ChartPoint",
    "Figure",
    "Overview",
    "PartnershipQuarter",
    "Quarter",
    "QuestionResult",
    "Row",
    "ShownRemark",
    "StatementFigure",
    "StatementResult",
    "SubjectResults",
    "monthly_series",
    "partnership_quarters",
    "quarter_of",
    "quarters_with_answers",
    "results_csv_rows",
    "results_overview",
    "subject_results",
]

AGREE_FROM = 4  # "agree" (4) and "strongly agree" (5) count as agreeing
# A statement is flagged "low" when its mean for the quarter is under 3.5: below halfway between "neither agree
# nor disagree" (3) and "agree" (4), so more parents were unsure or disagreed than agreed.
LOW_MEAN = Decimal("3.5")
TWO_PLACES = Decimal("0.01")
ONE_PLACE = Decimal("0.1")
OTHER_SERVICES = "other"

# ---------------------------------------------------------------------------------------------------------
# quarters
# ---------------------------------------------------------------------------------------------------------

_QUARTER_CODE = re.compile(r"^(\d{4})-Q([1-4])$")


@dataclass(frozen=True, order=True)
class Quarter:
    """A calendar quarter: ``number`` 1 (January to March) … 4 (October to December)."""

    year: int
    number: int

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 4:
            raise ValueError("a quarter is numbered 1 to 4")

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """``Quarter.parse("2026-Q3")``; ``ValueError`` for anything else."""
        match = _QUARTER_CODE.match(text.strip())
        if match is None:
            raise ValueError(f"not a quarter: {text!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    @property
    def code(self) -> str:
        """As in a link or the export: "2026-Q3"."""
        return f"{self.year}-Q{self.number}"

    @property
    def start(self) -> date:
        """The first day of the quarter."""
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def after(self) -> date:
        """The first day of the next quarter (the end, not included)."""
        return self.next().start

    @property
    def end(self) -> date:
        """The last day of the quarter."""
        return date.fromordinal(self.after.toordinal() - 1)

    @property
    def months(self) -> tuple[date, date, date]:
        first = 3 * self.number - 2
        return (date(self.year, first, 1), date(self.year, first + 1, 1), date(self.year, first + 2, 1))

    @property
    def label(self) -> str:
        """In words: "July to September 2026"."""
        return _("%(first)s to %(last)s %(year)s") % {
            "first": MONTHS[3 * self.number - 2],
            "last": MONTHS[3 * self.number],
            "year": self.year,
        }

    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    def __str__(self) -> str:
        return self.code


def quarter_of(day: date) -> Quarter:
    """The quarter ``day`` falls in."""
    return Quarter(day.year, (day.month - 1) // 3 + 1)


# ---------------------------------------------------------------------------------------------------------
# what each person may see (the queryset twin of the rule ``evaluation.see_results``)
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Scope:
    partnership_id: int
    whole: bool  # coordinators and panel members: every subject, every quarter
    organisation_id: int  # otherwise staff of this organisation: its subjects, released quarters only (0: whole)


def _scope(actor: Membership) -> _Scope:
    """What ``actor`` may see of the results (``evaluation.see_results`` with no subject); ``NotPermitted``
    when nothing."""
    if not rules.test_rule("evaluation.see_results", actor, None):
        raise NotPermitted()
    if actor.is_coordinator or is_panel_member(actor):
        return _Scope(actor.partnership_id, True, 0)
    if actor.organisation_id is None:
        raise NotPermitted()
    return _Scope(actor.partnership_id, False, actor.organisation_id)


def _released_q(now: Any) -> Q:
    return Q(released_at__isnull=False) | Q(panel_until__lte=now)


def _released(scope: _Scope, *, subject_id: int | None = None) -> set[tuple[int, date]]:
    """(subject id, quarter start) of the organisation's subjects whose review is released."""
    reviews = Review.objects.filter(
        _released_q(timezone.now()),
        subject__partnership_id=scope.partnership_id,
        subject__organisation_id=scope.organisation_id,
    )
    if subject_id is not None:
        reviews = reviews.filter(subject_id=subject_id)
    return set(reviews.values_list("subject_id", "quarter_start"))


# ---------------------------------------------------------------------------------------------------------
# adding up: tallies of answers (counts and sums per statement), from the database's groups
# ---------------------------------------------------------------------------------------------------------


@dataclass
class _Tally:
    answers: int = 0
    scored: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATEMENT_KEYS, 0))
    total: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATEMENT_KEYS, 0))
    agree: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATEMENT_KEYS, 0))

    def add(self, group: dict[str, Any] | _Tally) -> None:
        if isinstance(group, _Tally):
            self.answers += group.answers
            for key in STATEMENT_KEYS:
                self.scored[key] += group.scored[key]
                self.total[key] += group.total[key]
                self.agree[key] += group.agree[key]
            return
        self.answers += group["n"]
        for key in STATEMENT_KEYS:
            self.scored[key] += group[f"{key}_n"]
            self.total[key] += group[f"{key}_sum"] or 0
            self.agree[key] += group.get(f"{key}_agree", 0)

    def mean(self, key: str) -> Decimal | None:
        return _mean(self.total[key], self.scored[key])

    def agree_share(self, key: str) -> int | None:
        """Per cent agreeing, when the statement's mean is shown and neither those agreeing nor those not
        are a group of 1 to 4."""
        scored, agree = self.scored[key], self.agree[key]
        if scored < MINIMUM_GROUP or not _safe(agree) or not _safe(scored - agree):
            return None
        return int((Decimal(100 * agree) / scored).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _safe(n: int) -> bool:
    return n == 0 or n >= MINIMUM_GROUP


def _mean(total: int, n: int) -> Decimal | None:
    if n < MINIMUM_GROUP:
        return None
    return (Decimal(total) / Decimal(n)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _exact_mean_one_place(total: int, n: int) -> Decimal | None:
    if n < MINIMUM_GROUP:
        return None
    return (Decimal(total) / Decimal(n)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def _statement_aggregates(*, agree: bool = False) -> dict[str, Any]:
    aggregates: dict[str, Any] = {"n": Count("id")}
    for key in STATEMENT_KEYS:
        aggregates[f"{key}_n"] = Count(key)
        aggregates[f"{key}_sum"] = Sum(key)
        if agree:
            aggregates[f"{key}_agree"] = Count(key, filter=Q(**{f"{key}__gte": AGREE_FROM}))
    return aggregates


def _groups(
    partnership_id: int, *fields: str, start: date | None = None, after: date | None = None
) -> list[dict[str, Any]]:
    """One query: the answers grouped by ``fields``, with their counts and sums per statement."""
    answers = Answer.objects.filter(partnership_id=partnership_id)
    if start is not None:
        answers = answers.filter(period__gte=start)
    if after is not None:
        answers = answers.filter(period__lt=after)
    return list(answers.values(*fields).annotate(**_statement_aggregates()).order_by())


# ---------------------------------------------------------------------------------------------------------
# rows of figures
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One statement's figure in a row: its mean (exact to 2 places), or None when fewer than 5 answers
    gave it a score."""

    key: str
    mean: Decimal | None
    mean_one_place: Decimal | None  # for pages: rounded once, from the exact mean

    @property
    def shown(self) -> str:
        """For a page: "4.2", or "" when not shown."""
        return "" if self.mean_one_place is None else f"{self.mean_one_place}"


def _figures(tally: _Tally) -> tuple[Figure, ...]:
    return tuple(
        Figure(key, tally.mean(key), _exact_mean_one_place(tally.total[key], tally.scored[key]))
        for key in STATEMENT_KEYS
    )


@dataclass(frozen=True)
class Row:
    """One row of results: a subject, "Other services", an organisation, the partnership, or one way answers
    came (``kind`` "subject", "other", "organisation", "partnership", "mode")."""

    kind: str
    label: str
    answers: int
    figures: tuple[Figure, ...]
    subject_id: int | None = None
    organisation_id: int | None = None
    organisation: str = ""
    mode: str = ""  # for a "mode" row: "online", "paper", "read_out", or "other" (the modes merged)

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)


@dataclass(frozen=True)
class Overview:
    """A quarter's results as the actor may see them."""

    quarter: Quarter
    quarters: tuple[Quarter, ...]  # the quarters she may choose, newest first
    whole_partnership: bool  # she sees every subject (a coordinator or panel member)
    nothing_shown: bool  # fewer than 5 answers in the quarter (or none she may see): no figures at all
    subjects: tuple[Row, ...]  # shown subjects she may see, by name
    other: Row | None  # "Other services": the merged subjects (0 or at least 5 answers; None when 0)
    organisations: tuple[Row, ...]  # sums of each organisation's shown subjects (hers only, for staff)
    partnership: Row | None
    modes: tuple[Row, ...]  # online / paper / read out for the whole partnership (merged ones: "other")


@dataclass
class _Quarterly:
    """One quarter's tallies for the whole partnership and what the rule shows of them."""

    by_subject: dict[int, _Tally]
    by_mode: dict[str, _Tally]
    total: _Tally


def _quarterly(partnership_id: int, quarter: Quarter) -> _Quarterly:
    by_subject: dict[int, _Tally] = defaultdict(_Tally)
    by_mode: dict[str, _Tally] = defaultdict(_Tally)
    total = _Tally()
    for group in _groups(partnership_id, "subject_id", "mode", start=quarter.start, after=quarter.after):
        by_subject[group["subject_id"]].add(group)
        by_mode[group["mode"]].add(group)
        total.add(group)
    return _Quarterly(dict(by_subject), dict(by_mode), total)


def _sum(tallies: Iterable[_Tally]) -> _Tally:
    result = _Tally()
    for tally in tallies:
        result.add(tally)
    return result


def _other_label() -> str:
    return _("Other services")


def _subject_row(subject: Subject, tally: _Tally) -> Row:
    return Row(
        kind="subject",
        label=subject.name,
        answers=tally.answers,
        figures=_figures(tally),
        subject_id=subject.pk,
        organisation_id=subject.organisation_id,
        organisation=subject.organisation.name if subject.organisation is not None else "",
    )


def _mode_rows(by_mode: dict[str, _Tally]) -> tuple[Row, ...]:
    decision = suppress({mode: tally.answers for mode, tally in by_mode.items()})
    if decision.nothing_shown:
        return ()
    labels = dict(Answer.Mode.choices)
    rows = [
        Row(
            kind="mode",
            label=str(labels[mode]),
            answers=by_mode[mode].answers,
            figures=_figures(by_mode[mode]),
            mode=mode,
        )
        for mode in Answer.Mode.values
        if mode in decision.shown
    ]
    if decision.other_n:
        merged = [str(labels[mode]) for mode in Answer.Mode.values if mode in decision.merged]
        rows.append(
            Row(
                kind="mode",
                label=_("Other ways: %(ways)s") % {"ways": "; ".join(merged)},
                answers=decision.other_n,
                figures=_figures(_sum(by_mode[mode] for mode in decision.merged)),
                mode=OTHER_SERVICES,
            )
        )
    return tuple(rows)


def _visible_quarters(scope: _Scope) -> list[Quarter]:
    periods = Answer.objects.filter(partnership_id=scope.partnership_id).values_list("period", flat=True).distinct()
    with_answers = {quarter_of(period) for period in periods.order_by()}
    if not scope.whole:
        released = {quarter_of(start) for _subject, start in _released(scope)}
        with_answers &= released
    return sorted(with_answers, reverse=True)


def quarters_with_answers(actor: Membership) -> list[Quarter]:
    """The quarters with answers that ``actor`` may see, newest first (for staff: those with a released
    review of one of their organisation's subjects)."""
    return _visible_quarters(_scope(actor))


def _default_quarter(quarters: list[Quarter]) -> Quarter:
    return quarters[0] if quarters else quarter_of(timezone.localdate())


def results_overview(actor: Membership, *, quarter: Quarter | None = None) -> Overview:
    """The quarter's results (the newest she may see when ``quarter`` is None). Staff asking for a quarter
    not yet released to them get ``NotPermitted``."""
    scope = _scope(actor)
    quarters = _visible_quarters(scope)
    if quarter is None:
        quarter = _default_quarter(quarters)
    if not scope.whole and quarter not in quarters:
        raise NotPermitted()
    data = _quarterly(scope.partnership_id, quarter)
    decision = suppress({subject_id: tally.answers for subject_id, tally in data.by_subject.items()})
    empty = Overview(quarter, tuple(quarters), scope.whole, True, (), None, (), None, ())
    if decision.nothing_shown:
        return empty
    visible = decision.shown
    if not scope.whole:
        released = {subject_id for subject_id, start in _released(scope) if start == quarter.start}
        visible = frozenset(visible & released)
    subjects = Subject.objects.filter(partnership_id=scope.partnership_id, pk__in=visible).select_related(
        "organisation"
    )
    if not scope.whole:
        subjects = subjects.filter(organisation_id=scope.organisation_id)
    subject_rows = [_subject_row(subject, data.by_subject[subject.pk]) for subject in subjects]
    by_organisation: dict[int, list[Row]] = defaultdict(list)
    for row in subject_rows:
        if row.organisation_id is not None:
            by_organisation[row.organisation_id].append(row)
    organisation_rows = sorted(
        (
            Row(
                kind="organisation",
                label=rows[0].organisation,
                answers=sum(r.answers for r in rows),
                figures=_figures(_sum(data.by_subject[r.subject_id] for r in rows if r.subject_id is not None)),
                organisation_id=organisation_id,
                organisation=rows[0].organisation,
            )
            for organisation_id, rows in by_organisation.items()
        ),
        key=lambda row: (row.label, row.organisation_id or 0),
    )
    other = None
    if decision.other_n:
        other = Row(
            kind="other",
            label=_other_label(),
            answers=decision.other_n,
            figures=_figures(_sum(data.by_subject[subject_id] for subject_id in decision.merged)),
        )
    partnership = Row(
        kind="partnership", label=_("The whole partnership"), answers=data.total.answers, figures=_figures(data.total)
    )
    return Overview(
        quarter=quarter,
        quarters=tuple(quarters),
        whole_partnership=scope.whole,
        nothing_shown=False,
        subjects=tuple(subject_rows),
        other=other,
        organisations=tuple(organisation_rows),
        partnership=partnership,
        modes=_mode_rows(data.by_mode),
    )


# ---------------------------------------------------------------------------------------------------------
# one subject: its statements, run charts, the coordinator's questions and the free text shown
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChartPoint:
    month: date  # the first day of the month
    mean: float  # the average of at least 5 scores, to 2 places (no count is shown)
    signal: bool  # part of a shift or trend


@dataclass(frozen=True)
class Chart:
    """A statement's run chart over every month with at least 5 scores (means only)."""

    points: tuple[ChartPoint, ...]
    median: float | None
    signals: tuple[str, ...]  # each signal in words
    rising: bool  # an upward shift or trend that reaches the latest point
    falling: bool  # a downward shift or trend that reaches the latest point


@dataclass(frozen=True)
class StatementResult:
    key: str
    text: str
    short: str
    mean: Decimal | None  # the quarter's mean (2 places), None when fewer than 5 scores or not shown
    mean_one_place: Decimal | None
    agree_share: int | None  # per cent agreeing or strongly agreeing, when safe to show
    partnership_mean: Decimal | None  # the partnership's mean for the quarter, beside it
    partnership_mean_one_place: Decimal | None
    flag: str  # "" , "low" (mean under LOW_MEAN) or "falling" (a downward shift or trend reaching the latest month)
    chart: Chart


@dataclass(frozen=True)
class QuestionResult:
    question_id: int
    text: str
    retired: bool
    mean: Decimal | None  # with at least 5 scores in the quarter
    mean_one_place: Decimal | None


@dataclass(frozen=True)
class ShownRemark:
    kind: str  # "keep", "change" or "question"
    heading: str  # "What should they keep doing?" or the coordinator's question
    text: str  # as the coordinator showed it (``shown_text``)


@dataclass(frozen=True)
class SubjectResults:
    subject: Subject
    quarter: Quarter
    quarters: tuple[Quarter, ...]  # the quarters she may choose for this subject, newest first
    shown: bool  # the subject-quarter is shown (not merged into "Other services", and the quarter has 5 or more)
    answers: int | None  # None when not shown
    statements: tuple[StatementResult, ...]
    questions: tuple[QuestionResult, ...]  # the coordinator's scale questions asked in the quarter
    remarks: tuple[ShownRemark, ...]

    @property
    def flagged(self) -> tuple[StatementResult, ...]:
        """Statements low or falling: where a test of change may start."""
        return tuple(s for s in self.statements if s.flag)


def _signal_words(rule: str, direction: int) -> str:
    words = {
        ("shift", 1): _("Six or more months in a row above the median: a real rise, not chance."),
        ("shift", -1): _("Six or more months in a row below the median: a real fall, not chance."),
        ("trend", 1): _("Five or more months in a row going up: a real rise, not chance."),
        ("trend", -1): _("Five or more months in a row going down: a real fall, not chance."),
    }
    return words[(rule, direction)]


def _chart(series: list[tuple[date, float]]) -> Chart:
    if not series:
        return Chart((), None, (), False, False)
    run = analyse([value for _month, value in series])
    last = len(series) - 1
    signals = [s for s in run.signals if s.rule in ("shift", "trend")]
    marked = {index for s in signals for index in s.points}
    return Chart(
        points=tuple(ChartPoint(month, value, index in marked) for index, (month, value) in enumerate(series)),
        median=run.median,
        signals=tuple(_signal_words(s.rule, s.direction) for s in signals),
        rising=any(s.direction > 0 and last in s.points for s in signals),
        falling=any(s.direction < 0 and last in s.points for s in signals),
    )


def monthly_series(
    partnership_id: int, subject_id: int, *, before: date | None = None
) -> dict[str, list[tuple[date, float]]]:
    """Per statement, the subject's months (oldest first) with at least 5 scores, each with its mean to 2
    places; no counts. One query. ``before``: only months before this day (for staff, the end of the newest
    quarter released to them). Improvement's linked measure reads the same points."""
    answers = Answer.objects.filter(partnership_id=partnership_id, subject_id=subject_id)
    if before is not None:
        answers = answers.filter(period__lt=before)
    aggregates: dict[str, Any] = {}
    for key in STATEMENT_KEYS:
        aggregates[f"{key}_n"] = Count(key)
        aggregates[f"{key}_sum"] = Sum(key)
    series: dict[str, list[tuple[date, float]]] = {key: [] for key in STATEMENT_KEYS}
    for month in answers.values("period").annotate(**aggregates).order_by("period"):
        for key in STATEMENT_KEYS:
            mean = _mean(month[f"{key}_sum"] or 0, month[f"{key}_n"])
            if mean is not None:
                series[key].append((month["period"], float(mean)))
    return series


def _subject_in_reach(actor: Membership, scope: _Scope, subject_id: int) -> Subject:
    subject = (
        Subject.objects.filter(partnership_id=scope.partnership_id, pk=subject_id)
        .select_related("organisation")
        .first()
    )
    if subject is None or not rules.test_rule("evaluation.see_results", actor, subject):
        raise NotPermitted()
    return subject


def subject_results(actor: Membership, subject_id: int, *, quarter: Quarter | None = None) -> SubjectResults:
    """One subject's results for a quarter (the newest she may see when None). ``NotPermitted`` for a
    subject out of her reach, or (staff) a quarter not yet released to her."""
    scope = _scope(actor)
    subject = _subject_in_reach(actor, scope, subject_id)
    if scope.whole:
        quarters = _visible_quarters(scope)
        before = None
    else:
        released = sorted((quarter_of(start) for _s, start in _released(scope, subject_id=subject.pk)), reverse=True)
        with_answers = set(_visible_quarters(_Scope(scope.partnership_id, True, 0)))
        quarters = [q for q in released if q in with_answers]
        before = released[0].after if released else date.min
    if quarter is None:
        quarter = _default_quarter(quarters)
    if not scope.whole and quarter not in quarters:
        raise NotPermitted()
    in_quarter = Answer.objects.filter(
        partnership_id=scope.partnership_id, period__gte=quarter.start, period__lt=quarter.after
    )
    counts = dict(in_quarter.values_list("subject_id").annotate(n=Count("id")).order_by())
    decision = suppress(counts)
    shown = subject.pk in decision.shown
    total = _Tally()
    tally = _Tally()
    if not decision.nothing_shown:
        total.add(in_quarter.aggregate(**_statement_aggregates()))
    if shown:
        tally.add(in_quarter.filter(subject_id=subject.pk).aggregate(**_statement_aggregates(agree=True)))
    series = monthly_series(scope.partnership_id, subject.pk, before=before)
    statements = []
    for statement in STATEMENTS:
        key = statement.key
        chart = _chart(series[key])
        mean = tally.mean(key)
        flag = ""
        if chart.falling:
            flag = "falling"
        elif mean is not None and mean < LOW_MEAN:
            flag = "low"
        partnership_mean = total.mean(key)
        statements.append(
            StatementResult(
                key=key,
                text=str(statement.text),
                short=str(statement.short),
                mean=mean,
                mean_one_place=_exact_mean_one_place(tally.total[key], tally.scored[key]),
                agree_share=tally.agree_share(key),
                partnership_mean=partnership_mean,
                partnership_mean_one_place=(
                    None if partnership_mean is None else _exact_mean_one_place(total.total[key], total.scored[key])
                ),
                flag=flag,
                chart=chart,
            )
        )
    return SubjectResults(
        subject=subject,
        quarter=quarter,
        quarters=tuple(quarters),
        shown=shown,
        answers=tally.answers if shown else None,
        statements=tuple(statements),
        questions=_question_results(subject, quarter) if shown else (),
        remarks=_shown_remarks(subject, quarter) if shown else (),
    )


def _question_results(subject: Subject, quarter: Quarter) -> tuple[QuestionResult, ...]:
    """The subject's scale questions answered in the quarter: one query for the figures, one for the
    questions."""
    figures = {
        row["question_id"]: row
        for row in QuestionAnswer.objects.filter(
            question__subject=subject, answer__period__gte=quarter.start, answer__period__lt=quarter.after
        )
        .values("question_id")
        .annotate(n=Count("score"), total=Sum("score"))
        .order_by()
    }
    questions = Question.objects.filter(pk__in=figures, kind=Question.Kind.SCALE).order_by("position", "id")
    return tuple(
        QuestionResult(
            question_id=question.pk,
            text=question.text,
            retired=question.retired_at is not None,
            mean=_mean(figures[question.pk]["total"] or 0, figures[question.pk]["n"]),
            mean_one_place=_exact_mean_one_place(figures[question.pk]["total"] or 0, figures[question.pk]["n"]),
        )
        for question in questions
    )


def _shown_remarks(subject: Subject, quarter: Quarter) -> tuple[ShownRemark, ...]:
    remarks = (
        Remark.objects.filter(
            answer__subject=subject,
            answer__period__gte=quarter.start,
            answer__period__lt=quarter.after,
            status=Remark.Status.SHOWN,
        )
        .select_related("question")
        .order_by("kind", "id")
    )
    kinds = dict(Remark.Kind.choices)
    return tuple(
        ShownRemark(
            kind=remark.kind,
            heading=remark.question.text if remark.question is not None else str(kinds[remark.kind]),
            text=remark.shown_text,
        )
        for remark in remarks
    )


# ---------------------------------------------------------------------------------------------------------
# the export
# ---------------------------------------------------------------------------------------------------------

CSV_COLUMNS: tuple[str, ...] = ("quarter", "service", "organisation", "answers", *(f"mean_{k}" for k in STATEMENT_KEYS))


def results_csv_rows(actor: Membership) -> list[dict[str, str]]:
    """One row per shown subject and quarter, and one "Other services" row per quarter where subjects were
    merged: exactly the overview's rows, oldest quarter first. Means exact to 2 places ("" when fewer than 5
    scores). Columns: ``CSV_COLUMNS``. How answers came is not split per service, so it is not here. One
    query for the figures, one for the subjects' names."""
    scope = _scope(actor)
    by_quarter: dict[Quarter, dict[int, _Tally]] = defaultdict(lambda: defaultdict(_Tally))
    for group in _groups(scope.partnership_id, "subject_id", "period"):
        by_quarter[quarter_of(group["period"])][group["subject_id"]].add(group)
    released = None if scope.whole else _released(scope)
    subjects = {
        subject.pk: subject
        for subject in Subject.objects.filter(partnership_id=scope.partnership_id).select_related("organisation")
    }
    rows: list[dict[str, str]] = []
    for quarter in sorted(by_quarter):
        tallies = by_quarter[quarter]
        decision = suppress({subject_id: tally.answers for subject_id, tally in tallies.items()})
        if decision.nothing_shown:
            continue
        shown = [subjects[subject_id] for subject_id in decision.shown]
        if released is not None:
            shown = [
                s for s in shown if s.organisation_id == scope.organisation_id and (s.pk, quarter.start) in released
            ]
        for subject in sorted(shown, key=lambda s: (s.name, s.pk)):
            rows.append(
                _csv_row(
                    quarter,
                    subject.name,
                    subject.organisation.name if subject.organisation else "",
                    tallies[subject.pk],
                )
            )
        if decision.other_n and (shown or scope.whole):
            rows.append(_csv_row(quarter, _other_label(), "", _sum(tallies[s] for s in decision.merged)))
    return rows


def _csv_row(quarter: Quarter, service: str, organisation: str, tally: _Tally) -> dict[str, str]:
    row = {"quarter": quarter.code, "service": service, "organisation": organisation, "answers": str(tally.answers)}
    for key in STATEMENT_KEYS:
        mean = tally.mean(key)
        row[f"mean_{key}"] = "" if mean is None else f"{mean}"
    return row


def statement_label(key: str) -> str:
    """A statement's words for a key ("" when unknown)."""
    statement = STATEMENT_BY_KEY.get(key)
    return "" if statement is None else str(statement.text)


# ---------------------------------------------------------------------------------------------------------
# the whole partnership, quarter by quarter (open data: ``evaluation.open_data``)
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatementFigure:
    """One statement's figure for the whole partnership in a quarter."""

    key: str
    mean: Decimal | None  # to 2 places; None when fewer than 5 answers gave it a score
    agree_share: int | None  # per cent agreeing or strongly agreeing, when safe to show


@dataclass(frozen=True)
class PartnershipQuarter:
    quarter: Quarter
    answers: int  # at least 5: a quarter with fewer is left out
    statements: tuple[StatementFigure, ...]


def partnership_quarters(partnership_id: int, *, before: date) -> list[PartnershipQuarter]:
    """The whole partnership's results for each quarter that ended before ``before``, newest first (one query).

    Not narrowed to a person: these are the figures the partnership publishes for anyone (``evaluation.open_data``),
    the same rule as the pages. Only whole quarters are counted, so that a figure, once published, does not move
    by one answer at a time (which would show that answer by difference). A quarter with fewer than 5 answers
    is left out; a mean needs at least 5 scores, and the share agreeing is shown only when those agreeing and
    those not are each 0 or at least 5."""
    answers = Answer.objects.filter(partnership_id=partnership_id, period__lt=before)
    tallies: dict[Quarter, _Tally] = defaultdict(_Tally)
    for month in answers.values("period").annotate(**_statement_aggregates(agree=True)).order_by():
        quarter = quarter_of(month["period"])
        if quarter.after <= before:
            tallies[quarter].add(month)
    return [
        PartnershipQuarter(
            quarter=quarter,
            answers=tally.answers,
            statements=tuple(
                StatementFigure(key, tally.mean(key), tally.agree_share(key) if tally.mean(key) is not None else None)
                for key in STATEMENT_KEYS
            ),
        )
        for quarter, tally in sorted(tallies.items(), reverse=True)
        if tally.answers >= MINIMUM_GROUP
    ]
