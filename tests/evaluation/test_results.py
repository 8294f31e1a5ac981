"""Results: figures computed in the database, shown only for groups of at least five answers, to those who
may see them. The small-groups rule is probed on every breakdown, including by subtraction."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from coproduce.core.exceptions import NotPermitted
from coproduce.evaluation.instrument import STATEMENT_KEYS
from coproduce.evaluation.models import Answer, PanelMember, Question, QuestionAnswer, Remark, Review, Subject
from coproduce.evaluation.selectors import (
    monthly_series,
    quarters_with_answers,
    results_csv_rows,
    results_overview,
    subject_results,
)
from coproduce.evaluation.selectors.results import Overview, Quarter, quarter_of
from coproduce.methods.suppression import MINIMUM_GROUP
from coproduce.partnerships.measures import measure_source
from tests.factories import MembershipFactory, OrganisationFactory, PartnershipFactory, staff_membership

pytestmark = pytest.mark.django_db

Q3 = Quarter(2026, 3)
JULY, AUGUST, SEPTEMBER = date(2026, 7, 1), date(2026, 8, 1), date(2026, 9, 1)


def subject(partnership: Any, name: str, organisation: Any = None) -> Subject:
    return Subject.objects.create(
        partnership=partnership, kind="service", source_key=f"test:{name}", name=name, organisation=organisation
    )


_paper = iter(range(10**6))


def answers(
    subject: Subject, n: int, *, period: date = JULY, score: int | None = 4, mode: str = "online", **scores: Any
) -> list[Answer]:
    """``n`` answers (bulk, one query), every statement scored ``score`` unless given in ``scores``."""
    values = {**dict.fromkeys(STATEMENT_KEYS, score), **scores}
    made = [
        Answer(
            partnership_id=subject.partnership_id,
            subject=subject,
            period=period,
            mode=mode,
            paper_ref=f"B-{next(_paper)}" if mode == "paper" else "",
            **values,
        )
        for _ in range(n)
    ]
    return Answer.objects.bulk_create(made)


@pytest.fixture
def world() -> dict[str, Any]:
    partnership = PartnershipFactory()
    north = OrganisationFactory(partnership=partnership, name="North Family Support")
    south = OrganisationFactory(partnership=partnership, name="South Advice")
    return {
        "partnership": partnership,
        "north": north,
        "south": south,
        "coordinator": staff_membership(partnership, role="coordinator", organisation=north, mfa=False),
        "north_worker": staff_membership(partnership, role="worker", organisation=north, mfa=False),
        "south_lead": staff_membership(partnership, role="partner_lead", organisation=south, mfa=False),
        "member": MembershipFactory(partnership=partnership, is_member=True),
    }


def release(subject: Subject, quarter: Quarter, *, released: bool = True) -> Review:
    now = timezone.now()
    return Review.objects.create(
        subject=subject,
        quarter_start=quarter.start,
        opened_at=now - timedelta(days=20),
        panel_until=now - timedelta(days=1) if released else now + timedelta(days=10),
    )


def assert_safe(overview: Overview) -> None:
    """The rule, read from the overview as anyone could: each group shown has 5 or more, and every total minus
    the groups shown of it is 0 or at least 5."""
    if overview.nothing_shown:
        assert overview.partnership is None and not overview.subjects and not overview.modes
        return
    assert overview.partnership is not None
    total = overview.partnership.answers
    assert total >= MINIMUM_GROUP
    shown = [row.answers for row in overview.subjects]
    assert all(n >= MINIMUM_GROUP for n in shown)
    other = overview.other.answers if overview.other else 0
    if overview.whole_partnership:
        assert total - sum(shown) == other
    assert other == 0 or other >= MINIMUM_GROUP
    for organisation in overview.organisations:
        assert organisation.answers == sum(
            r.answers for r in overview.subjects if r.organisation_id == organisation.organisation_id
        )
    modes = [row.answers for row in overview.modes]
    assert all(n >= MINIMUM_GROUP for n in modes)
    assert sum(modes) == total


# --- subjects, organisations, the partnership --------------------------------------------------------------


def test_a_small_subject_is_merged_and_the_smallest_shown_joins_it(world: dict[str, Any]) -> None:
    p, north, south = world["partnership"], world["north"], world["south"]
    big, middling, small = subject(p, "Big", north), subject(p, "Middling", north), subject(p, "Small", south)
    answers(big, 12)
    answers(middling, 6, period=AUGUST)
    answers(small, 2, period=SEPTEMBER)
    overview = results_overview(world["coordinator"], quarter=Q3)
    assert_safe(overview)
    assert [(r.label, r.answers) for r in overview.subjects] == [("Big", 12)]
    assert overview.other is not None and overview.other.answers == 8
    assert overview.partnership is not None and overview.partnership.answers == 20
    # North's figure is its shown subjects only: Middling (merged) is in no organisation's figure.
    assert [(r.label, r.answers) for r in overview.organisations] == [("North Family Support", 12)]


def test_a_quarter_under_five_shows_nothing(world: dict[str, Any]) -> None:
    answers(subject(world["partnership"], "Only", world["north"]), 4)
    overview = results_overview(world["coordinator"], quarter=Q3)
    assert overview.nothing_shown
    assert_safe(overview)
    assert results_csv_rows(world["coordinator"]) == []


@pytest.mark.parametrize(
    "sizes",
    [(5,), (4, 1), (5, 4), (5, 5, 4), (6, 3, 1), (9, 9, 1, 1), (5, 1, 1, 1, 1, 1), (7, 2, 2, 6, 30), (3, 3)],
)
def test_every_mix_of_sizes_keeps_the_rule(world: dict[str, Any], sizes: tuple[int, ...]) -> None:
    p = world["partnership"]
    for i, n in enumerate(sizes):
        answers(subject(p, f"S{i}", world["north"] if i % 2 else world["south"]), n, period=[JULY, AUGUST][i % 2])
    overview = results_overview(world["coordinator"], quarter=Q3)
    assert_safe(overview)
    assert overview.nothing_shown == (sum(sizes) < MINIMUM_GROUP)


def test_how_answers_came_is_one_breakdown_with_the_same_rule(world: dict[str, Any]) -> None:
    s = subject(world["partnership"], "Drop-in", world["north"])
    answers(s, 20, score=4)
    answers(s, 6, mode="paper", score=2)
    answers(s, 2, mode="read_out", score=5)
    overview = results_overview(world["coordinator"], quarter=Q3)
    assert_safe(overview)
    # Read out (2) cannot stand alone; paper (6) is the smallest shown, so it joins it: "Other ways" of 8.
    assert [(r.mode, r.answers) for r in overview.modes] == [("online", 20), ("other", 8)]
    assert overview.modes[1].figure("listened").mean == Decimal("2.75")  # (6 × 2 + 2 × 5) / 8


# --- statements, "rather not say", agreeing --------------------------------------------------------------


def test_a_statement_scored_by_fewer_than_five_has_no_mean(world: dict[str, Any]) -> None:
    s = subject(world["partnership"], "Drop-in", world["north"])
    answers(s, 4, listened=5, control=None)
    answers(s, 4, listened=None, control=2)
    overview = results_overview(world["coordinator"], quarter=Q3)
    row = overview.subjects[0]
    assert row.answers == 8
    assert row.figure("listened").mean is None  # 4 scores, 4 would rather not say
    assert row.figure("control").mean is None
    assert row.figure("respect").mean == Decimal("4.00")
    found = subject_results(world["coordinator"], s.pk, quarter=Q3)
    by_key = {st.key: st for st in found.statements}
    assert by_key["listened"].mean is None and by_key["listened"].agree_share is None
    # Nothing says how many gave a score: the 4 who would rather not say are a group under 5.
    assert not hasattr(by_key["listened"], "n")


def test_the_share_agreeing_is_shown_when_both_sides_are_five_or_more(world: dict[str, Any]) -> None:
    s = subject(world["partnership"], "Drop-in", world["north"])
    answers(s, 7, score=4, needed=2)
    answers(s, 5, score=2, needed=4)
    answers(s, 3, score=5, needed=1)
    by_key = {st.key: st for st in subject_results(world["coordinator"], s.pk, quarter=Q3).statements}
    assert by_key["listened"].agree_share == 67  # 10 of 15 agree, 5 do not
    assert by_key["needed"].agree_share == 33  # 5 of 15


def test_agree_share_suppressed_when_those_not_agreeing_are_few(world: dict[str, Any]) -> None:
    s = subject(world["partnership"], "Drop-in", world["north"])
    answers(s, 10, score=5)
    answers(s, 2, score=1)
    by_key = {st.key: st for st in subject_results(world["coordinator"], s.pk, quarter=Q3).statements}
    assert by_key["listened"].agree_share is None
    assert by_key["listened"].mean == Decimal("4.33")  # (50 + 2) / 12
    assert by_key["listened"].mean_one_place == Decimal("4.3")


# --- the coordinator's questions, free text ----------------------------------------------------------------


def test_a_question_has_a_figure_only_with_five_scores(world: dict[str, Any]) -> None:
    s = subject(world["partnership"], "Drop-in", world["north"])
    often = Question.objects.create(subject=s, text="Was the room warm?", position=1)
    rarely = Question.objects.create(subject=s, text="Was the crèche good?", position=2)
    given = answers(s, 9)
    QuestionAnswer.objects.bulk_create(
        [QuestionAnswer(answer=a, question=often, score=3) for a in given[:5]]
        + [QuestionAnswer(answer=a, question=rarely, score=5) for a in given[:4]]
        + [QuestionAnswer(answer=a, question=rarely, score=None) for a in given[4:]]
    )
    questions = {q.question_id: q for q in subject_results(world["coordinator"], s.pk, quarter=Q3).questions}
    assert questions[often.pk].mean == Decimal("3.00")
    assert questions[rarely.pk].mean is None


def test_free_text_only_once_shown_and_only_for_a_shown_subject_quarter(world: dict[str, Any]) -> None:
    p = world["partnership"]
    shown_subject, merged_subject = subject(p, "Shown", world["north"]), subject(p, "Merged", world["north"])
    a = answers(shown_subject, 10)
    b = answers(merged_subject, 3)
    answers(subject(p, "Also merged", world["south"]), 2)
    Remark.objects.create(
        answer=a[0], kind="keep", text="Jo was kind", status="shown", shown_text="The worker was kind"
    )
    Remark.objects.create(answer=a[1], kind="change", text="Waiting", status="waiting")
    Remark.objects.create(answer=a[2], kind="change", text="No", status="hidden")
    Remark.objects.create(answer=b[0], kind="keep", text="Fine", status="shown", shown_text="Fine")
    found = subject_results(world["coordinator"], shown_subject.pk, quarter=Q3)
    assert [(r.kind, r.text) for r in found.remarks] == [("keep", "The worker was kind")]
    merged = subject_results(world["coordinator"], merged_subject.pk, quarter=Q3)
    assert not merged.shown and merged.answers is None and merged.remarks == ()
    assert all(st.mean is None for st in merged.statements)


# --- months and run charts -------------------------------------------------------------------------------


def test_a_month_is_a_point_only_with_five_scores(world: dict[str, Any]) -> None:
    s = subject(world["partnership"], "Drop-in", world["north"])
    answers(s, 5, period=JULY, score=3)
    answers(s, 4, period=AUGUST, score=5)
    answers(s, 5, period=SEPTEMBER, score=4, control=None)
    series = monthly_series(world["partnership"].pk, s.pk)
    assert series["listened"] == [(JULY, 3.0), (SEPTEMBER, 4.0)]
    assert series["control"] == [(JULY, 3.0)]


def test_a_falling_statement_is_flagged_and_a_low_one_too(world: dict[str, Any]) -> None:
    s = subject(world["partnership"], "Drop-in", world["north"])
    # Twelve months, "listened" falling every month from 4.6 over the last five; "fitted" low all along.
    for i in range(12):
        month = date(2025 + (9 + i) // 12, (9 + i) % 12 + 1, 1)
        answers(s, 5, period=month, score=4, fitted=3, listened=([5] * 7 + [4, 4, 3, 2, 1])[i])
    last = quarter_of(date(2026, 8, 1))
    found = subject_results(world["coordinator"], s.pk, quarter=last)
    by_key = {st.key: st for st in found.statements}
    assert by_key["listened"].flag == "falling"
    assert by_key["listened"].chart.signals
    assert by_key["fitted"].flag == "low"
    assert by_key["respect"].flag == ""
    assert {st.key for st in found.flagged} == {"listened", "fitted"}


def test_the_measure_source_reads_the_same_points(world: dict[str, Any]) -> None:
    s = subject(world["partnership"], "Drop-in", world["north"])
    answers(s, 5, period=JULY, score=3)
    answers(s, 2, period=AUGUST, score=3)
    source = measure_source("evaluation.statement")
    assert source is not None
    points = source.points(world["partnership"].pk, f"{s.pk}:listened")
    assert [(p.on, p.value) for p in points] == monthly_series(world["partnership"].pk, s.pk)["listened"]
    assert source.describe(world["partnership"].pk, f"{s.pk}:listened") == "Drop-in: I was listened to"
    assert source.points(world["partnership"].pk, f"{s.pk}:nonsense") == []
    assert source.describe(PartnershipFactory().pk, f"{s.pk}:listened") == ""


# --- the export ------------------------------------------------------------------------------------------


def test_the_csv_rows_are_the_overviews_rows(world: dict[str, Any]) -> None:
    p = world["partnership"]
    a, b, c = subject(p, "A", world["north"]), subject(p, "B", world["south"]), subject(p, "C", world["south"])
    answers(a, 9, period=JULY, score=3)
    answers(b, 6, period=AUGUST, score=5)
    answers(c, 2, period=AUGUST)
    answers(a, 5, period=date(2026, 10, 1), score=2)
    rows = results_csv_rows(world["coordinator"])
    for quarter in (Q3, Quarter(2026, 4)):
        overview = results_overview(world["coordinator"], quarter=quarter)
        expected = [*overview.subjects, *([overview.other] if overview.other else [])]
        mine = [r for r in rows if r["quarter"] == quarter.code]
        assert [(r["service"], int(r["answers"])) for r in mine] == [(e.label, e.answers) for e in expected]
        for r, e in zip(mine, expected, strict=True):
            assert r["mean_listened"] == f"{e.figure('listened').mean}"
    assert all(int(r["answers"]) >= MINIMUM_GROUP for r in rows)
    assert rows[0] == {
        "quarter": "2026-Q3",
        "service": "A",
        "organisation": "North Family Support",
        "answers": "9",
        **{f"mean_{k}": "3.00" for k in STATEMENT_KEYS},
    }


# --- withdrawing -----------------------------------------------------------------------------------------


def test_withdrawing_an_answer_changes_every_figure(world: dict[str, Any]) -> None:
    p = world["partnership"]
    s, t = subject(p, "Drop-in", world["north"]), subject(p, "Group", world["north"])
    answers(s, 5, score=4)
    answers(t, 5, score=2)
    mine = answers(s, 1, score=1, mode="online")[0]
    before = results_overview(world["coordinator"], quarter=Q3)
    series_before = monthly_series(p.pk, s.pk)
    csv_before = results_csv_rows(world["coordinator"])
    Answer.objects.filter(pk=mine.pk).delete()  # what withdrawing does
    after = results_overview(world["coordinator"], quarter=Q3)
    assert before.partnership is not None and after.partnership is not None
    assert (before.partnership.answers, after.partnership.answers) == (11, 10)
    assert before.subjects[0].answers == 6 and after.subjects[0].answers == 5
    assert before.subjects[0].figure("listened").mean == Decimal("3.50")
    assert after.subjects[0].figure("listened").mean == Decimal("4.00")
    assert before.organisations[0].answers == 11 and after.organisations[0].answers == 10
    assert before.modes[0].answers == 11 and after.modes[0].answers == 10
    assert series_before["listened"] == [(JULY, 3.5)] and monthly_series(p.pk, s.pk)["listened"] == [(JULY, 4.0)]
    assert results_csv_rows(world["coordinator"]) != csv_before


# --- who sees what --------------------------------------------------------------------------------------


def test_staff_see_their_services_only_once_released(world: dict[str, Any]) -> None:
    p = world["partnership"]
    ours, theirs = subject(p, "Ours", world["north"]), subject(p, "Theirs", world["south"])
    answers(ours, 6)
    answers(theirs, 6)
    worker = world["north_worker"]
    assert quarters_with_answers(worker) == []
    with pytest.raises(NotPermitted):
        results_overview(worker, quarter=Q3)
    with pytest.raises(NotPermitted):
        subject_results(worker, ours.pk, quarter=Q3)
    review = release(ours, Q3, released=False)
    with pytest.raises(NotPermitted):
        results_overview(worker, quarter=Q3)
    review.released_at = timezone.now()
    review.save()
    release(theirs, Q3)
    assert quarters_with_answers(worker) == [Q3]
    overview = results_overview(worker)
    assert overview.quarter == Q3 and not overview.whole_partnership
    assert [r.label for r in overview.subjects] == ["Ours"]
    assert [r.label for r in overview.organisations] == ["North Family Support"]
    assert subject_results(worker, ours.pk).shown
    with pytest.raises(NotPermitted):
        subject_results(worker, theirs.pk, quarter=Q3)
    assert [r["service"] for r in results_csv_rows(worker)] == ["Ours"]


def test_staff_charts_stop_at_the_last_released_quarter(world: dict[str, Any]) -> None:
    s = subject(world["partnership"], "Ours", world["north"])
    answers(s, 5, period=JULY)
    answers(s, 5, period=date(2026, 10, 1))
    release(s, Q3)
    found = subject_results(world["north_worker"], s.pk)
    assert [pt.month for pt in found.statements[0].chart.points] == [JULY]
    assert len(subject_results(world["coordinator"], s.pk, quarter=Q3).statements[0].chart.points) == 2


def test_panel_members_see_everything_and_other_members_nothing(world: dict[str, Any]) -> None:
    s = subject(world["partnership"], "Ours", world["north"])
    answers(s, 5)
    member = world["member"]
    with pytest.raises(NotPermitted):
        results_overview(member, quarter=Q3)
    with pytest.raises(NotPermitted):
        subject_results(member, s.pk, quarter=Q3)
    with pytest.raises(NotPermitted):
        results_csv_rows(member)
    PanelMember.objects.create(partnership=world["partnership"], user=member.user)
    member.refresh_from_db()
    member.__dict__.pop("_evaluation_panel", None)
    assert results_overview(member, quarter=Q3).subjects[0].label == "Ours"


def test_a_subject_of_another_partnership_is_out_of_reach(world: dict[str, Any]) -> None:
    elsewhere = subject(PartnershipFactory(), "Elsewhere")
    with pytest.raises(NotPermitted):
        subject_results(world["coordinator"], elsewhere.pk, quarter=Q3)


# --- quarters --------------------------------------------------------------------------------------------


def test_quarters_parse_and_read() -> None:
    assert Quarter.parse("2026-Q3") == Q3
    assert (Q3.start, Q3.end, Q3.after) == (JULY, date(2026, 9, 30), date(2026, 10, 1))
    assert Q3.label == "July to September 2026"
    assert Quarter(2026, 4).next() == Quarter(2027, 1) and Quarter(2027, 1).previous() == Quarter(2026, 4)
    assert quarter_of(date(2026, 12, 31)) == Quarter(2026, 4)
    for bad in ("2026-Q5", "2026Q3", "", "Q3-2026"):
        with pytest.raises(ValueError):
            Quarter.parse(bad)


# --- constant queries -------------------------------------------------------------------------------------


@pytest.mark.parametrize("per_month", [5, 60])
def test_queries_do_not_grow_with_answers(
    world: dict[str, Any], per_month: int, django_assert_max_num_queries: Any
) -> None:
    p = world["partnership"]
    subjects = [subject(p, f"S{i}", world["north"]) for i in range(4)]
    for s in subjects:
        for month in (JULY, AUGUST, SEPTEMBER):
            answers(s, per_month, period=month)
    question = Question.objects.create(subject=subjects[0], text="Was it warm?", position=1)
    QuestionAnswer.objects.bulk_create(
        [QuestionAnswer(answer=a, question=question, score=4) for a in Answer.objects.filter(subject=subjects[0])]
    )
    coordinator = world["coordinator"]
    with django_assert_max_num_queries(4):
        results_overview(coordinator, quarter=Q3)
    with django_assert_max_num_queries(7):
        subject_results(coordinator, subjects[0].pk, quarter=Q3)
    with django_assert_max_num_queries(3):
        results_csv_rows(coordinator)
