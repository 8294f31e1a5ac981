"""The demo partnership's agreement: terms of reference in two versions, a steering group of seven seats (two
held by parents, one vacant, one with a past holder), a rule for each kind of decision, and a few declared
interests (one of them the proposer of a fund proposal). Idempotent: each part already there is left alone."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from coproduce.governance import services
from coproduce.governance.models import DecisionRule, Group, Interest, Seat, TermsVersion
from coproduce.partnerships.demo import DEMO_SLUG, DemoContext

TERMS_V1 = """# What the partnership is for

The Riverside partnership helps single parents into work that fits their family, by joining up the support
that the council, the college, One Parent Futures, Little Steps Childcare and Riverside Money Advice give.

# How we work

- Parents and staff take part as equals. Parents' experience counts as evidence.
- We share what we know about what works, and stop doing what does not.
- The pooled fund is decided together, not bid for by each partner.

# The steering group

The steering group meets every two months. It has a seat for each partner organisation and a seat for a
parent. Its papers are shared on the platform a week before each meeting.
"""

TERMS_V2 = TERMS_V1.replace(
    "It has a seat for each partner organisation and a seat for a\nparent.",
    "It has a seat for each partner organisation and two seats for\nparents, "
    "who are paid for their time and their childcare.",
)


def load(ctx: DemoContext) -> None:
    if (DEMO_SLUG, "morag") not in ctx.memberships:
        return
    m = ctx.memberships
    morag = m[(DEMO_SLUG, "morag")]
    partnership_id = morag.partnership_id
    today = timezone.localdate()

    if not TermsVersion.objects.filter(partnership_id=partnership_id).exists():
        first = services.terms_publish(actor=morag, text=TERMS_V1, change_note="First version, agreed at the launch.")
        # The first version dates from the launch, a year ago (a demo shortcut: versions are otherwise never changed).
        TermsVersion.objects.filter(pk=first.pk).update(published_at=timezone.now() - timedelta(days=365))
        services.terms_publish(actor=morag, text=TERMS_V2, change_note="Two seats for parents instead of one.")

    group = Group.objects.filter(partnership_id=partnership_id, name="Steering group").first()
    if group is None:
        group = services.group_create(
            actor=morag,
            name="Steering group",
            purpose="Agrees the fund's rules and budget, the partnership's priorities and changes to this agreement.",
        )
        orgs = ctx.organisations
        seats = [
            ("Chair (Riverside Council)", "council", "morag"),
            ("College seat", "college", "dev"),
            ("Lone-parent charity seat", "charity", "fiona"),
            ("Childcare seat", "childcare", "liam"),
            ("Money advice seat", "money", None),  # vacant
            ("Parent representative", None, "aisha"),
            ("Parent representative (second seat)", None, "danielle"),
        ]
        start = today - timedelta(days=180)
        for title, org_key, holder in seats:
            seat = services.seat_create(
                actor=morag,
                group=group,
                title=title,
                kind=Seat.Kind.ORGANISATION if org_key else Seat.Kind.MEMBER,
                organisation=orgs[org_key] if org_key else None,
            )
            if title == "Parent representative":
                # Kerry held it in the first term: the seat's history shows her.
                past = services.seat_appoint(
                    actor=morag,
                    seat=seat,
                    membership=m[(DEMO_SLUG, "kerry")],
                    term_starts_on=today - timedelta(days=545),
                    term_ends_on=start - timedelta(days=1),
                )
                services.holding_end(actor=morag, holding=past, ended_on=start - timedelta(days=1))
            if holder:
                services.seat_appoint(
                    actor=morag,
                    seat=seat,
                    membership=m[(DEMO_SLUG, holder)],
                    term_starts_on=start,
                    term_ends_on=start + timedelta(days=730),
                )

    if not DecisionRule.objects.filter(partnership_id=partnership_id).exists():
        kind, method, who = DecisionRule.Kind, DecisionRule.Method, DecisionRule.Participants
        services.decision_rule_set(
            actor=morag,
            kind=kind.AGREEMENT,
            method=method.YES_NO,
            threshold_percent=67,
            quorum_percent=75,
            participants=who.GROUP,
            group=group,
            double_majority=True,
        )
        services.decision_rule_set(
            actor=morag, kind=kind.FUND, method=method.CONSENT, quorum_percent=50, participants=who.GROUP, group=group
        )
        services.decision_rule_set(
            actor=morag,
            kind=kind.SERVICE,
            method=method.YES_NO,
            threshold_percent=50,
            quorum_percent=20,
            participants=who.EVERYONE,
            double_majority=True,
        )
        services.decision_rule_set(
            actor=morag, kind=kind.EVERYDAY, method=method.CONSENT, quorum_percent=0, participants=who.STAFF
        )

    if not Interest.objects.filter(partnership_id=partnership_id).exists():
        orgs = ctx.organisations
        # Jamie proposed the evening drop-in, which One Parent Futures (his employer) would run.
        services.interest_declare(
            actor=m[(DEMO_SLUG, "jamie")],
            what="I am employed as a keyworker",
            organisation=orgs["charity"],
            starts_on=today - timedelta(days=4 * 365),
        )
        services.interest_declare(
            actor=m[(DEMO_SLUG, "aisha")],
            what="My sister works at the nursery",
            organisation=orgs["childcare"],
            starts_on=today - timedelta(days=400),
        )
        services.interest_declare(
            actor=m[(DEMO_SLUG, "dev")],
            what="Trustee of a local adult-learning charity",
            with_whom="Riverside Learning Trust",
            starts_on=today - timedelta(days=900),
        )
        # Recorded by the coordinator on Kerry's behalf, and already ended.
        services.interest_declare(
            actor=morag,
            membership=m[(DEMO_SLUG, "kerry")],
            what="Paid peer mentor",
            organisation=orgs["charity"],
            starts_on=today - timedelta(days=700),
            ends_on=today - timedelta(days=200),
        )
