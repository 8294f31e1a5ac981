"""Demo decisions for the Riverside partnership, made through the services: a consent decision with a block
and an amendment (two versions), still open; a yes/no decision with a double majority that staff passed and
members did not (closed, counted); an STV election of two parents to the board (closed, counted, several
stages) with its outcome; and an older decision whose outcome is overdue, for the commitments board.
Idempotent: a decision already there (by its title) is left alone."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from coproduce.decisions import services
from coproduce.decisions.models import Decision, Outcome
from coproduce.partnerships.demo import DEMO_SLUG, DemoContext

CONSENT = "Move the Tuesday drop-in to Riverside College"
DOUBLE = "Close the hub's crèche on Fridays"
ELECTION = "Elect two parents to the partnership board"
OVERDUE = "Put the hub's opening hours on the bus stop notice board"

# Ranked ballots for the election, by first letter of each candidate: A(isha), D(anielle), G(emma), M(arta).
BALLOTS = {  # a count with a surplus and two exclusions and no tie, so no lot: the same on every database
    "aisha": "ADM",
    "chloe": "ADG",
    "leanne": "AD",
    "zofia": "AMD",
    "kerry": "AD",
    "tom": "AGD",
    "danielle": "DA",
    "hannah": "DMG",
    "nicola": "DGM",
    "gemma": "GMA",
    "stacey": "GD",
    "marta": "MGD",
}


def load(ctx: DemoContext) -> None:
    if (DEMO_SLUG, "jamie") not in ctx.memberships:
        return
    m = {key: membership for (slug, key), membership in ctx.memberships.items() if slug == DEMO_SLUG}
    partnership_id = m["jamie"].partnership_id
    existing = set(Decision.objects.filter(partnership_id=partnership_id).values_list("title", flat=True))
    soon = timezone.now() + timedelta(days=5)
    if CONSENT not in existing:
        _consent(m, soon)
    if DOUBLE not in existing:
        _double_majority(m, soon)
    if ELECTION not in existing:
        _election(m, soon)
    if OVERDUE not in existing:
        _overdue(m, soon)
    ctx.say("Decisions: a consent decision, a double majority, a board election and an overdue outcome.")


def _consent(m: dict[str, Any], closes_at: Any) -> None:
    # Everyday decisions: the partnership's rule says staff decide them by consent.
    decision = services.decision_raise(
        actor=m["jamie"],
        kind="everyday",
        method="consent",
        title=CONSENT,
        background="The college has a free room on Tuesdays, and parents on courses there would not need to travel.",
        options=[],
        closes_at=closes_at,
        participants="staff",
        anonymous=False,
    )
    services.answer_give(actor=m["dev"], decision=decision, position="agree")
    services.answer_give(
        actor=m["sam"],
        decision=decision,
        position="block",
        reason="Parents who are not on a course cannot get into the college building without a pass.",
    )
    services.comment_add(
        actor=m["priya"], decision=decision, body="Could reception sign people in, as the library does?"
    )
    services.decision_amend(
        actor=m["jamie"],
        decision=decision,
        title=CONSENT,
        background=(
            "The college has a free room on Tuesdays. College reception will sign in any parent who comes for the "
            "drop-in, with no pass needed."
        ),
        options=[],
        change_note="Sam's block: reception will sign in parents without a pass.",
    )
    services.answer_give(actor=m["sam"], decision=decision, position="agree")
    services.answer_give(actor=m["liam"], decision=decision, position="abstain")


def _close_and_count(actor: Any, decision: Decision) -> Decision:
    services.decision_close(actor=actor, decision=decision)
    return services.decision_count(decision.pk)  # at once (the worker would, moments later)


def _double_majority(m: dict[str, Any], closes_at: Any) -> None:
    # Changing a service: everyone decides, yes or no, more than half of members and of staff each.
    decision = services.decision_raise(
        actor=m["fiona"],
        kind="service",
        method="yes_no",
        title=DOUBLE,
        background="Few children use the crèche on Fridays; the staff could cover the Saturday session instead.",
        options=[],
        closes_at=closes_at,
        participants="everyone",
        anonymous=True,
        threshold_percent=50,
        double_majority=True,
    )
    for key, position in [
        ("aisha", "no"),
        ("danielle", "no"),
        ("marta", "yes"),
        ("chloe", "no"),
        ("gemma", "yes"),
        ("hannah", "no"),
        ("morag", "yes"),
        ("jamie", "yes"),
        ("sam", "yes"),
        ("priya", "no"),
        ("euan", "yes"),
    ]:
        services.answer_give(actor=m[key], decision=decision, position=position)
    _close_and_count(m["fiona"], decision)


def _election(m: dict[str, Any], closes_at: Any) -> None:
    decision = services.decision_raise(
        actor=m["morag"],
        kind="poll",
        method="stv",
        title=ELECTION,
        background="Two parent seats on the board are up for election. Number the candidates in your order.",
        options=["Aisha", "Danielle M", "Gemma T", "Marta"],
        closes_at=closes_at,
        participants="members",
        anonymous=True,
        seats=2,
    )
    ids = dict(decision.options.values_list("label", "pk"))
    by_letter = {label[0]: pk for label, pk in ids.items()}
    for key, order in BALLOTS.items():
        values = {by_letter[letter]: rank for rank, letter in enumerate(order, start=1)}
        services.answer_give(actor=m[key], decision=decision, values=values)
    counted = _close_and_count(m["morag"], decision)
    today = timezone.localdate()
    services.outcome_record(
        actor=m["morag"],
        decision=counted,
        statement="The two elected parents join the board at its next meeting.",
        owner_membership_id=m["morag"].pk,
        due_on=today + timedelta(days=21),
        review_on=today + timedelta(days=365),
    )


def _overdue(m: dict[str, Any], closes_at: Any) -> None:
    decision = services.decision_raise(
        actor=m["jamie"],
        kind="everyday",
        method="consent",
        title=OVERDUE,
        background="Parents said they walk past the hub not knowing when it is open.",
        options=[],
        closes_at=closes_at,
        participants="staff",
        anonymous=False,
    )
    for key in ("sam", "priya", "liam"):
        services.answer_give(actor=m[key], decision=decision, position="agree")
    counted = _close_and_count(m["jamie"], decision)
    today = timezone.localdate()
    outcome = services.outcome_record(
        actor=m["jamie"],
        decision=counted,
        statement="Jamie puts the opening hours on the notice board at the Mill Street bus stop.",
        owner_membership_id=m["jamie"].pk,
        due_on=today + timedelta(days=1),
        review_on=today + timedelta(days=60),
    )
    # The demo's story: this was decided six weeks ago and the notice is not up yet.
    weeks_ago = timezone.now() - timedelta(weeks=6)
    Decision.objects.filter(pk=decision.pk).update(created_at=weeks_ago, closed_at=weeks_ago + timedelta(days=5))
    Outcome.objects.filter(pk=outcome.pk).update(
        written_at=weeks_ago + timedelta(days=5), due_on=today - timedelta(days=14)
    )
