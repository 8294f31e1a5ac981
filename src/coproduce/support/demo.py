"""Demo data for support: the directory, six plans with six months of check-ins showing change, referrals in
every state, sharing choices and reads. Idempotent: a member who already has a plan is left as they are."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from coproduce.fund import api as fund
from coproduce.partnerships.demo import DEMO_SLUG, DemoContext
from coproduce.support import services
from coproduce.support.defaults import ensure_defaults
from coproduce.support.models import (
    BarrierRequest,
    CheckIn,
    Goal,
    NeedTag,
    OutcomeArea,
    PlanRead,
    Service,
    ServiceLocation,
    SupportPlan,
)

HUB = ("The hub, Mill Street", "12 Mill Street, Riverside", "RV1 4MS")

# organisation key, name, description, who for, how to get it, cost, languages, need keys, opening times
SERVICES: list[tuple[str, str, str, str, str, str, str, list[str], str]] = [
    (
        "college",
        "Maths and English in school hours",
        "Short, friendly courses between 9.30 and 2.30, with a crèche on site.",
        "Parents returning to learning",
        "Ask your keyworker, or drop in at the hub on a Tuesday.",
        "Free",
        "English, Polish, Urdu",
        ["skills", "confidence"],
        "Tue and Thu 9.30–2.30",
    ),
    (
        "college",
        "Digital skills drop-in",
        "Help with email, online forms and job sites, at your own pace.",
        "Anyone",
        "Just come along.",
        "Free",
        "English",
        ["skills", "job-search"],
        "Wed 10–12",
    ),
    (
        "childcare",
        "Short-notice childcare",
        "Sessions booked the day before, for interviews, courses and first weeks in work.",
        "Parents in the partnership",
        "Your keyworker books it for you.",
        "Free for the first 20 hours",
        "English",
        ["childcare"],
        "Mon–Fri 8–6",
    ),
    (
        "money",
        "Better-off-in-work check",
        "A worked-out comparison of your income in and out of work, including childcare costs.",
        "Anyone thinking about work or more hours",
        "Ask your keyworker for a referral, or phone.",
        "Free",
        "English, Arabic",
        ["money"],
        "Mon, Wed, Fri 9–4",
    ),
    (
        "charity",
        "Peer mentoring",
        "Meet a parent who has been where you are, once a week for eight weeks.",
        "Single parents",
        "Ask your keyworker.",
        "Free",
        "English",
        ["confidence", "health"],
        "By arrangement",
    ),
    (
        "council",
        "Work experience placements",
        "Two-to-six-week placements with local employers, in school hours.",
        "Parents ready to try work",
        "Through your keyworker.",
        "Free; travel paid",
        "English",
        ["job-search", "travel"],
        "Mon–Fri",
    ),
]

# member, keyworker, about (what matters, strengths, wants, barriers), goal, agreed ratings at month 0 and month 5
# Confidence, job search and skills are rated in at least five plans, so that the support figures page (which
# shows nothing about fewer than five people) has averages to show with the demo.
PLANS: list[tuple[str, str, tuple[str, str, str, str], str, dict[str, tuple[int, int]]]] = [
    (
        "aisha",
        "jamie",
        (
            "My two kids, and showing them that work can fit round them.",
            "Organised, good with people, four years in retail.",
            "A job that fits school hours.",
            "Childcare for the little one, confidence after a long gap.",
        ),
        "A part-time job in school hours by the summer",
        {"confidence": (3, 7), "childcare": (2, 6), "money": (4, 5), "skills": (4, 6), "job-search": (2, 6)},
    ),
    (
        "danielle",
        "jamie",
        (
            "Getting back on my feet.",
            "Patient, good at budgeting.",
            "Finish my maths qualification.",
            "Money worries and evening classes.",
        ),
        "Pass National 5 maths",
        {"skills": (3, 6), "money": (2, 5), "confidence": (4, 6), "job-search": (2, 4)},
    ),
    (
        "marta",
        "sam",
        (
            "My daughter's health.",
            "Bilingual, worked as a bookkeeper.",
            "Office work.",
            "Recognition of my qualifications.",
        ),
        "An office job using my bookkeeping",
        {"skills": (5, 7), "job-search": (3, 6), "work-experience": (2, 6), "confidence": (3, 6)},
    ),
    (
        "chloe",
        "sam",
        (
            "Being independent.",
            "Creative, hard-working.",
            "Work in hair and beauty.",
            "Travel: no car and one bus an hour.",
        ),
        "Start a hair and beauty course",
        {"travel": (2, 5), "confidence": (3, 5), "skills": (3, 5)},
    ),
    (
        "gemma",
        "jamie",
        ("My son's routine.", "Caring, reliable.", "Care work.", "Health ups and downs."),
        "A care job with steady shifts",
        {"health": (4, 6), "work-experience": (3, 5), "job-search": (3, 5), "confidence": (2, 5)},
    ),
    (
        "leanne",
        "sam",
        ("A home of our own.", "Determined.", "Any steady work.", "Housing, debts."),
        "Steady work and a move",
        {"money": (2, 4), "confidence": (3, 4), "job-search": (2, 4), "skills": (3, 5)},
    ),
]

# member, service name, parts shared, steps after "sent" (status, message)
REFERRALS: list[tuple[str, str, list[str], list[tuple[str, str]]]] = [
    (
        "aisha",
        "Maths and English in school hours",
        ["about", "goals"],
        [("accepted", "We have a place in the Tuesday group."), ("started", "")],
    ),
    (
        "aisha",
        "Short-notice childcare",
        ["about"],
        [("accepted", ""), ("started", ""), ("completed", "Twenty hours used for the course.")],
    ),
    ("aisha", "Better-off-in-work check", ["about", "goals"], []),
    (
        "danielle",
        "Maths and English in school hours",
        ["goals"],
        [("declined", "The Thursday group is full until May; we have put Danielle first on the list.")],
    ),
    (
        "marta",
        "Work experience placements",
        ["about", "goals", "actions"],
        [("accepted", "Placement at the council offices from next month.")],
    ),
    ("chloe", "Peer mentoring", ["about"], [("closed", "Chloe found a mentor through her course.")]),
    (
        "gemma",
        "Better-off-in-work check",
        ["about"],
        [("accepted", ""), ("started", ""), ("completed", "Gemma would be £74 a week better off.")],
    ),
    ("leanne", "Better-off-in-work check", [], []),
]


def _services(ctx: DemoContext) -> dict[str, Service]:
    partnership = ctx.partnerships[DEMO_SLUG]
    tags = {t.key: t for t in NeedTag.objects.filter(partnership=partnership)}
    result = {}
    for org_key, name, description, who_for, how, cost, languages, needs, hours in SERVICES:
        organisation = ctx.organisations[org_key]
        service, created = Service.objects.get_or_create(
            partnership=partnership,
            organisation=organisation,
            name=name,
            defaults={
                "description": description,
                "who_for": who_for,
                "how_to_get": how,
                "cost": cost,
                "is_free": cost.startswith("Free"),
                "languages": languages,
                "contact_name": "The hub team",
                "phone": "01234 500600",
                "email": "hub@riverside.example",
            },
        )
        if created:
            service.needs.set([tags[k] for k in needs if k in tags])
            ServiceLocation.objects.create(
                service=service, name=HUB[0], address=HUB[1], postcode=HUB[2], opening_times=hours
            )
        result[name] = service
    return result


def _plan(
    ctx: DemoContext,
    member_key: str,
    keyworker_key: str,
    about: tuple[str, str, str, str],
    goal_text: str,
    ratings: dict[str, tuple[int, int]],
    areas: dict[str, OutcomeArea],
) -> SupportPlan | None:
    member = ctx.memberships[(DEMO_SLUG, member_key)]
    keyworker = ctx.memberships[(DEMO_SLUG, keyworker_key)]
    if SupportPlan.objects.filter(partnership_id=member.partnership_id, member=member).exists():
        return None
    start = timezone.now() - datetime.timedelta(days=190)
    plan = services.plan_start(actor=keyworker, member=member)
    SupportPlan.objects.filter(pk=plan.pk).update(created_at=start)
    plan.refresh_from_db()
    services.plan_accept(actor=member, plan=plan)
    plan.refresh_from_db()
    what_matters, strengths, wants, barriers = about
    services.about_update(
        actor=member,
        plan=plan,
        version=plan.version,
        what_matters=what_matters,
        strengths=strengths,
        wants=wants,
        barriers=barriers,
    )
    today = timezone.localdate()
    goal = services.goal_create(
        actor=member, plan=plan, text=goal_text, why=wants, target_date=today + datetime.timedelta(days=120)
    )
    services.action_create(
        actor=keyworker,
        plan=plan,
        text="Book a place on a course",
        owner="keyworker",
        goal=goal,
        due=today + datetime.timedelta(days=7),
        with_member=True,
    )
    services.action_create(
        actor=member,
        plan=plan,
        text="Write down three jobs I would like",
        goal=goal,
        due=today - datetime.timedelta(days=3),
    )
    done = services.action_create(
        actor=member, plan=plan, text="Go to the hub open morning", due=today - datetime.timedelta(days=150)
    )
    services.action_update(actor=member, action=done, version=done.version, text=done.text, due=done.due, done=True)
    for month in range(6):
        date = (start + datetime.timedelta(days=30 * month + 5)).date()
        values = {}
        for key, (first, last) in ratings.items():
            agreed = round(first + (last - first) * month / 5)
            values[areas[key].pk] = (max(1, agreed - 1), agreed, agreed)
        checkin = services.checkin_create(
            actor=keyworker,
            plan=plan,
            date=date,
            notes=f"Month {month + 1}: talked it through at the hub.",
            ratings=values,
            with_member=True,
        )
        if month < 5:  # the latest waits for the member to agree
            services.checkin_agree(actor=member, checkin=checkin)
            CheckIn.objects.filter(pk=checkin.pk).update(
                agreed_at=timezone.make_aware(datetime.datetime.combine(date, datetime.time(12)))
            )
    return plan


def load(ctx: DemoContext) -> None:
    partnership = ctx.partnerships[DEMO_SLUG]
    ensure_defaults(partnership)
    for other in ctx.partnerships.values():
        ensure_defaults(other)
    service_by_name = _services(ctx)
    areas = {a.key: a for a in OutcomeArea.objects.filter(partnership=partnership)}
    made = {}
    for member_key, keyworker_key, about, goal_text, ratings in PLANS:
        plan = _plan(ctx, member_key, keyworker_key, about, goal_text, ratings, areas)
        if plan is not None:
            made[member_key] = plan
    if not made:
        return
    for member_key, service_name, parts, steps in REFERRALS:
        plan = made.get(member_key)
        if plan is None:
            continue
        member = ctx.memberships[(DEMO_SLUG, member_key)]
        referral = services.referral_create(
            actor=member,
            plan=plan,
            service=service_by_name[service_name],
            parts=parts,
            note="Referred with my keyworker.",
            member_agrees=True,
        )
        receiver = _receiver(ctx, service_by_name[service_name].organisation_id)
        for status, message in steps:
            actor = member if status == "closed" else receiver
            services.referral_move(
                actor=actor,
                referral=referral,
                status=status,
                message=message,
                reason=message if status == "declined" else "",
            )
    if "aisha" in made:
        aisha = ctx.memberships[(DEMO_SLUG, "aisha")]
        services.sharing_set(
            actor=aisha, plan=made["aisha"], organisation=ctx.organisations["childcare"], parts=["about", "team"]
        )
        euan = ctx.memberships[(DEMO_SLUG, "euan")]
        services.plan_read_record(reader=euan, plan=made["aisha"], parts=["about", "goals"], page="referral")
        PlanRead.objects.filter(plan=made["aisha"]).update(read_at=timezone.now() - datetime.timedelta(days=20))
        services.plan_read_record(
            reader=ctx.memberships[(DEMO_SLUG, "jamie")],
            plan=made["aisha"],
            parts=["about", "goals", "actions", "team", "checkins"],
            page="plan",
        )
    ctx.say(f"  support: {len(made)} plans with six months of check-ins, {len(REFERRALS)} referrals")


def _receiver(ctx: DemoContext, organisation_id: int) -> Any:
    staff = [
        m
        for (slug, _key), m in ctx.memberships.items()
        if slug == DEMO_SLUG and m.organisation_id == organisation_id and m.is_staff_role
    ]
    staff.sort(key=lambda m: not m.is_worker)  # a worker of the organisation, if it has one
    return staff[0]


# Money for barriers in Aisha's plan (issue 26): what for, category, pounds, the action it comes from, its goal
# (None: her plan's first goal), and what happened: paid, waiting (for a coordinator) or refused with a reason.
MONEY: list[tuple[str, str, int, str, str | None, str]] = [
    (
        "Bus pass for the first month of the new job",
        "travel",
        84_00,
        "Start the job at the garden centre",
        None,
        "paid",
    ),
    ("Nursery deposit for Amira", "childcare", 120_00, "Settle Amira at the nursery", None, "paid"),
    (
        "Interview clothes",
        "clothes",
        60_00,
        "Buy something to wear to the interview",
        "Go to interviews feeling ready",
        "paid",
    ),
    (
        "Laptop for the college course",
        "learning",
        320_00,
        "Start the college course in January",
        "Start the college course in January",
        "waiting",
    ),
    ("Taxis to interviews for a month", "travel", 140_00, "Get to three interviews", None, "refused"),
]
MONEY_REFUSAL = (
    "The bus pass already covers these journeys. If an interview is somewhere the bus does not go, ask again "
    "for that one taxi."
)


def load_money(ctx: DemoContext) -> None:
    """Aisha's requests for money for barriers, once the fund's demo has set aside this year's flexible pot:
    three paid, one waiting for a coordinator, one refused with a reason; the goal of one of them reached."""
    partnership = ctx.partnerships[DEMO_SLUG]
    aisha = ctx.memberships[(DEMO_SLUG, "aisha")]
    plan = SupportPlan.objects.filter(partnership=partnership, member=aisha).first()
    if plan is None or BarrierRequest.objects.filter(plan=plan).exists():
        return
    if fund.flexible_pot(partnership.pk) is None:
        ctx.say("  support: no flexible pot this year, so no money for barriers in the demo")
        return
    jamie = ctx.memberships[(DEMO_SLUG, "jamie")]
    first_goal = Goal.objects.filter(plan=plan).order_by("created_at", "id").first()
    goals: dict[str, Any] = {}
    today = timezone.localdate()
    met = None
    for what_for, category, pence, action_text, goal_text, outcome in MONEY:
        goal = first_goal
        if goal_text is not None:
            goal = goals.get(goal_text) or services.goal_create(actor=aisha, plan=plan, text=goal_text)
            goals[goal_text] = goal
        action = services.action_create(actor=aisha, plan=plan, text=action_text, goal=goal)
        request = services.barrier_ask(
            actor=jamie, plan=plan, action=action, category=category, what_for=what_for, amount_pence=pence
        )
        request = services.barrier_agree(actor=aisha, asked=request)
        if outcome == "refused":
            services.barrier_refuse(actor=jamie, asked=request, reason=MONEY_REFUSAL)
        elif outcome == "paid":
            request = services.barrier_approve(actor=jamie, asked=request)
            services.barrier_mark_paid(
                actor=jamie,
                asked=request,
                method="supplier" if category != "travel" else "card",
                paid_on=today,
                reference=f"DEMO-{request.pk}",
            )
            if goal_text is not None:
                met = goal
    if met is not None:
        services.goal_update(actor=aisha, goal=met, version=met.version, text=met.text, achieved=True)
    ctx.say("  support: Aisha's money for barriers: three paid, one waiting for a coordinator, one refused")
