"""The commitments board as open data: each promise's kind, status and dates, its words only when staff wrote
them, and the organisation (never the person) that answers for it."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from coproduce.commitments.open_data import CSV_COLUMNS
from coproduce.decisions import services as decision_services
from coproduce.decisions.models import Decision
from coproduce.partnerships.models import Membership
from coproduce.voice import services as voice_services
from tests.decisions.conftest import raise_decision
from tests.open_data_checks import (
    all_text,
    assert_constant_queries,
    assert_not_published_when_off,
    csv_rows,
    get,
    json_items,
    page_text,
    publish,
)

NAMES = ["commitments:open-board", "commitments:open-board-csv", "commitments:open-board-json"]
IDEA_TITLE = "Quokka swap shop at the school gate"


def an_outcome(proposer: Membership, owner: Membership, statement: str, *, days: int = 30) -> Decision:
    decision = raise_decision(proposer, "consent", title=f"Proposal: {statement}")
    decision_services.decision_close(actor=proposer, decision=decision)
    decision_services.outcome_record(
        actor=proposer,
        decision=decision,
        statement=statement,
        owner_membership_id=owner.pk,
        due_on=timezone.localdate() + timedelta(days=days),
        review_on=timezone.localdate() + timedelta(days=days + 60),
    )
    return decision


def test_nothing_is_published_until_the_partnership_turns_open_data_on(worker: Membership) -> None:
    an_outcome(worker, worker, "Run the Tuesday drop-in at the college")
    assert_not_published_when_off(NAMES, worker.partnership)


def test_a_staff_promise_is_published_with_its_organisation_and_never_its_owner(worker: Membership) -> None:
    an_outcome(worker, worker, "Run the Tuesday drop-in at the college")
    partnership = publish(worker.partnership)

    [item] = json_items(get(NAMES[2], partnership), partnership)
    assert item["kind"] == "decisions.outcome"
    assert item["what"] == "Run the Tuesday drop-in at the college"
    assert item["organisation"] == worker.organisation.name  # type: ignore[union-attr]
    assert item["status"] == "on_track"
    assert item["due_on"] == str(timezone.localdate() + timedelta(days=30))

    [row] = csv_rows(get(NAMES[1], partnership), CSV_COLUMNS)
    assert row["what"] == "Run the Tuesday drop-in at the college"
    assert "Run the Tuesday drop-in at the college" in page_text(get(NAMES[0], partnership))
    text = all_text(NAMES, partnership)
    assert worker.user.name not in text
    assert worker.user.email not in text


def test_a_promise_in_a_members_words_is_shown_by_its_kind_alone(member: Membership, coordinator: Membership) -> None:
    idea = voice_services.idea_create(actor=member, title=IDEA_TITLE, body="Swap uniforms.")
    voice_services.idea_respond(actor=coordinator, idea=idea, status="in_progress", text="We will.")
    an_outcome(member, member, "Wombat reading corner on Fridays")  # a member raised it, and owns it
    partnership = publish(member.partnership)

    items = json_items(get(NAMES[2], partnership), partnership)
    assert sorted(item["kind"] for item in items) == ["decisions.outcome", "voice.response"]
    assert all(item["what"] == "" for item in items)
    by_kind = {item["kind"]: item for item in items}
    assert by_kind["voice.response"]["organisation"] == coordinator.organisation.name  # type: ignore[union-attr]
    assert by_kind["decisions.outcome"]["organisation"] == ""  # a member answers for it: not named
    text = all_text(NAMES, partnership)
    for secret in ("Quokka", "Wombat", member.user.name, coordinator.user.name):
        assert secret not in text
    assert "Ideas we said we will do" in page_text(get(NAMES[0], partnership))


def test_an_overdue_promise_says_so(worker: Membership) -> None:
    decision = an_outcome(worker, worker, "Publish the spring timetable")
    decision.outcome.due_on = timezone.localdate() - timedelta(days=1)
    decision.outcome.save(update_fields=["due_on"])
    partnership = publish(worker.partnership)
    [item] = json_items(get(NAMES[2], partnership), partnership)
    assert item["status"] == "overdue"


def test_the_queries_do_not_grow_with_the_number_of_commitments(worker: Membership, member: Membership) -> None:
    an_outcome(worker, worker, "First promise")
    partnership = publish(worker.partnership)

    def more() -> None:
        for n in range(3):
            an_outcome(worker, worker, f"Promise {n}")
            an_outcome(member, worker, f"Member's promise {n}")

    assert_constant_queries(NAMES, partnership, more)
