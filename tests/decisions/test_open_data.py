"""Decisions as open data: closed decisions raised by staff, their result with small groups suppressed, and
their outcomes; nothing a member wrote and nobody who answered."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from coproduce.decisions import services
from coproduce.decisions.models import Decision
from coproduce.decisions.open_data import CSV_COLUMNS
from coproduce.partnerships.models import Membership, Partnership
from tests.decisions.conftest import option_ids, raise_decision
from tests.factories import MembershipFactory
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

NAMES = ["decisions:open-decisions", "decisions:open-decisions-csv", "decisions:open-decisions-json"]


@pytest.fixture
def members(partnership: Partnership) -> list[Membership]:
    return [MembershipFactory(partnership=partnership, is_member=True) for _ in range(13)]


def answered_and_closed(actor: Membership, voters: list[tuple[Membership, str]], **kwargs: Any) -> Decision:
    decision = raise_decision(actor, **kwargs)
    for voter, position in voters:
        reason = "I have my doubts about Saturdays" if position in ("disagree", "block") else ""
        services.answer_give(actor=voter, decision=decision, position=position, reason=reason)
    services.decision_close(actor=actor, decision=decision)
    return services.decision_count(decision.pk)  # the count, which a background task makes after closing


def test_nothing_is_published_until_the_partnership_turns_open_data_on(worker: Membership) -> None:
    answered_and_closed(worker, [], method="yes_no")
    assert_not_published_when_off(NAMES, worker.partnership)


def test_a_closed_decision_its_count_and_outcome_are_published_with_small_groups_suppressed(
    worker: Membership, members: list[Membership]
) -> None:
    votes = [(m, "yes") for m in members[:7]] + [(m, "no") for m in members[7:12]] + [(members[12], "abstain")]
    decision = answered_and_closed(worker, votes, method="yes_no", title="Open the hub on Saturdays")
    services.outcome_record(
        actor=worker,
        decision=decision,
        statement="The hub opens on Saturdays from March.",
        owner_membership_id=worker.pk,
        due_on=timezone.localdate() + timedelta(days=30),
        review_on=timezone.localdate() + timedelta(days=90),
    )
    partnership = publish(worker.partnership)

    [item] = json_items(get(NAMES[2], partnership), partnership)
    assert item["title"] == "Open the hub on Saturdays"
    assert item["result"] == "passed"
    assert item["answered"] == 13
    # 1 abstained: merged into "other"; that leaves 1 there, so the 5 noes join it (0 or at least 5 there).
    assert item["positions"] == {"yes": 7, "no": None, "abstain": None}
    assert item["other"] == 6
    assert item["outcome"]["statement"] == "The hub opens on Saturdays from March."

    [row] = csv_rows(get(NAMES[1], partnership), CSV_COLUMNS)
    assert (row["yes"], row["no"], row["abstain"], row["other_positions"]) == ("7", "fewer than 5", "fewer than 5", "6")
    assert row["outcome_due_on"] == str(timezone.localdate() + timedelta(days=30))

    text = page_text(get(NAMES[0], partnership))
    assert "Open the hub on Saturdays" in text
    assert "The hub opens on Saturdays from March." in text
    # The outcome's owner is a person: never named.
    assert worker.user.name not in all_text(NAMES, partnership)


def test_fewer_than_five_answers_publish_no_figure(worker: Membership, members: list[Membership]) -> None:
    answered_and_closed(worker, [(m, "agree") for m in members[:3]], method="consent")
    partnership = publish(worker.partnership)
    [item] = json_items(get(NAMES[2], partnership), partnership)
    assert item["answered"] is None
    assert item["positions"] == {}
    [row] = csv_rows(get(NAMES[1], partnership), CSV_COLUMNS)
    assert row["answered"] == "fewer than 5"
    assert row["agree"] == ""


def test_a_members_proposal_an_open_one_and_the_answers_reasons_are_never_published(
    worker: Membership, members: list[Membership]
) -> None:
    answered_and_closed(members[0], [(members[1], "agree")], method="consent", title="Zanzibar mornings for parents")
    raise_decision(worker, "consent", title="Still open: quiet room")
    votes = [(m, "agree") for m in members[:5]] + [(members[5], "disagree")]
    answered_and_closed(worker, votes, method="consent", title="Staff proposal")
    partnership = publish(worker.partnership)

    text = all_text(NAMES, partnership)
    assert "Staff proposal" in text
    for secret in ("Zanzibar", "Still open", "I have my doubts", "weekend", members[0].user.name, members[5].user.name):
        assert secret not in text


def test_the_options_of_an_election_are_never_published(worker: Membership, members: list[Membership]) -> None:
    decision = raise_decision(worker, "stv", kind="poll")
    first, second, third, fourth = option_ids(decision)
    for voter in members[:6]:
        services.answer_give(actor=voter, decision=decision, values={first: 1, second: 2, third: 3, fourth: 4})
    services.decision_close(actor=worker, decision=decision)
    services.decision_count(decision.pk)
    partnership = publish(worker.partnership)

    [item] = json_items(get(NAMES[2], partnership), partnership)
    assert item["options_published"] is False
    assert item["chosen"] == [] and item["options"] == []
    assert item["answered"] == 6
    for name in ("Aisha", "Ben", "Cara", "Dev"):
        assert name not in all_text(NAMES, partnership)


def test_the_options_figures_are_published_with_small_figures_suppressed(
    worker: Membership, members: list[Membership]
) -> None:
    decision = raise_decision(worker, "dot", title="Where to meet")
    park, library, _cafe = option_ids(decision)
    for voter in members[:6]:
        services.answer_give(actor=voter, decision=decision, values={park: 1})
    services.answer_give(actor=members[6], decision=decision, values={library: 1})
    services.decision_close(actor=worker, decision=decision)
    services.decision_count(decision.pk)
    partnership = publish(worker.partnership)

    [item] = json_items(get(NAMES[2], partnership), partnership)
    figures = {option["label"]: option["figure"] for option in item["options"]}
    # 6 dots for the park; the library's 1 and the cafe's 0 cannot stand alone, so the park joins "other" too.
    assert figures == {"Park": None, "Library": None, "Cafe": None}
    assert item["other"] == 7
    assert item["chosen"] == ["Park"]


def test_the_queries_do_not_grow_with_the_number_of_decisions(worker: Membership, members: list[Membership]) -> None:
    answered_and_closed(worker, [(m, "agree") for m in members[:5]], method="consent")
    partnership = publish(worker.partnership)

    def more() -> None:
        for _ in range(3):
            answered_and_closed(worker, [(m, "yes") for m in members[:6]], method="yes_no")
        decision = raise_decision(worker, "score")
        services.decision_close(actor=worker, decision=decision)

    assert_constant_queries(NAMES, partnership, more)
