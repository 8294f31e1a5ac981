"""The open datasets of voice, decisions, the commitments board and evaluation, read signed out on a phone
with JavaScript off: each page shows its data, links its CSV and JSON, and passes axe-core (WCAG 2.2 AA) at
the phone and desktop sizes without spilling wider than the screen."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from coproduce.decisions import services as decision_services
from coproduce.voice import services as voice_services
from tests.browser.conftest import PageFactory
from tests.browser.support import assert_accessible
from tests.decisions.conftest import raise_decision
from tests.evaluation.results_support import answers, months_back, subject
from tests.factories import MembershipFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def published(partnership: Any, member: Any, worker: Any, coordinator: Any) -> Any:
    members = [MembershipFactory(partnership=partnership, is_member=True) for _ in range(6)]
    idea = voice_services.idea_create(actor=member, title="A swap shop", body="For uniforms.")
    for person in members:
        voice_services.support_toggle(actor=person, idea=idea, support=True)
    voice_services.idea_respond(
        actor=coordinator, idea=idea, status="in_progress", text="We open a uniform swap shop at the hub in May."
    )
    decision = raise_decision(worker, "yes_no", title="Open the hub on Saturdays")
    for person in members:
        decision_services.answer_give(actor=person, decision=decision, position="yes")
    decision_services.decision_close(actor=worker, decision=decision)
    decision = decision_services.decision_count(decision.pk)
    decision_services.outcome_record(
        actor=worker,
        decision=decision,
        statement="The hub opens on Saturday mornings from March.",
        owner_membership_id=worker.pk,
        due_on=timezone.localdate() + timedelta(days=30),
        review_on=timezone.localdate() + timedelta(days=90),
    )
    answers(subject(partnership, "Riverside money advice"), 7, period=months_back(3), fitted=2)
    partnership.open_data = True
    partnership.save(update_fields=["open_data"])
    return partnership


PAGES = [
    ("voice:open-responses", "You said, we did", "We open a uniform swap shop at the hub in May."),
    ("decisions:open-decisions", "Decisions and their outcomes", "The hub opens on Saturday mornings from March."),
    ("commitments:open-board", "What the partnership promised", "The hub opens on Saturday mornings from March."),
    ("evaluation:open-results", "What parents said about the services", "I was listened to"),
]


def test_each_open_dataset_page_reads_well_signed_out(new_page: PageFactory, published: Any) -> None:
    page = new_page("phone", javascript=False)
    for name, heading, shown in PAGES:
        page.goto(reverse(name, kwargs={"slug": published.slug}))
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(page.get_by_text(shown).first).to_be_visible()
        expect(page.get_by_role("link", name="CSV")).to_be_visible()
        expect(page.get_by_role("link", name="JSON")).to_be_visible()
        expect(page.get_by_role("link", name="Sign out")).to_have_count(0)
        assert_accessible(page, f"the open page {name}")
