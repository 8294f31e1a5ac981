"""The demo's three learning log entries: one published with a parent's agreement, one waiting for her, one
draft; loading twice adds nothing."""

from __future__ import annotations

from typing import Any

from coproduce.demo_data import load_demo
from coproduce.learning import selectors
from coproduce.learning.demo import DRAFT, PUBLISHED, WAITING
from coproduce.learning.models import LogEntry
from coproduce.partnerships.models import Membership


def test_the_demo_has_three_entries_one_in_each_state(db: Any) -> None:
    load_demo()
    load_demo()
    entries = {e.title: e for e in LogEntry.objects.filter(partnership__slug="riverside")}
    assert {t: e.status for t, e in entries.items()} == {PUBLISHED: "published", WAITING: "waiting", DRAFT: "draft"}
    aisha = Membership.objects.get(partnership__slug="riverside", user__email="aisha@riverside.example")
    assert selectors.named_outside(entries[PUBLISHED]) == [aisha.user.display_name]
    assert [e.title for e in selectors.entries_asking(aisha)] == [WAITING]
    assert selectors.links_for(aisha, entries[PUBLISHED])["test"]  # linked to the evening drop-in
