"""Voice as open data, "you said, we did": the partnership's responses on ideas, each idea described only by
when it was shared and how many support it; never what a member wrote or who she is."""

from __future__ import annotations

from typing import Any

import pytest

from coproduce.partnerships.models import Membership, Partnership
from coproduce.voice import services
from coproduce.voice.models import Idea
from coproduce.voice.open_data import CSV_COLUMNS
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

NAMES = ["voice:open-responses", "voice:open-responses-csv", "voice:open-responses-json"]
SECRET_TITLE = "Quetzal breakfast club"
SECRET_BODY = "My neighbour Morag at 12 Elm Row could help"
SECRET_COMMENT = "Xylophone lessons would suit my twins"
SECRET_CHALLENGE = "How could Wibbleton evenings work?"


def an_idea(author: Membership, n: int = 0, **kwargs: Any) -> Idea:
    """An idea with the secret words (a number apart, since the same title twice is one idea)."""
    title = f"{SECRET_TITLE} {n}" if n else SECRET_TITLE
    return services.idea_create(actor=author, title=title, body=SECRET_BODY, **kwargs)


def supported_by(idea: Idea, people: list[Membership]) -> None:
    for person in people:
        services.support_toggle(actor=person, idea=idea, support=True)


@pytest.fixture
def members(partnership: Partnership) -> list[Membership]:
    return [MembershipFactory(partnership=partnership, is_member=True) for _ in range(6)]


def test_nothing_is_published_until_the_partnership_turns_open_data_on(
    member: Membership, coordinator: Membership
) -> None:
    services.idea_respond(actor=coordinator, idea=an_idea(member), status="in_progress", text="We will try it.")
    assert_not_published_when_off(NAMES, member.partnership)


def test_a_response_is_published_with_its_organisation_and_never_the_ideas_words(
    member: Membership, coordinator: Membership, worker: Membership, members: list[Membership]
) -> None:
    challenge = services.challenge_create(actor=member, title=SECRET_CHALLENGE)
    idea = an_idea(member, challenge=challenge)
    services.comment_create(actor=worker, idea=idea, body=SECRET_COMMENT)
    supported_by(idea, members)
    services.idea_respond(actor=coordinator, idea=idea, status="in_progress", text="We start a Friday club in May.")
    partnership = publish(member.partnership)

    [item] = json_items(get(NAMES[2], partnership), partnership)
    assert item["idea_id"] == idea.pk
    assert item["status"] == "in_progress"
    assert item["supports"] == 6
    assert item["challenge"] == ""  # a member posed it
    [response] = item["responses"]
    assert response["what_was_done"] == "We start a Friday club in May."
    assert response["organisation"] == coordinator.organisation.name  # type: ignore[union-attr]

    [row] = csv_rows(get(NAMES[1], partnership), CSV_COLUMNS)
    assert row["supports"] == "6"
    assert row["what_was_done"] == "We start a Friday club in May."

    page = page_text(get(NAMES[0], partnership))
    assert "An idea shared on" in page
    assert "We start a Friday club in May." in page

    text = all_text(NAMES, partnership)
    for secret in (SECRET_TITLE, "Morag", SECRET_COMMENT, "Wibbleton", member.user.name, coordinator.user.name):
        assert secret not in text
    for person in [member, worker, coordinator, *members]:
        assert person.user.email not in text


def test_fewer_than_five_supports_read_fewer_than_five(
    member: Membership, coordinator: Membership, members: list[Membership]
) -> None:
    idea = an_idea(member)
    supported_by(idea, members[:2])
    services.idea_respond(actor=coordinator, idea=idea, status="done", text="Done.")
    partnership = publish(member.partnership)

    [item] = json_items(get(NAMES[2], partnership), partnership)
    assert item["supports"] is None
    [row] = csv_rows(get(NAMES[1], partnership), CSV_COLUMNS)
    assert row["supports"] == "fewer than 5"
    assert "fewer than 5" in page_text(get(NAMES[0], partnership))


def test_a_challenge_staff_posed_is_named(worker: Membership, member: Membership, coordinator: Membership) -> None:
    challenge = services.challenge_create(actor=worker, title="How could the hub suit shift workers?")
    services.idea_respond(
        actor=coordinator, idea=an_idea(member, challenge=challenge), status="in_progress", text="Trying it."
    )
    partnership = publish(member.partnership)
    [item] = json_items(get(NAMES[2], partnership), partnership)
    assert item["challenge"] == "How could the hub suit shift workers?"


def test_hidden_withdrawn_and_unanswered_ideas_are_left_out(member: Membership, coordinator: Membership) -> None:
    hidden, withdrawn, answered = an_idea(member, 1), an_idea(member, 2), an_idea(member, 3)
    an_idea(member, 4)  # no response
    for idea in (hidden, withdrawn, answered):
        services.idea_respond(actor=coordinator, idea=idea, status="considering", text=f"Looking at {idea.pk}.")
    services.moderation_set_hidden(actor=coordinator, idea=hidden, hidden=True, reason="Names a neighbour.")
    services.idea_withdraw(actor=member, idea=withdrawn)
    partnership = publish(member.partnership)

    items = json_items(get(NAMES[2], partnership), partnership)
    assert [item["idea_id"] for item in items] == [answered.pk]


def test_a_response_another_capability_recorded_is_a_fixed_sentence(
    member: Membership, coordinator: Membership
) -> None:
    idea = an_idea(member)
    services.response_record(
        actor=coordinator,
        idea=idea,
        text=f"This idea is now a proposal: {SECRET_TITLE}",
        link_url="/p/x/fund/1/",
        link_label=SECRET_TITLE,
        source="fund",
    )
    partnership = publish(member.partnership)
    [item] = json_items(get(NAMES[2], partnership), partnership)
    assert item["responses"][0]["what_was_done"] == "The idea became a proposal to the partnership's pooled fund."
    assert SECRET_TITLE not in all_text(NAMES, partnership)


def test_the_queries_do_not_grow_with_the_number_of_ideas(member: Membership, coordinator: Membership) -> None:
    services.idea_respond(actor=coordinator, idea=an_idea(member), status="in_progress", text="One.")
    partnership = publish(member.partnership)

    def more() -> None:
        for n in range(3):
            idea = an_idea(member, n + 1)
            services.idea_respond(actor=coordinator, idea=idea, status="in_progress", text=f"More {n}.")
            services.idea_respond(actor=coordinator, idea=idea, status="done", text=f"Done {n}.")

    assert_constant_queries(NAMES, partnership, more)
