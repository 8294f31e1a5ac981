"""Demo data for learning together, for the Riverside partnership, in three loaders (``coproduce.demo_data`` runs
them in this order). Each is idempotent: what is already there (by its name) is left alone.

``load``: a past learning session with its attendance marked, a paid co-design workshop in the past with its
attendance (claims for it are added by ``load_pay``), and a session to come whose crèche is full, with a waiting
list. Events in the past are set up through the services; their registrations are written directly (the service
refuses registering once an event has started, as it should), then attendance is marked through the service.

``load_pay``: the partnership's rates, and claims on the paid co-design workshop — Aisha's approved (and so in
the fund's ledger), Hannah's waiting for Morag. On a demo without ``load``, a past paid workshop and its register
are made here so the claims have something to be for.

``load_log``: three learning log entries written by Jamie (the worker who runs the sessions): one published with
Aisha's agreement (linked to the evening drop-in test of change and the "one form" idea), one waiting for Aisha to
agree, and a draft Kerry co-writes."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from coproduce.core.exceptions import ServiceError
from coproduce.improvement import api as improvement_api
from coproduce.learning import services
from coproduce.learning.models import Attendance, Claim, Event, LogEntry, PaySettings, Registration
from coproduce.learning.services import log as log_services
from coproduce.learning.services import pay
from coproduce.partnerships.demo import DEMO_SLUG, DemoContext
from coproduce.partnerships.models import Membership
from coproduce.voice import api as voice_api

# --- Events ----------------------------------------------------------------------------------------------

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


# --- Paid time and expenses ------------------------------------------------------------------------------


def _workshop(morag: Membership) -> Event:
    now = timezone.now()
    found = (
        Event.objects.filter(
            partnership_id=morag.partnership_id, paid_time=True, ends_at__lt=now, cancelled_at__isnull=True
        )
        .order_by("-ends_at")
        .first()
    )
    if found is not None:
        return found
    starts = (now - timedelta(days=9)).replace(hour=10, minute=0, second=0, microsecond=0)
    return Event.objects.create(
        partnership_id=morag.partnership_id,
        kind=Event.Kind.CODESIGN,
        title="Co-design workshop: the new drop-in",
        purpose="Parents and staff design the evening drop-in together. Parents are paid for their time.",
        place="One Parent Futures hub, Mill Street",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        host=morag.organisation,
        paid_time=True,
        created_by=morag.user,
    )


def _came(event: Event, member: Membership, marker: Membership) -> None:
    if not Attendance.objects.filter(event=event, user_id=member.user_id).exists():
        Attendance.objects.create(
            event=event,
            user_id=member.user_id,
            present=True,
            minutes=event.duration_minutes,
            is_member=True,
            marked_by_id=marker.user_id,
        )


def load_pay(ctx: DemoContext) -> None:
    if (DEMO_SLUG, "morag") not in ctx.memberships:
        return
    m = ctx.memberships
    morag, aisha, hannah = (m[(DEMO_SLUG, k)] for k in ("morag", "aisha", "hannah"))
    if not PaySettings.objects.filter(partnership_id=morag.partnership_id).exists():
        pay.pay_settings_update(
            actor=morag, hourly_rate_pence=15_00, covers_travel=True, covers_childcare=True, expense_ceiling_pence=50_00
        )
    event = _workshop(morag)
    for member in (aisha, hannah):
        _came(event, member, morag)
    if not Claim.objects.filter(event=event, user_id=aisha.user_id).exists():
        claim = pay.claim_make(
            actor=aisha,
            event=event,
            time_choice="cash",
            travel_pence=4_80,
            childcare_pence=12_00,
            receipt_reference="Bus day ticket 0417",
        )
        try:
            pay.claim_approve(actor=morag, claim=claim)
        except ServiceError as error:  # a demo fund with no money left: the claim waits instead
            ctx.say(f"Aisha's claim waits: {error.message}")
    if not Claim.objects.filter(event=event, user_id=hannah.user_id).exists():
        pay.claim_make(actor=hannah, event=event, time_choice="voucher", travel_pence=3_20)
    ctx.say("Paid time: rates, Aisha's approved claim and Hannah's waiting claim.")


# --- The learning log ------------------------------------------------------------------------------------

PUBLISHED = "A crèche in the same room kept parents to the end"
WAITING = "Bus fares paid on the day, not afterwards"
DRAFT = "What parents said about the evening drop-in"


def load_log(ctx: DemoContext) -> None:
    if (DEMO_SLUG, "jamie") not in ctx.memberships:
        return
    m = ctx.memberships
    jamie, aisha, kerry = (m[(DEMO_SLUG, k)] for k in ("jamie", "aisha", "kerry"))
    existing = set(LogEntry.objects.filter(partnership_id=jamie.partnership_id).values_list("title", flat=True))
    session = Event.objects.filter(partnership_id=jamie.partnership_id, kind="learning").order_by("starts_at").first()
    event_id = session.pk if session else None
    drop_in = next(
        (t.id for t in improvement_api.tests_visible_to(jamie) if t.title == "Evening drop-in at the hub"), None
    )
    one_form = voice_api.idea_titled(partnership_id=jamie.partnership_id, title="One form instead of four")

    if PUBLISHED not in existing:
        entry = log_services.log_entry_create(
            actor=jamie,
            fields=log_services.LogFields(
                title=PUBLISHED,
                event_id=event_id,
                what_we_tried=(
                    "We held the learning session with the crèche **in the same room**, behind a low screen, "
                    "instead of down the corridor."
                ),
                what_we_learned=(
                    "Parents with babies and toddlers stayed to the end. Aisha said she could listen "
                    "because she could see her two-year-old; before, she left after twenty minutes."
                ),
                what_next=(
                    "- Book the big room at the hub for every session\n- Ask the college for a second crèche worker"
                ),
                co_author_ids=[kerry.user_id],
                named_parent_ids=[aisha.user_id],
                idea_ids=[one_form.pk] if one_form else [],
                test_ids=[drop_in] if drop_in else [],
            ),
        )
        entry = log_services.log_entry_ask(actor=jamie, entry=entry)
        log_services.log_consent_answer(actor=aisha, entry=entry, agree=True, named_outside=True)
        ctx.say("learning log: an entry published with Aisha's agreement")

    if WAITING not in existing:
        entry = log_services.log_entry_create(
            actor=jamie,
            fields=log_services.LogFields(
                title=WAITING,
                event_id=event_id,
                what_we_tried="We paid bus fares in cash at the start of the session.",
                what_we_learned=(
                    "Aisha told us that waiting two weeks for a refund meant she could not come at all "
                    "at the end of the month."
                ),
                what_next="Keep a cash float at every session; record each fare in the fund's ledger.",
                named_parent_ids=[aisha.user_id],
            ),
        )
        log_services.log_entry_ask(actor=jamie, entry=entry)
        ctx.say("learning log: an entry waiting for Aisha to agree")

    if DRAFT not in existing:
        log_services.log_entry_create(
            actor=jamie,
            fields=log_services.LogFields(
                title=DRAFT,
                what_we_tried="We asked the parents at the evening drop-in what they would change.",
                what_we_learned="Most wanted it to start at 6, after tea, not 5.",
                what_next="Try a 6 o'clock start for four weeks.",
                co_author_ids=[kerry.user_id],
                test_ids=[drop_in] if drop_in else [],
            ),
        )
        ctx.say("learning log: a draft Jamie and Kerry are writing")
