"""Demo tests of change for the Riverside partnership: one running (its attendance shows a shift), one
adopted (it grew out of the "one form" idea), one abandoned into the stop-doing register, and one practice
entered in the register directly. Idempotent: a test or entry already there (by its name) is left alone."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from coproduce.improvement import services
from coproduce.improvement.models import Measure, MemberCheck, Observation, StoppedPractice, TestOfChange
from coproduce.partnerships.demo import DEMO_SLUG, DemoContext

WEEKS = 16


def _weeks(count: int) -> list[date]:
    """``count`` Mondays, the last one at least a week ago."""
    today = timezone.localdate()
    last = today - timedelta(days=today.weekday() + 7)
    return [last - timedelta(weeks=count - 1 - i) for i in range(count)]


def _series(rng: random.Random, count: int, level: float, spread: float, change_at: int, step: float) -> list[float]:
    return [round(level + (step if i >= change_at else 0) + rng.uniform(-spread, spread)) for i in range(count)]


def _observe(measure: Measure, days: list[date], values: list[float], user_id: int) -> None:
    Observation.objects.bulk_create(
        [
            Observation(measure=measure, observed_on=day, value=Decimal(str(value)), entered_by_id=user_id)
            for day, value in zip(days, values, strict=True)
        ]
    )


def load(ctx: DemoContext) -> None:
    if (DEMO_SLUG, "jamie") not in ctx.memberships:
        return
    m = ctx.memberships
    jamie, aisha, sam, morag, kerry = (m[(DEMO_SLUG, k)] for k in ("jamie", "aisha", "sam", "morag", "kerry"))
    partnership_id = jamie.partnership_id
    existing = set(TestOfChange.objects.filter(partnership_id=partnership_id).values_list("title", flat=True))
    rng = random.Random(6)  # noqa: S311 (made-up figures, the same every time)
    days = _weeks(WEEKS)
    start = days[0]

    title = "Evening drop-in at the hub"
    if title not in existing:
        test = services.pdsa_create(
            actor=jamie,
            fields=services.TestFields(
                title=title,
                aim_what="More parents who work days get keywork support: the hub is only open 9 to 5.",
                aim_how_much="From about 6 to 12 parents a week",
                aim_by_when=days[-1] + timedelta(weeks=8),
                change_kind=TestOfChange.ChangeKind.TRY,
                change="Open the hub on Tuesday and Thursday evenings, 5 to 8, with a keyworker and a crèche.",
                predictions="Attendance rises within three weeks, mostly parents in work; daytime stays the same.",
                starts_on=start,
                ends_on=days[-1] + timedelta(weeks=4),
            ),
            people=[aisha, sam],
        )
        services.pdsa_stage_set(actor=jamie, test=test, stage=TestOfChange.Stage.DO)
        attendance = services.measure_create(
            actor=jamie,
            test=test,
            name="Parents at the hub per week",
            kind=Measure.Kind.OUTCOME,
            unit="parents",
            better=Measure.Better.HIGHER,
            source="Hub sign-in book, counted each Friday",
            baseline_points=8,
        )
        # Eight weeks before the evenings opened, eight since: a shift up.
        _observe(attendance, days, _series(rng, WEEKS, 6, 2, 8, 5), jamie.user_id)
        overtime = services.measure_create(
            actor=jamie,
            test=test,
            name="Keyworker overtime hours per week",
            kind=Measure.Kind.BALANCING,
            unit="hours",
            better=Measure.Better.LOWER,
            source="Rota",
        )
        _observe(overtime, days, _series(rng, WEEKS, 3, 2, 8, 0), jamie.user_id)
        for person, answer, words in [
            (aisha, MemberCheck.Answer.YES, "I can come after my shift now."),
            (m.get((DEMO_SLUG, "danielle"), kerry), MemberCheck.Answer.A_BIT, ""),
        ]:
            services.check_record(actor=person, test=test, answer=answer, words=words)

    title = "One shared starting form"
    if title not in existing:
        from coproduce.voice.api import idea_titled

        idea = idea_titled(partnership_id=partnership_id, title="One form instead of four")
        test = services.pdsa_create(
            actor=sam,
            fields=services.TestFields(
                title=title,
                aim_what="Parents tell their story once, not four times, and start support sooner.",
                aim_how_much="Days from first contact to first appointment down from about 12 to 5",
                aim_by_when=days[-1],
                change_kind=TestOfChange.ChangeKind.TRY,
                change="One starting form, filled in once with the parent and shared with the partners they choose.",
                predictions="Fewer repeated questions; the wait for a first appointment halves.",
                starts_on=start,
                ends_on=days[-2],
            ),
            people=[jamie, aisha],
            idea=idea,
        )
        wait = services.measure_create(
            actor=sam,
            test=test,
            name="Days to first appointment",
            kind=Measure.Kind.OUTCOME,
            unit="days",
            better=Measure.Better.LOWER,
            source="Referral log, median of the week's new parents",
            baseline_points=6,
        )
        _observe(wait, days, _series(rng, WEEKS, 12, 2, 6, -7), sam.user_id)
        services.study_record(
            actor=sam,
            test=test,
            notes="The wait fell from about 12 days to 5 from the third week, as predicted, and stayed there. "
            "Parents said they liked not repeating themselves.",
        )
        services.decision_record(
            actor=aisha,
            test=test,
            kind="adopt",
            reasons="Shorter waits and parents prefer it. Keep the shared form with all five partners.",
            review_on=timezone.localdate() + timedelta(days=90),
        )

    title = "Text reminders the day before appointments"
    if title not in existing:
        test = services.pdsa_create(
            actor=morag,
            fields=services.TestFields(
                title=title,
                aim_what="Fewer missed keywork appointments.",
                aim_how_much="From about 8 missed a week to 4",
                aim_by_when=days[-1],
                change_kind=TestOfChange.ChangeKind.TRY,
                change="An automatic text the day before each appointment.",
                predictions="Missed appointments halve within a month.",
                starts_on=start,
                ends_on=days[-3],
            ),
            people=[kerry],
        )
        missed = services.measure_create(
            actor=morag,
            test=test,
            name="Missed appointments per week",
            kind=Measure.Kind.OUTCOME,
            unit="appointments",
            better=Measure.Better.LOWER,
            source="Appointment diary",
        )
        _observe(missed, days[:12], _series(rng, 12, 8, 3, 12, 0), morag.user_id)
        services.check_record(
            actor=kerry,
            test=test,
            answer=MemberCheck.Answer.NO,
            words="The texts come from a number I don't know, so I ignored them.",
        )
        services.study_record(
            actor=morag,
            test=test,
            notes="No change in missed appointments after twelve weeks. Parents told us the reason they miss "
            "appointments is childcare falling through, not forgetting.",
        )
        services.decision_record(
            actor=morag,
            test=test,
            kind="abandon",
            reasons="The texts did not reduce missed appointments, and parents found them impersonal.",
            review_on=timezone.localdate() + timedelta(days=180),
        )

    what = "Asking for photo ID at every visit to the hub"
    if not StoppedPractice.objects.filter(partnership_id=partnership_id, what=what).exists():
        services.stopped_create(
            actor=kerry,
            what=what,
            why="Parents were turned away for forgetting it, and we already know who they are.",
            evidence="Four parents turned away in one month; none of the partners needs it.",
            decided_by="The partnership meeting in March",
            decided_on=days[4],
            replaced_by="ID checked once, at the first visit",
            review_on=timezone.localdate() + timedelta(days=60),
        )
