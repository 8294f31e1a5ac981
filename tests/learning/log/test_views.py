"""The learning log's pages as every role, the rules as a role × action table, search, and the case study."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
import rules
from django.urls import reverse
from django.utils import timezone

from coproduce.learning import selectors
from coproduce.learning.models import Event, LogConsent, LogEntry
from coproduce.learning.services import log as services
from tests.conftest import signed_in
from tests.factories import MembershipFactory
from tests.learning.log.helpers import entry_by


def url(name: str, partnership: Any, entry: LogEntry | None = None) -> str:
    kwargs: dict[str, Any] = {"slug": partnership.slug}
    if entry is not None:
        kwargs["entry_id"] = entry.pk
    return reverse(name, kwargs=kwargs)


@pytest.fixture
def people(member: Any, observer: Any, worker: Any, partner_lead: Any, coordinator: Any, partnership: Any) -> Any:
    co_author = MembershipFactory(partnership=partnership, is_member=True)
    return {
        "member": member,
        "co_author": co_author,
        "observer": observer,
        "worker": worker,
        "partner_lead": partner_lead,
        "coordinator": coordinator,
    }


@pytest.fixture
def entries(people: Any) -> dict[str, LogEntry]:
    """A draft, one waiting for the member, one published: all by the worker with the co-author."""
    worker, member, co = people["worker"], people["member"], people["co_author"]
    draft = entry_by(worker, title="Draft entry", co_author_ids=[co.user_id], named_parent_ids=[member.user_id])
    waiting = entry_by(worker, title="Waiting entry", co_author_ids=[co.user_id], named_parent_ids=[member.user_id])
    waiting = services.log_entry_ask(actor=worker, entry=waiting)
    published = services.log_entry_ask(actor=worker, entry=entry_by(worker, title="Published entry"))
    return {"draft": draft, "waiting": waiting, "published": published}


# role -> (read draft, read waiting, read published, write, answer waiting)
TABLE = {
    "worker": (True, True, True, True, False),
    "co_author": (True, True, True, True, False),
    "member": (False, True, True, False, True),
    "observer": (False, False, True, False, False),
    "partner_lead": (False, False, True, False, False),
    "coordinator": (False, False, True, False, False),
}


@pytest.mark.parametrize("role", list(TABLE))
def test_rules_role_by_action(role: str, people: Any, entries: dict[str, LogEntry]) -> None:
    who = people[role]
    got = (
        rules.test_rule("learning.log_read", who, entries["draft"]),
        rules.test_rule("learning.log_read", who, entries["waiting"]),
        rules.test_rule("learning.log_read", who, entries["published"]),
        rules.test_rule("learning.log_write", who, entries["draft"]),
        rules.test_rule("learning.log_answer", who, entries["waiting"]),
    )
    assert got == TABLE[role]
    assert rules.test_rule("learning.log_add", who) == (role in {"worker", "partner_lead", "coordinator"})


@pytest.mark.parametrize("role", list(TABLE))
def test_every_role_reads_exactly_what_it_may(
    role: str, people: Any, entries: dict[str, LogEntry], partnership: Any
) -> None:
    client = signed_in(people[role].user)
    read_draft, read_waiting, read_published, write, answer = TABLE[role]
    for key, expected in (("draft", read_draft), ("waiting", read_waiting), ("published", read_published)):
        response = client.get(url("learning:log-entry", partnership, entries[key]))
        assert response.status_code == (200 if expected else 404), key
    assert client.get(url("learning:log-edit", partnership, entries["draft"])).status_code == (200 if write else 404)
    consent = client.get(url("learning:log-consent", partnership, entries["waiting"]))
    assert consent.status_code == (200 if answer else 404)
    page = client.get(url("learning:log", partnership)).content.decode()
    assert "Published entry" in page
    assert ("Draft entry" in page) == read_draft
    assert client.get(url("learning:log-case-study", partnership, entries["draft"])).status_code == 404


def test_an_organiser_writes_an_entry_and_publishes_it(worker: Any, partnership: Any) -> None:
    client = signed_in(worker.user)
    response = client.post(
        url("learning:log-new", partnership),
        {
            "title": "Saturday session",
            "what_we_tried": "A Saturday morning.",
            "what_we_learned": "Dads came.",
            "what_next": "Another in March.",
        },
    )
    entry = LogEntry.objects.get(title="Saturday session")
    assert response.status_code == 302
    assert entry.status == LogEntry.Status.DRAFT
    client.post(url("learning:log-entry", partnership, entry))
    entry.refresh_from_db()
    assert entry.status == LogEntry.Status.PUBLISHED


def test_an_empty_form_says_what_is_missing_and_saves_nothing(worker: Any, partnership: Any) -> None:
    response = signed_in(worker.user).post(url("learning:log-new", partnership), {"title": "Only a title"})
    assert response.status_code == 200
    assert "Say what you tried." in response.content.decode()
    assert not LogEntry.objects.exists()


def test_a_named_parent_agrees_on_her_page(people: Any, entries: dict[str, LogEntry], partnership: Any) -> None:
    member = people["member"]
    client = signed_in(member.user)
    page = client.get(url("learning:log-consent", partnership, entries["waiting"])).content.decode()
    assert "Waiting entry" in page
    response = client.post(url("learning:log-consent", partnership, entries["waiting"]), {"answer": "agree"})
    assert response.status_code == 302
    entries["waiting"].refresh_from_db()
    assert entries["waiting"].status == LogEntry.Status.PUBLISHED
    assert LogConsent.objects.get(entry=entries["waiting"]).named_outside is False


def test_a_named_parent_says_no(people: Any, entries: dict[str, LogEntry], partnership: Any) -> None:
    client = signed_in(people["member"].user)
    client.post(url("learning:log-consent", partnership, entries["waiting"]), {"answer": "no"})
    entries["waiting"].refresh_from_db()
    assert entries["waiting"].status == LogEntry.Status.DRAFT
    page = signed_in(people["worker"].user).get(url("learning:log-entry", partnership, entries["waiting"]))
    assert "said no" in page.content.decode()


def test_the_case_study_names_only_parents_who_said_so(people: Any, partnership: Any) -> None:
    worker, member, co = people["worker"], people["member"], people["co_author"]
    other = MembershipFactory(partnership=partnership, is_member=True)
    entry = entry_by(worker, co_author_ids=[co.user_id], named_parent_ids=[member.user_id, other.user_id])
    entry = services.log_entry_ask(actor=worker, entry=entry)
    services.log_consent_answer(actor=member, entry=entry, agree=True, named_outside=True)
    services.log_consent_answer(actor=other, entry=entry, agree=True, named_outside=False)
    client = signed_in(people["observer"].user)
    page = client.get(url("learning:log-case-study", partnership, entry)).content.decode()
    assert member.user.display_name in page
    assert other.user.display_name not in page
    assert co.user.display_name not in page  # co-authors may be parents: counted, not named
    download = client.get(url("learning:log-case-study", partnership, entry) + "?download=1")
    assert download["Content-Disposition"].startswith("attachment;")
    body = download.content.decode()
    assert body.startswith("<!DOCTYPE html>")
    assert member.user.display_name in body
    assert other.user.display_name not in body


def test_search_by_words_kind_and_year(worker: Any, member: Any, partnership: Any) -> None:
    start = timezone.make_aware(datetime(2025, 5, 6, 10))
    event = Event.objects.create(
        partnership=partnership, kind="codesign", title="Workshop", starts_at=start, ends_at=start + timedelta(hours=2)
    )
    with_event = entry_by(worker, title="Bus fares", what_we_learned="Fares stop parents coming", event_id=event.pk)
    services.log_entry_ask(actor=worker, entry=with_event)
    services.log_entry_ask(actor=worker, entry=entry_by(worker, title="Crèche"))
    entry_by(worker, title="A draft about bus fares")

    def titles(**filters: Any) -> list[str]:
        return [e.title for e in selectors.published_search(member, **filters)]

    assert titles(query="FARES parents") == ["Bus fares"]
    assert titles(kind="codesign") == ["Bus fares"]
    assert titles(kind="learning") == []
    assert titles(year=2025) == ["Bus fares"]
    assert titles(year=timezone.now().year) == ["Crèche"]
    page = signed_in(member.user).get(url("learning:log", partnership), {"q": "fares", "kind": "codesign"})
    assert "Bus fares" in page.content.decode()
    assert "A draft about bus fares" not in page.content.decode()


def test_the_log_page_makes_the_same_number_of_queries_however_many_entries(
    worker: Any, member: Any, partnership: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(15):
        services.log_entry_ask(actor=worker, entry=entry_by(worker, title=f"Entry {n}"))
    client = signed_in(member.user)
    client.get(url("learning:log", partnership))
    with django_assert_max_num_queries(20):
        assert client.get(url("learning:log", partnership)).status_code == 200


def test_a_co_author_changes_the_entry_and_it_goes_back_to_draft(
    people: Any, entries: dict[str, LogEntry], partnership: Any
) -> None:
    client = signed_in(people["co_author"].user)
    response = client.post(
        url("learning:log-edit", partnership, entries["waiting"]),
        {
            "title": "Waiting entry, changed",
            "what_we_tried": "x",
            "what_we_learned": "y",
            "what_next": "z",
            "named_parents": [people["member"].user_id],
        },
    )
    assert response.status_code == 302
    entries["waiting"].refresh_from_db()
    assert (entries["waiting"].title, entries["waiting"].status) == ("Waiting entry, changed", "draft")


def test_the_home_page_asks_a_named_parent_and_shows_what_was_learned(
    people: Any, entries: dict[str, LogEntry], partnership: Any
) -> None:
    home = reverse("partnerships:home", kwargs={"slug": partnership.slug})
    member_home = signed_in(people["member"].user).get(home).content.decode()
    consent = url("learning:log-consent", partnership, entries["waiting"])
    assert f'href="{consent}"' in member_home
    assert "Published entry" in member_home
    observer_home = signed_in(people["observer"].user).get(home).content.decode()
    assert "Published entry" in observer_home
    assert "Waiting entry" not in observer_home
