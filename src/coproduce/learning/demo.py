"""Demo events for the Riverside partnership: a past learning session with its attendance marked, a paid
co-design workshop in the past with its attendance (claims for it are added by the pay part), and a session to
come whose crèche is full, with a waiting list. Idempotent: an event already there (by its name) is left alone.

Events in the past are set up through the services; their registrations are written directly (the service
refuses registering once an event has started, as it should), then attendance is marked through the service."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from coproduce.learning import services
from coproduce.learning.models import Event, Registration
from coproduce.partnerships.demo import DEMO_SLUG, DemoContext
from coproduce.partnerships.models import Membership

PAST_SESSION = "Universal Credit and work: what changes when you start a job"
PAID_WORKSHOP = "Co-design workshop: the first visit to the hub"
FULL_CRECHE = "Confidence and CVs, with a crèche"
HUB = "Riverside Family Hub, 12 Mill Street"
HUB_ACCESS = (
    "Step-free entrance from Mill Street; the room is on the ground floor. Buses 7 and 22 stop outside. A quiet "
    "room is free on the day; ask at reception."
)


def _at(days: int, hour: int, minute: int = 0) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return services.local_at(day, time(hour, minute))


def _past(
    organiser: Membership,
    title: str,
    *,
    kind: str,
    purpose: str,
    days_ago: int,
    came: list[Membership],
    missed: list[Membership],
    paid_time: bool = False,
) -> None:
    starts = _at(-days_ago, 10)
    event = services.event_create(
        actor=organiser,
        fields=services.EventFields(
            kind=kind,
            title=title,
            purpose=purpose,
            paid_time=paid_time,
            place=HUB,
            access_info=HUB_ACCESS,
            host=organiser.organisation,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2, minutes=30),
        ),
    )
    Registration.objects.bulk_create(
        [
            Registration(
                event=event,
                user_id=person.user_id,
                status=Registration.Status.REGISTERED,
                position=n,
                registered_at=starts - timedelta(days=7 - n % 5),
                is_member=person.is_member,
                is_staff=person.is_staff_role,
            )
            for n, person in enumerate(came + missed, start=1)
        ]
    )
    for n, person in enumerate(came + missed):
        services.attendance_mark(
            actor=organiser,
            event=event,
            user_id=person.user_id,
            present=person in came,
            client_token=f"demo-{event.pk}-{n}",
        )


def load(ctx: DemoContext) -> None:
    if (DEMO_SLUG, "jamie") not in ctx.memberships:
        return
    m = ctx.memberships

    def who(*keys: str) -> list[Membership]:
        return [m[(DEMO_SLUG, key)] for key in keys]

    jamie, sam, morag, kerry = who("jamie", "sam", "morag", "kerry")
    existing = set(Event.objects.filter(partnership_id=jamie.partnership_id).values_list("title", flat=True))

    if PAST_SESSION not in existing:
        _past(
            sam,
            PAST_SESSION,
            days_ago=21,
            kind="learning",
            purpose=(
                "A better-off calculation, worked through together: parents and keyworkers learn how earnings, "
                "the work allowance and childcare costs count."
            ),
            came=[*who("aisha", "danielle", "marta", "chloe", "gemma"), jamie, kerry],
            missed=who("leanne"),
        )
    if PAID_WORKSHOP not in existing:
        _past(
            jamie,
            PAID_WORKSHOP,
            days_ago=9,
            kind="codesign",
            paid_time=True,
            purpose=(
                "Parents and staff redesign the first visit to the hub together: what to ask, what to leave out, "
                "who is in the room. Parents are paid for their time."
            ),
            came=[*who("aisha", "hannah", "zofia", "stacey"), sam],
            missed=[],
        )
    if FULL_CRECHE not in existing:
        starts = _at(9, 10)
        event = services.event_create(
            actor=morag,
            fields=services.EventFields(
                kind="learning",
                title=FULL_CRECHE,
                purpose=(
                    "Write a CV you are proud of, with a college tutor and parents who have done it. Crèche on site."
                ),
                audience="members",
                place=HUB,
                access_info=HUB_ACCESS,
                capacity=6,
                host=m[(DEMO_SLUG, "euan")].organisation,
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
            ),
        )
        answers = {
            "aisha": services.NeedsData(childcare_children=2, childcare_ages=[1, 4], travel_costs=True),
            "danielle": services.NeedsData(childcare_children=1, childcare_ages=[2]),
            "marta": services.NeedsData(childcare_children=1, childcare_ages=[5], interpreter_language="Polish"),
            "chloe": services.NeedsData(childcare_children=2, childcare_ages=[0, 3], food_needs="Vegetarian"),
            "gemma": services.NeedsData(childcare_children=1, childcare_ages=[6], travel_costs=True),
            "leanne": services.NeedsData(access_needs="I use a wheelchair."),
            "hannah": services.NeedsData(childcare_children=1, childcare_ages=[2]),
            "zofia": services.NeedsData(childcare_children=1, childcare_ages=[4], interpreter_language="Polish"),
        }
        for key, needs in answers.items():  # the last two are on the waiting list
            services.registration_make(actor=m[(DEMO_SLUG, key)], event=event, needs=needs)
    ctx.say("Learning together: a past session, a paid co-design workshop and a full session with a crèche.")
