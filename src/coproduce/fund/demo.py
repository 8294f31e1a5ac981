"""Demo data for the fund: the five partners' contributions, one finished round with its results, awards,
payments (one award half paid, the rest in full) and a spend update, one round open for voting, and this
year's flexible money for parents' barriers (£5,000, limits £150 / £500, £1,000 a parent, five categories)
with one staff member's declared interest in a supplier. Idempotent: a second run adds nothing twice.

Ballots go through the same service as a person's vote, while the round is open; the finished round's
dates are then moved into the past (demo only), and its results worked out at once."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from coproduce.fund import services
from coproduce.fund.models import Contribution, FlexiblePot, InterestDeclaration, Proposal, Round
from coproduce.fund.services import flexible
from coproduce.partnerships.demo import DEMO_SLUG, DemoContext
from coproduce.partnerships.models import Membership
from coproduce.voice.api import Idea, idea_titled

# organisation key, recorded by, kind, description, pounds, received
CONTRIBUTIONS = [
    ("council", "morag", "money", "Parental employability fund 2026/27", 20000, True),
    ("college", "dev", "money", "Flexible fund for short courses", 5000, True),
    ("college", "dev", "in_kind", "80 hours of tutor time", 3200, True),
    ("charity", "fiona", "money", "Lone-parent grant from a trust", 2500, False),
    ("charity", "fiona", "in_kind", "The Mill Street hub room, two days a week for a year", 1800, True),
    ("childcare", "morag", "in_kind", "Short-notice childcare places for interviews", 4000, True),
    ("money", "morag", "money", "Better-off-in-work calculations budget", 1000, True),
]

# Named without a season or year: the demo's dates are worked out from the day it is made (the finished round
# voted in the two weeks before, the open one votes in the two weeks after), so a season in the name would
# soon be out of step with them.
FINISHED = "First round: small projects into work"
OPEN = "Second round: parents choose"
# What the same rounds were called before: a demo made then is not given them a second time.
EARLIER_TITLES = {FINISHED: "Spring 2026 round", OPEN: "Autumn 2026 round"}

# key, proposer, title, beneficiaries, cost in pounds, organisation key or None, feasible
FINISHED_PROPOSALS = [
    (
        "creche",
        "aisha",
        "A crèche at the job fair",
        "Parents of toddlers going to the job fair",
        1800,
        "childcare",
        True,
    ),
    ("bus", "marta", "Bus passes for the first month of a new job", "Parents starting work", 3000, "council", True),
    ("taster", "chloe", "Taster afternoons at the college", "Parents thinking about a course", 1200, "college", True),
    ("laptops", "gemma", "Laptop loans for online courses", "Parents without a computer at home", 2500, None, True),
    ("evening", "jamie", "Evening drop-in at the hub", "Parents working daytime shifts", 2200, "charity", True),
    ("cafe", "tom", "A café at the hub", "Everyone using the hub", 6500, None, False),
]
# Who backed what in the finished round (members, and staff with equal weight).
FINISHED_BALLOTS = {
    "aisha": ["creche", "taster"],
    "danielle": ["creche", "bus"],
    "marta": ["bus"],
    "chloe": ["taster", "laptops"],
    "gemma": ["laptops", "evening"],
    "leanne": ["bus", "creche"],
    "hannah": ["bus"],
    "zofia": ["laptops"],
    "stacey": ["bus", "evening"],
    "nicola": ["bus", "creche"],
    "kerry": ["evening", "creche"],
    "jamie": ["evening"],
    "sam": ["bus"],
}
OPEN_PROPOSALS = [
    ("interview-clothes", "danielle", "Interview clothes bank", "Parents going to interviews", 1500, "charity"),
    ("driving", "leanne", "Driving lessons towards a first job", "Parents in villages without buses", 4000, None),
    ("it-course", "euan", "Digital skills course in school hours", "Parents returning to work", 2500, "college"),
    ("holiday-club", "liam", "Holiday club places during courses", "Parents on college courses", 3500, "childcare"),
]
OPEN_BALLOTS = {
    "danielle": ["interview-clothes", "holiday-club"],
    "leanne": ["driving"],
    "hannah": ["holiday-club", "it-course"],
    "stacey": ["interview-clothes"],
}


def _m(ctx: DemoContext, key: str) -> Membership:
    return ctx.memberships[(DEMO_SLUG, key)]


def _contributions(ctx: DemoContext) -> None:
    partnership = ctx.partnerships[DEMO_SLUG]
    if Contribution.objects.filter(partnership=partnership).exists():
        return
    for org_key, who, kind, description, pounds, received in CONTRIBUTIONS:
        services.contribution_record(
            actor=_m(ctx, who),
            organisation=ctx.organisations[org_key],
            kind=kind,
            description=description,
            value_pence=pounds * 100,
            received=received,
        )
    ctx.say(f"  {len(CONTRIBUTIONS)} contributions to the fund")


def _settings(title: str, budget: int, *, start: datetime, voters: str, description: str) -> services.RoundSettings:
    day = timedelta(days=1)
    return services.RoundSettings(
        title=title,
        description=description,
        budget_pence=budget * 100,
        ballot_kind=Round.Kind.APPROVAL,
        min_choices=1,
        max_choices=3,
        within_budget=False,
        points=10,
        voters=voters,
        completion=Round.Completion.ADD1,
        proposals_from=start,
        review_from=start + 7 * day,
        voting_from=start + 14 * day,
        results_from=start + 28 * day,
        delivery_from=start + 35 * day,
    )


def _move(round_: Round, *, to_phase_start: str, now: datetime) -> None:
    """Demo only: shift the round's dates so that ``to_phase_start`` began a moment ago."""
    shift = now - getattr(round_, to_phase_start) - timedelta(minutes=1)
    fields = ["proposals_from", "review_from", "voting_from", "results_from", "delivery_from"]
    Round.objects.filter(pk=round_.pk).update(**{f: getattr(round_, f) + shift for f in fields})
    round_.refresh_from_db()


# Proposals that grew out of ideas in the voice demo (matched by the idea's title, if it is there and visible).
FROM_IDEAS = {
    "creche": "A crèche at the job fair",
    "bus": "Bus passes for the first month of a new job",
    "taster": "Taster sessions before signing up for a course",
    "evening": "Evening drop-in at the hub",
}


def _idea(round_: Round, key: str) -> Idea | None:
    title = FROM_IDEAS.get(key)
    if title is None:
        return None
    return idea_titled(partnership_id=round_.partnership_id, title=title)


def _proposals(ctx: DemoContext, round_: Round, rows: list[tuple[Any, ...]], *, reviewer: str) -> dict[str, Proposal]:
    made: dict[str, Proposal] = {}
    for key, who, title, beneficiaries, pounds, org_key, *_rest in rows:
        made[key] = services.proposal_create(
            actor=_m(ctx, who),
            round_=round_,
            title=title,
            description=f"{title}: proposed by a {'worker' if who in ('jamie', 'euan', 'liam') else 'parent'} "
            f"for {beneficiaries.lower()}.",
            beneficiaries=beneficiaries,
            cost_pence=pounds * 100,
            has_conflict=who in ("jamie", "euan", "liam"),
            conflict_details="I work for the organisation that would run it."
            if who in ("jamie", "euan", "liam")
            else "",
            delivered_by=ctx.organisations[org_key] if org_key else None,
            idea=_idea(round_, key),
        )
    now = timezone.now()
    _move(round_, to_phase_start="review_from", now=now)
    for key, who, _title, _who_benefits, _pounds, _org, *rest in rows:
        feasible = bool(rest[0]) if rest else True
        proposal = made[key]
        checker = reviewer if who != reviewer else "sam"
        services.proposal_review(
            actor=_m(ctx, checker),
            proposal=proposal,
            feasible=feasible,
            cost_pence=proposal.cost_pence,
            reason="The partner who would run it confirmed the cost and that it can start within a month."
            if feasible
            else "A café needs a food hygiene certificate and a kitchen the hub does not have; the real cost would be "
            "far above the £6,500 asked once those are added.",
        )
    _move(round_, to_phase_start="voting_from", now=timezone.now())
    return made


def _vote(ctx: DemoContext, round_: Round, proposals: dict[str, Proposal], ballots: dict[str, list[str]]) -> None:
    for who, keys in ballots.items():
        services.ballot_submit(
            actor=_m(ctx, who),
            round_=round_,
            choices={proposals[k].pk: 1 for k in keys},
        )


# slug, name, examples (the pot's categories: what flexible money may pay for)
BARRIER_CATEGORIES = [
    ("travel", "Travel", "Bus pass for the first month of a new job"),
    ("childcare", "Childcare", "Nursery deposit, childminder's registration fee"),
    ("clothes", "Clothes", "Interview clothes"),
    ("learning", "Learning", "Laptop or books for a course"),
    ("other", "Other", "Anything else that stops a parent taking a step, agreed with a coordinator"),
]
DECLARED_INTEREST = ("jamie", "Mill Street Nursery")


def _flexible(ctx: DemoContext) -> None:
    partnership = ctx.partnerships[DEMO_SLUG]
    coordinator = _m(ctx, "morag")
    starts_on, ends_on = flexible.year_for(timezone.localdate())
    pot = FlexiblePot.objects.filter(partnership=partnership, starts_on=starts_on).first()
    if pot is None:
        pot = flexible.pot_create(
            actor=coordinator,
            settings=flexible.PotSettings(
                starts_on=starts_on,
                ends_on=ends_on,
                set_aside_pence=5000_00,
                keyworker_limit_pence=150_00,
                coordinator_limit_pence=500_00,
                yearly_cap_pence=1000_00,
            ),
        )
        ctx.say("  this year's flexible money for parents' barriers")
    have = set(pot.categories.values_list("slug", flat=True))
    for slug, name, examples in BARRIER_CATEGORIES:
        if slug not in have:
            flexible.category_add(actor=coordinator, pot=pot, name=name, examples=examples, slug=slug)
    key, supplier = DECLARED_INTEREST
    staff = _m(ctx, key)
    if not InterestDeclaration.objects.filter(membership=staff).exists():
        flexible.interest_declare(actor=staff, supplier=supplier)


def load(ctx: DemoContext) -> None:
    partnership = ctx.partnerships.get(DEMO_SLUG)
    if partnership is None:
        return
    _contributions(ctx)
    coordinator = _m(ctx, "morag")
    now = timezone.now()
    if not Round.objects.filter(partnership=partnership, title__in=[FINISHED, EARLIER_TITLES[FINISHED]]).exists():
        round_ = services.round_create(
            actor=coordinator,
            settings_=_settings(
                FINISHED,
                8000,
                start=now,
                voters=Round.Voters.MEMBERS_AND_STAFF,
                description="Small projects that help parents into work, chosen by parents and staff together.",
            ),
        )
        proposals = _proposals(ctx, round_, FINISHED_PROPOSALS, reviewer="jamie")
        _vote(ctx, round_, proposals, FINISHED_BALLOTS)
        _move(round_, to_phase_start="results_from", now=timezone.now())
        snapshot = services.results_request(round_=round_)
        if snapshot is not None:
            services.results_compute(snapshot_id=snapshot.pk)
        awards = services.awards_make(actor=coordinator, round_=round_)
        if awards:
            first = awards[0]
            services.payment_record(actor=coordinator, award=first, amount_pence=first.amount_pence // 2)
            holder = next(
                (
                    m
                    for (slug, _key), m in ctx.memberships.items()
                    if slug == DEMO_SLUG and m.user_id == first.holder_id
                ),
                None,
            )
            if holder is not None:
                services.spend_report(
                    actor=holder,
                    award=first,
                    spent_to_date_pence=first.amount_pence // 4,
                    note="Booked the first sessions and bought what we need to start.",
                )
        # The rest paid in full (the commitments board shows them done; the first is due when delivery begins).
        for other in awards[1:]:
            services.payment_record(actor=coordinator, award=other, amount_pence=other.amount_pence)
        ctx.say(f"  the finished round {FINISHED!r} with results and {len(awards)} awards")
    if not Round.objects.filter(partnership=partnership, title__in=[OPEN, EARLIER_TITLES[OPEN]]).exists():
        round_ = services.round_create(
            actor=coordinator,
            settings_=_settings(
                OPEN,
                10000,
                start=now,
                voters=Round.Voters.MEMBERS,
                description="Open to every parent in the partnership: back the projects you want, up to three.",
            ),
        )
        proposals = _proposals(ctx, round_, list(OPEN_PROPOSALS), reviewer="sam")
        _vote(ctx, round_, proposals, OPEN_BALLOTS)
        ctx.say(f"  the round {OPEN!r}, open for voting")
    _flexible(ctx)
