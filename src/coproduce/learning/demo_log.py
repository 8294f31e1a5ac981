"""Demo data for learning together.

``load_log``: three learning log entries for the Riverside partnership, written by Jamie (the worker who runs
the sessions): one published with Aisha's agreement (linked to the evening drop-in test of change and the
"one form" idea), one waiting for Aisha to agree, and a draft Kerry co-writes. Idempotent: an entry already
there (by its title) is left alone."""

from __future__ import annotations

from coproduce.improvement import api as improvement_api
from coproduce.learning.log import services as log_services
from coproduce.learning.models import Event, LogEntry
from coproduce.partnerships.demo import DEMO_SLUG, DemoContext
from coproduce.voice import api as voice_api

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
