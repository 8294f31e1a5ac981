"""Demo data for evaluation by parents, for the Riverside partnership (idempotent: each part checks what is
already there and adds nothing twice).

- **A year of answers for five services** from the partnership's wider group of parents. They are written
  directly, month by month over the last twelve months, because the parents who gave them are not demo people
  one can sign in as: online, on paper (each form with its number) and read out to a keyworker. Short-notice
  childcare scored low on "The support fitted my life" and "I got the support I needed" until the childcare
  provider tried evening and Saturday sessions six months ago (the test of change, with its measure following
  what parents said, is made through improvement's api); since then both are clearly higher, a shift its run
  chart shows. Work experience placements has few answers, so most of its quarters are merged into "Other
  services" by the small-groups rule. Some of the parents' words were shown to the services (with details
  taken out) by Morag.
- **This month, through the services**: Aisha answered about the maths and English course (she can see and
  withdraw it); Gemma's answer about the better-off-in-work check has a phone number in her words, waiting
  for Morag to check; Jamie entered a batch of six paper forms for peer mentoring and read Chloe's answers out
  with her; Morag asked one question of her own about short-notice childcare. The offers job then asks each
  parent about one thing she used (the events she came to first, as the oldest use), at most one a fortnight.
- **The parents' panel**: Aisha, Marta and Hannah; the quarter before last was reviewed and Little Steps
  responded with a promise (on the commitments board); last quarter's results are with the panel now, and
  Marta commented.
- **Two health checks**, in the spring and the autumn, where staff rate "Working Together" higher than
  members do.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from coproduce.core.exceptions import ServiceError
from coproduce.evaluation import services
from coproduce.evaluation.instrument import STANDARD_KEYS, STATEMENT_KEYS
from coproduce.evaluation.models import Answer, HealthCheck, PanelComment, Question, Remark, Response, Review, Subject
from coproduce.evaluation.services import health as health_services
from coproduce.evaluation.services.entry import answer_enter
from coproduce.improvement import api as improvement_api
from coproduce.partnerships.demo import DEMO_SLUG, DemoContext
from coproduce.partnerships.models import Membership

# The five services of the directory (support's demo) parents evaluate, with each statement's usual level.
CHILDCARE = "Short-notice childcare"
COURSE = "Maths and English in school hours"
MONEY = "Better-off-in-work check"
MENTORING = "Peer mentoring"
PLACEMENTS = "Work experience placements"

# service name -> (answers a month (fewest, most), the usual level of each statement)
LEVELS: dict[str, tuple[tuple[int, int], dict[str, float]]] = {
    COURSE: ((6, 9), {"listened": 4.2, "had_say": 3.7, "respect": 4.4, "fitted": 4.0, "needed": 3.9, "control": 3.6}),
    CHILDCARE: (
        (6, 9),
        {"listened": 3.8, "had_say": 3.1, "respect": 4.1, "fitted": 2.5, "needed": 2.7, "control": 3.0},
    ),
    MONEY: ((5, 8), {"listened": 4.4, "had_say": 3.9, "respect": 4.5, "fitted": 4.1, "needed": 4.2, "control": 4.0}),
    MENTORING: (
        (5, 8),
        {"listened": 4.6, "had_say": 4.2, "respect": 4.6, "fitted": 3.9, "needed": 3.8, "control": 4.1},
    ),
    PLACEMENTS: (
        (1, 4),
        {"listened": 3.6, "had_say": 3.0, "respect": 4.0, "fitted": 3.2, "needed": 3.4, "control": 3.3},
    ),
}
# After the test of change (six months ago), short-notice childcare fits parents' lives far better.
CHANGED_MONTHS = 6
AFTER_CHANGE = {"fitted": 4.2, "needed": 4.0, "control": 3.5}

SHOWN_WORDS: dict[str, list[tuple[str, str]]] = {
    COURSE: [
        ("keep", "Classes finishing before school pick-up. It is the only reason I could go."),
        ("change", "More notice when a class moves room."),
    ],
    CHILDCARE: [
        ("change", "I could never get a place for an interview in the evening."),
        ("keep", "The Saturday morning sessions mean I can do my course work."),
    ],
    MONEY: [("keep", "She went through every line with me and I finally understood my Universal Credit.")],
    MENTORING: [("keep", "Talking to someone who had been there. No judging.")],
}

TEST_TITLE = "Evening and Saturday short-notice childcare"
QUESTION = "It was easy to book a session at short notice"
PANEL = ("aisha", "marta", "hannah")
MEMBERS = ("aisha", "danielle", "marta", "chloe", "gemma", "leanne", "hannah", "zofia", "stacey", "nicola", "tom")
STAFF = ("morag", "jamie", "dev", "fiona", "sam", "priya", "liam", "euan")
HEALTH_CHECKS = (
    ("Partnership health check, spring 2026", 240),  # opened this many days ago, open for two weeks
    ("Partnership health check, autumn 2026", 50),
)


def _months_back(today: date, count: int) -> date:
    """The first day of the month ``count`` months before this one."""
    month = today.month - 1 - count
    return date(today.year + month // 12, month % 12 + 1, 1)


def _score(rng: random.Random, level: float) -> int | None:
    if rng.random() < 0.04:
        return None  # "I'd rather not say"
    return max(1, min(5, round(rng.gauss(level, 0.75))))


def _subjects(partnership_id: int) -> dict[str, Subject]:
    services.subjects_sync(partnership_id=partnership_id)
    return {s.name: s for s in Subject.objects.filter(partnership_id=partnership_id, kind=Subject.Kind.SERVICE)}


def _year_of_answers(ctx: DemoContext, subjects: dict[str, Subject], jamie: Any, morag: Any) -> None:
    partnership = ctx.partnerships[DEMO_SLUG]
    today = timezone.localdate()
    this_month = _months_back(today, 0)
    if Answer.objects.filter(partnership=partnership, period__lt=this_month).exists():
        return
    rng = random.Random(22)  # noqa: S311 (made-up answers, the same every time)
    answers: list[Answer] = []
    for name, ((fewest, most), levels) in LEVELS.items():
        subject = subjects[name]
        for back in range(12, 0, -1):
            period = _months_back(today, back)
            level = dict(levels)
            if name == CHILDCARE and back <= CHANGED_MONTHS:
                level.update(AFTER_CHANGE)
            for n in range(rng.randint(fewest, most)):
                roll = rng.random()
                mode = Answer.Mode.ONLINE if roll < 0.7 else Answer.Mode.PAPER if roll < 0.88 else Answer.Mode.READ_OUT
                answers.append(
                    Answer(
                        partnership=partnership,
                        subject=subject,
                        period=period,
                        mode=mode,
                        entered_by=None if mode == Answer.Mode.ONLINE else jamie,
                        paper_ref=f"{period:%y%m}-{subject.pk}-{n + 1}" if mode == Answer.Mode.PAPER else "",
                        created_at=timezone.make_aware(
                            datetime.combine(period + timedelta(days=rng.randint(1, 27)), time(11))
                        ),
                        **{key: _score(rng, level[key]) for key in STATEMENT_KEYS},
                    )
                )
    Answer.objects.bulk_create(answers)
    # Some of the parents' words, shown to the services by Morag.
    remarks = []
    for name, words in SHOWN_WORDS.items():
        given = list(Answer.objects.filter(subject=subjects[name], period__lt=this_month).order_by("period", "id"))
        for (kind, text), answer in zip(words, given[:: max(1, len(given) // len(words))], strict=False):
            remarks.append(
                Remark(
                    answer=answer,
                    kind=kind,
                    text=text,
                    status=Remark.Status.SHOWN,
                    shown_text=text,
                    moderated_by=morag,
                    moderated_at=answer.created_at + timedelta(days=2),
                )
            )
    Remark.objects.bulk_create(remarks)
    ctx.say(f"  evaluation: a year of answers ({len(answers)}) for {len(LEVELS)} services")


def _this_month(ctx: DemoContext, subjects: dict[str, Subject]) -> None:
    m = {key: ctx.memberships[(DEMO_SLUG, key)] for key in ("aisha", "gemma", "chloe", "jamie", "morag")}
    attempts: list[tuple[Any, dict[str, Any]]] = [
        (
            services.answer_give,
            {
                "actor": m["aisha"],
                "subject_id": subjects[COURSE].pk,
                "scores": {"listened": 5, "had_say": 4, "respect": 5, "fitted": 5, "needed": 4, "control": 4},
                "keep": "The tutor explains things more than once without making you feel stupid.",
            },
        ),
        (
            services.answer_give,
            {
                "actor": m["gemma"],
                "subject_id": subjects[MONEY].pk,
                "scores": {"listened": 5, "had_say": 4, "respect": 5, "fitted": 3, "needed": 4, "control": 4},
                "change": "Appointments after 3 would help. Phone me on 07700 900123 if you want to talk about it.",
            },
        ),
        (
            answer_enter,
            {
                "actor": m["jamie"],
                "subject_id": subjects[MENTORING].pk,
                "mode": Answer.Mode.READ_OUT,
                "member_id": m["chloe"].pk,
                "member_agreed": True,
                "scores": {"listened": 5, "had_say": 5, "respect": 5, "fitted": 4, "needed": 4, "control": 5},
            },
        ),
    ]
    rng = random.Random(2612)  # noqa: S311 (made-up answers)
    for n in range(6):  # a batch of paper forms from the peer mentoring group
        attempts.append(
            (
                answer_enter,
                {
                    "actor": m["jamie"],
                    "subject_id": subjects[MENTORING].pk,
                    "mode": Answer.Mode.PAPER,
                    "paper_ref": f"PM-{n + 1:03d}",
                    "scores": {key: _score(rng, LEVELS[MENTORING][1][key]) for key in STATEMENT_KEYS},
                },
            )
        )
    made = 0
    for call, kwargs in attempts:
        try:
            call(**kwargs)
            made += 1
        except ServiceError:  # given already (a second run of the demo), or not allowed: leave it
            continue
    if not Question.objects.filter(subject=subjects[CHILDCARE], text=QUESTION).exists():
        services.question_add(actor=m["morag"], subject_id=subjects[CHILDCARE].pk, text=QUESTION, kind="scale")
    if made:
        ctx.say(f"  evaluation: {made} answers this month, online, read out and on paper")


def _test_of_change(ctx: DemoContext, subjects: dict[str, Subject]) -> None:
    morag = ctx.memberships[(DEMO_SLUG, "morag")]
    if any(t.title == TEST_TITLE for t in improvement_api.tests_visible_to(morag)):
        return
    improvement_api.test_start_linked(
        actor=morag,
        title=TEST_TITLE,
        aim_what="Short-notice childcare fits parents' lives: sessions when interviews and courses are.",
        measure_name="Parents say short-notice childcare fitted their life",
        source_key="evaluation.statement",
        ref=f"{subjects[CHILDCARE].pk}:fitted",
        organisation_id=ctx.organisations["childcare"].pk,
        starts_on=_months_back(timezone.localdate(), CHANGED_MONTHS),
    )


def _panel(ctx: DemoContext, subjects: dict[str, Subject]) -> None:
    for key in PANEL:
        services.panel_join(actor=ctx.memberships[(DEMO_SLUG, key)])
    today = timezone.localdate()
    quarter = _months_back(today, (today.month - 1) % 3)  # the first day of this quarter
    last = _months_back(quarter, 3)  # the first day of the quarter before
    # The quarter before last: reviewed, released to the services, and answered by Little Steps.
    services.reviews_open(now=timezone.make_aware(datetime.combine(last + timedelta(days=1), time(6))))
    services.reviews_release_due(now=timezone.make_aware(datetime.combine(last + timedelta(days=9), time(6))))
    childcare = subjects[CHILDCARE]
    older = Review.objects.filter(subject=childcare, quarter_start=_months_back(last, 3)).first()
    liam = ctx.memberships[(DEMO_SLUG, "liam")]
    if older is not None and not Response.objects.filter(review=older).exists():
        services.response_write(
            actor=liam,
            review_id=older.pk,
            text=(
                "Thank you. Since the summer we open on Wednesday evenings and Saturday mornings, and parents can "
                "book the day before. We know evenings are still hard to get: we are training two more staff."
            ),
            promise="Add a second evening session on Mondays",
            promise_due=today + timedelta(days=60),
        )
    # Last quarter: with the panel now.
    services.reviews_open()
    latest = Review.objects.filter(subject=childcare, quarter_start=last).first()
    if latest is not None and not PanelComment.objects.filter(review=latest).exists():
        services.panel_comment_add(
            actor=ctx.memberships[(DEMO_SLUG, "marta")],
            review_id=latest.pk,
            text="Much better since the Saturday sessions. Evenings still fill up in a day.",
        )


def _health_checks(ctx: DemoContext) -> None:
    morag = ctx.memberships[(DEMO_SLUG, "morag")]
    rng = random.Random(7)  # noqa: S311 (made-up ratings)
    for title, days_ago in HEALTH_CHECKS:
        if HealthCheck.objects.filter(partnership=ctx.partnerships[DEMO_SLUG], title=title).exists():
            continue
        opens = timezone.localdate() - timedelta(days=days_ago)
        check = health_services.health_check_open(
            actor=morag, title=title, opens_on=opens, closes_on=opens + timedelta(days=14), today=opens
        )
        people: list[tuple[Membership, bool]] = [(ctx.memberships[(DEMO_SLUG, k)], False) for k in MEMBERS]
        people += [(ctx.memberships[(DEMO_SLUG, k)], True) for k in STAFF]
        for membership, staff in people:
            scores: dict[str, int | None] = {}
            for key in STANDARD_KEYS:
                level = 3.6 if staff else 3.3
                if key == "working_together":
                    level = 4.3 if staff else 2.8  # staff think the partnership works together better than members do
                scores[key] = _score(rng, level)
            health_services.health_answer(
                actor=membership, check_id=check.pk, scores=scores, today=opens + timedelta(days=3)
            )
        ctx.say(f"  evaluation: the health check '{title}'")


def load(ctx: DemoContext) -> None:
    partnership = ctx.partnerships[DEMO_SLUG]
    subjects = _subjects(partnership.pk)
    if not all(name in subjects for name in LEVELS):
        return  # support's demo directory is not there
    jamie = ctx.people["jamie"]
    morag = ctx.people["morag"]
    _year_of_answers(ctx, subjects, jamie, morag)
    _this_month(ctx, subjects)
    _test_of_change(ctx, subjects)
    _panel(ctx, subjects)
    _health_checks(ctx)
    services.offers_make()
