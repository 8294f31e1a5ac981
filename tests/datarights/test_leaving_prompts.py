"""The leave page shows what the capabilities ask a person to do before she leaves (``Departure.before_leaving``),
above the button that confirms it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse

from coproduce.datarights import selectors
from coproduce.partnerships import personal_data
from coproduce.partnerships.models import Membership
from coproduce.partnerships.personal_data import Departure, LeavingPrompt
from tests.conftest import signed_in
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

ASKED: list[int] = []


def _tell_us(membership: Membership) -> LeavingPrompt | None:
    ASKED.append(membership.pk)
    if not membership.is_member:
        return None  # only members are asked
    return LeavingPrompt(
        text="Before you go, tell us how the services you used were.",
        link_text="Tell us <now>",
        url=f"/p/{membership.partnership.slug}/evaluation/",
    )


@pytest.fixture
def prompts() -> Iterator[None]:
    registered = [
        Departure(key="zz_test_tell_us", before_leaving=_tell_us, order=1),
        Departure(key="zz_test_silent", before_leaving=lambda m: None, order=2),
    ]
    for departure in registered:
        personal_data.register_departure(departure)
    yield
    for departure in registered:
        personal_data._DEPARTURES.pop(departure.key, None)
    ASKED.clear()


def _leave_page(membership: Membership) -> str:
    response = signed_in(membership.user).get(reverse("datarights:leave", kwargs={"slug": membership.partnership.slug}))
    assert response.status_code == 200
    return response.content.decode()


def test_the_selector_gathers_each_prompt_for_the_membership(prompts: None, member: Membership) -> None:
    found = selectors.leaving_prompts(member)
    # Ours (order 1) comes first and once; the silent one adds nothing; the capabilities' own prompts follow.
    assert [prompt.link_text for prompt in found].count("Tell us <now>") == 1
    assert found[0].link_text == "Tell us <now>"
    assert [member.pk] == ASKED


def test_the_leave_page_shows_the_prompt_above_the_confirm_button(prompts: None, member: Membership) -> None:
    page = _leave_page(member)
    assert "Before you go" in page
    sentence = page.index("Before you go, tell us how the services you used were.")
    link = page.index(f'<a href="/p/{member.partnership.slug}/evaluation/">Tell us &lt;now&gt;</a>')
    button = page.index("Yes, leave the partnership")
    assert sentence < link < button


def test_nothing_to_ask_shows_no_section(prompts: None, partnership: Any) -> None:
    not_a_member = MembershipFactory(partnership=partnership, is_member=False, is_observer=True)
    page = _leave_page(not_a_member)
    assert "Before you go" not in page
    assert "Yes, leave the partnership" in page
