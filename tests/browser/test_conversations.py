"""A member votes through a conversation on a phone, with JavaScript (htmx swaps each statement in place)
and without it (plain forms), sees their progress, and reads the report; axe-core on every state."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from coproduce.conversations import services
from coproduce.conversations.models import Snapshot, Vote
from tests.browser.conftest import PageFactory
from tests.browser.support import assert_accessible, sign_in_session
from tests.factories import MembershipFactory, staff_membership

pytestmark = pytest.mark.browser

STATEMENTS = [
    "The job fair should be inside school hours.",
    "A free crèche at the fair matters most.",
    "Saturday mornings are the best time.",
    "Employers should offer interviews in school hours.",
    "Travel costs should be paid on the day.",
    "The fair should stay in the town hall.",
]


@pytest.fixture
def conversation(partnership: Any) -> Any:
    coordinator = staff_membership(partnership, role="coordinator")
    conversation = services.conversation_create(actor=coordinator, topic="Job fairs for parents", seeds=STATEMENTS)
    statements = list(conversation.statements.order_by("number"))
    members = [MembershipFactory(partnership=partnership, is_member=True) for _ in range(6)]
    staff = [staff_membership(partnership, role="worker", mfa=False) for _ in range(6)]
    for n, statement in enumerate(statements):
        for person in members:
            services.vote_cast(actor=person, statement_id=statement.pk, vote="agree" if n % 2 == 0 else "disagree")
        for person in staff:
            services.vote_cast(actor=person, statement_id=statement.pk, vote="disagree" if n % 2 == 0 else "agree")
    return conversation


def vote_on_shown_statement(page: Page, choice: str) -> str:
    statement = page.locator(".cp-vote__statement").inner_text()
    page.get_by_role("button", name=choice, exact=True).click()
    return statement


def test_a_member_votes_with_and_without_javascript_and_reads_the_report(
    new_page: PageFactory, conversation: Any, partnership: Any
) -> None:
    member = MembershipFactory(partnership=partnership, is_member=True)
    vote_url = reverse("conversations:vote", kwargs={"slug": partnership.slug, "conversation_id": conversation.pk})

    # With JavaScript: each vote is sent in place and the next statement swapped in.
    page = new_page("phone")
    sign_in_session(page, member.user)
    page.goto(reverse("conversations:list", kwargs={"slug": partnership.slug}))
    expect(page.get_by_role("heading", level=1)).to_have_text("Conversations")
    assert_accessible(page, "conversation list")
    page.get_by_role("link", name="Job fairs for parents").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Job fairs for parents")
    assert_accessible(page, "conversation page")
    page.get_by_role("link", name="Start voting").click()
    expect(page.get_by_text("You have voted on 0 of 6 statements.")).to_be_visible()
    assert_accessible(page, "voting, first statement")
    seen = []
    for n, choice in enumerate(["Agree", "Disagree", "Pass / unsure"], start=1):
        seen.append(vote_on_shown_statement(page, choice))
        expect(page.get_by_text(f"You have voted on {n} of 6 statements.")).to_be_visible()
        expect(page.get_by_text("Your vote is recorded.")).to_be_visible()
    assert page.url.endswith(vote_url)  # no page loads: htmx swapped the card in place
    assert_accessible(page, "voting after three votes with htmx")
    assert len(set(seen)) == 3

    # Without JavaScript: the same forms post and come back to the next statement.
    plain = new_page("phone", javascript=False)
    sign_in_session(plain, member.user)
    plain.goto(vote_url)
    expect(plain.get_by_text("You have voted on 3 of 6 statements.")).to_be_visible()
    for n in range(4, 7):
        shown = vote_on_shown_statement(plain, "Agree")
        assert shown not in seen
        seen.append(shown)
        expect(plain.get_by_text(f"You have voted on {n} of 6 statements.")).to_be_visible()
    expect(plain.get_by_text("You have voted on every statement")).to_be_visible()
    assert_accessible(plain, "voting finished without JavaScript")
    assert Vote.objects.filter(participant__user=member.user).count() == 6

    # Changing a vote, without JavaScript, from the list of your own votes.
    plain.get_by_role("link", name="See or change your votes").click()
    expect(plain.get_by_role("heading", level=1)).to_have_text("Your votes")
    assert_accessible(plain, "your votes")
    plain.get_by_role("link", name=re.compile(f"Change your vote on “{re.escape(seen[0])}”")).click()
    expect(plain.get_by_text("You agreed. Choose again to change your vote.")).to_be_visible()
    plain.get_by_role("button", name="Disagree", exact=True).click()
    expect(plain.get_by_text("Your vote is recorded.")).to_be_visible()
    assert Vote.objects.get(participant__user=member.user, statement__text=seen[0]).value == -1

    # The report: computed in the background (at once in tests), read without waiting.
    assert Snapshot.objects.filter(conversation=conversation).exists()
    page.get_by_role("link", name="Read the report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Report")
    expect(page.get_by_text("worked out at")).to_be_visible()
    expect(page.get_by_text("you are here")).to_be_visible()
    expect(page.get_by_role("heading", name="Where members and staff differ most")).to_be_visible()
    lens_table = page.get_by_role("table", name="Agree shares of members and of staff, every statement")
    expect(lens_table).to_be_visible()
    # On a phone the table reflows into one box per statement rather than scrolling sideways, and the
    # "you are here" label stays inside the map.
    assert lens_table.evaluate("t => t.parentElement.scrollWidth <= t.parentElement.clientWidth")
    assert page.locator("svg.cp-map text").evaluate(
        "t => { const b = t.getBBox(), v = t.ownerSVGElement.viewBox.baseVal;"
        " return b.x >= 0 && b.x + b.width <= v.width; }"
    )
    assert_accessible(page, "report")


def test_a_coordinator_sets_up_moderates_and_exports_on_a_phone(new_page: PageFactory, partnership: Any) -> None:
    from coproduce.voice import services as voice_services

    coordinator = staff_membership(partnership, role="coordinator")
    member = MembershipFactory(partnership=partnership, is_member=True)
    voice_services.idea_create(actor=member, title="Evening job fairs", body="After bedtime.")
    page = new_page("phone", javascript=False)
    sign_in_session(page, coordinator.user)
    page.goto(reverse("conversations:new", kwargs={"slug": partnership.slug}))
    expect(page.get_by_role("heading", level=1)).to_have_text("Start a conversation")
    assert_accessible(page, "start a conversation")
    page.get_by_role("button", name="Start the conversation").click()
    expect(page.get_by_text("Enter the topic of the conversation.").first).to_be_visible()
    assert_accessible(page, "start a conversation, with an error")
    page.get_by_label("Topic").fill("Job fairs for parents")
    page.get_by_label("Statements to start with").fill("Fairs in school hours.\nA crèche at every fair.")
    # The design system draws the radio over its label: choose it as a person does, on the label.
    page.locator("label", has_text="A coordinator checks new statements before others see them").click()
    page.get_by_role("button", name="Start the conversation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Job fairs for parents")

    page.get_by_role("link", name="Add a statement from an idea").click()
    assert_accessible(page, "statement from an idea")
    page.get_by_label("Idea").select_option(label="Evening job fairs")
    page.get_by_label("The statement").fill("Job fairs should be in the evening.")
    page.get_by_role("button", name="Add the statement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check and add statements")
    expect(page.get_by_text("Job fairs should be in the evening.", exact=True)).to_be_visible()
    assert_accessible(page, "moderation")

    page.goto(reverse("conversations:list", kwargs={"slug": partnership.slug}))
    page.get_by_role("link", name="Job fairs for parents").click()
    page.get_by_role("link", name="Add a statement of your own").click()
    assert_accessible(page, "add a statement")
    page.get_by_role("button", name="Add my statement").click()
    expect(page.get_by_text("Write the statement.").first).to_be_visible()
    assert_accessible(page, "add a statement, with an error")

    page.goto(reverse("conversations:import", kwargs={"slug": partnership.slug}))
    assert_accessible(page, "import")
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Choose the export's files.").first).to_be_visible()
    assert_accessible(page, "import, with an error")

    # A Pol.is folder without its votes: the message names the missing file.
    london = Path(__file__).resolve().parent.parent / "data" / "polis" / "opendata" / "london.youth.policing"
    page.get_by_label("Pol.is export files").set_input_files(str(london / "comments.csv"))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("The export has no votes.csv (or participants-votes.csv) file.").first).to_be_visible()
    page.get_by_label("Pol.is export files").set_input_files(
        [str(london / name) for name in ("comments.csv", "votes.csv", "participants-votes.csv", "summary.csv")]
    )
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("The conversation is imported.")).to_be_visible()
    page.get_by_role("link", name="Read the report").click()
    expect(page.get_by_role("heading", name="Groups as imported from Pol.is")).to_be_visible()
    expect(page.get_by_role("table", name="The groups as imported from Pol.is")).to_be_visible()
    assert_accessible(page, "report of an imported conversation")
    page.get_by_role("link", name="Back to the conversation").click()
    page.get_by_role("link", name="Download as a Pol.is export").click()
    expect(page.get_by_role("link", name="Download all (zip)")).to_be_visible()
    assert_accessible(page, "export")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download all (zip)").click()
    assert re.fullmatch(r"conversation-\d+-polis-export-\d{4}-\d{2}-\d{2}\.zip", download.value.suggested_filename)


def test_the_report_hides_small_shares_and_lists_as_agreed_by_every_group_only_what_is_likely(
    page: Page, conversation: Any, partnership: Any
) -> None:
    statements = list(conversation.statements.order_by("number"))
    snapshot = Snapshot.objects.get(conversation=conversation)
    result = dict(snapshot.result)
    # One person's vote on the first statement ("100% of 1 agree" would tell everyone how they voted), six on
    # the second; every group agrees with the third (90% likely), hardly any with the fourth (10% likely).
    result["consensus"] = {
        "agree": [
            {"statement": statements[0].pk, "n_success": 1, "n_trials": 1, "p_success": 0.67},
            {"statement": statements[1].pk, "n_success": 6, "n_trials": 6, "p_success": 0.88},
        ],
        "disagree": [],
    }
    result["group_aware_consensus"] = {str(statements[2].pk): 0.9, str(statements[3].pk): 0.1}
    Snapshot.objects.filter(pk=snapshot.pk).update(result=result)
    member = MembershipFactory(partnership=partnership, is_member=True)
    sign_in_session(page, member.user)

    page.goto(reverse("conversations:report", kwargs={"slug": partnership.slug, "conversation_id": conversation.pk}))
    main = page.locator("main")
    expect(main).to_contain_text(f"{statements[1].text} – 100% of 6 agree")
    expect(main).not_to_contain_text("of 1 agree")
    every_group = page.get_by_role("table", name="Statements every group agrees with")
    expect(every_group).to_contain_text(statements[2].text)
    expect(every_group).not_to_contain_text(statements[3].text)
    assert_accessible(page, "report with small shares hidden")
