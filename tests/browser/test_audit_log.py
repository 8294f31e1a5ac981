"""The audit log reads as sentences with names, at the phone and the desktop size (issue 19): "Jamie Reid
looked at Aisha's support plan", not "support.plan_read Support plan 1"."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from coproduce.support import services
from tests.browser.support import assert_accessible, sign_in_session
from tests.support.world import build_world

pytestmark = pytest.mark.browser


def test_the_audit_log_says_who_did_what_to_whose_plan(page: Page) -> None:
    world: dict[str, Any] = build_world()
    keyworker, member = world["people"]["keyworker"], world["people"]["member"]
    services.plan_read_record(reader=keyworker, plan=world["plan"], parts=["goals"], page="plan")
    sign_in_session(page, world["people"]["coordinator"].user)
    page.goto(reverse("partnerships:audit", kwargs={"slug": world["partnership"].slug}))
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    sentence = page.get_by_text(f"{keyworker.user.name} looked at {member.user.name}'s support plan.")
    expect(sentence).to_be_visible()
    expect(page.get_by_text("support.plan_read")).to_have_count(0)
    expect(page.get_by_text("Support plan 1", exact=True)).to_have_count(0)
    assert_accessible(page, "audit log in sentences", both_sizes=False)
