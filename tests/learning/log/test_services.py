"""The learning log's writes: drafts, asking the parents named, their answers, changes, bad input, notices,
audit, and what leaving and erasure do."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction

from coproduce.core.audit import AuditEvent
from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.datarights import services as datarights
from coproduce.learning import selectors
from coproduce.learning.departure import LOG_DEPARTURE
from coproduce.learning.models import LogConsent, LogEntry, LogLink
from coproduce.learning.personal_data import log_export
from coproduce.learning.services import log as services
from coproduce.notifications.models import Notice
from coproduce.partnerships.models import Membership
from coproduce.voice import services as voice_services
from tests.factories import MembershipFactory
from tests.learning.log.helpers import entry_by, log_fields


@pytest.fixture
def parent(partnership: Any) -> Membership:
    return MembershipFactory(partnership=partnership, is_member=True)


def test_a_new_entry_is_a_draft_with_its_markdown_made_safe(worker: Any) -> None:
    entry = entry_by(worker, what_we_tried="Tried **this** <script>alert(1)</script>")
    assert entry.status == LogEntry.Status.DRAFT
    assert entry.author_id == worker.user_id
    assert "<strong>this</strong>" in entry.what_we_tried_html
    assert "<script>" not in entry.what_we_tried_html
    assert AuditEvent.objects.filter(action="learning.log_created", target_id=str(entry.pk)).exists()


def test_members_and_observers_do_not_start_entries(member: Any, observer: Any) -> None:
    for who in (member, observer):
        with pytest.raises(NotPermitted):
            entry_by(who)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "  "}, "title"),
        ({"what_we_tried": ""}, "what_we_tried"),
        ({"what_we_learned": "x" * 4001}, "what_we_learned"),
        ({"what_next": ""}, "what_next"),
        ({"event_id": 999999}, "event"),
        ({"test_ids": [999999]}, "tests"),
        ({"idea_ids": [999999]}, "ideas"),
        ({"decision_id": 999999}, "decision"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(worker: Any, overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(ServiceError) as caught:
        entry_by(worker, **overrides)
    assert caught.value.field == field
    assert not LogEntry.objects.exists()


def test_only_members_of_the_partnership_can_be_named(worker: Any, outsider: Any, observer: Any) -> None:
    for who in (outsider, observer, worker):
        with pytest.raises(ServiceError) as caught:
            entry_by(worker, named_parent_ids=[who.user_id])
        assert caught.value.field == "named_parents"


def test_an_entry_naming_nobody_is_published_when_shared(worker: Any) -> None:
    entry = services.log_entry_ask(actor=worker, entry=entry_by(worker))
    assert entry.status == LogEntry.Status.PUBLISHED
    assert entry.published_at is not None


def test_published_only_when_every_named_parent_agrees(worker: Any, member: Any, parent: Any) -> None:
    entry = entry_by(worker, named_parent_ids=[member.user_id, parent.user_id])
    entry = services.log_entry_ask(actor=worker, entry=entry)
    assert entry.status == LogEntry.Status.WAITING
    asked = Notice.objects.filter(kind=services.ASKED, done_at__isnull=True)
    assert set(asked.values_list("user_id", flat=True)) == {member.user_id, parent.user_id}

    entry = services.log_consent_answer(actor=member, entry=selectors.entry_for(member, entry.pk), agree=True)
    assert entry.status == LogEntry.Status.WAITING
    assert set(asked.values_list("user_id", flat=True)) == {parent.user_id}  # her notice is done, not the other

    entry = services.log_consent_answer(
        actor=parent, entry=selectors.entry_for(parent, entry.pk), agree=True, named_outside=True
    )
    assert entry.status == LogEntry.Status.PUBLISHED
    told = Notice.objects.get(kind=services.ANSWERED, user_id=worker.user_id)
    assert "published" in told.text
    assert selectors.named_outside(entry) == [parent.user.display_name]
    assert AuditEvent.objects.filter(action="learning.log_published", target_id=str(entry.pk)).exists()


def test_a_no_keeps_it_unpublished_and_tells_the_author(worker: Any, member: Any) -> None:
    entry = services.log_entry_ask(actor=worker, entry=entry_by(worker, named_parent_ids=[member.user_id]))
    entry = services.log_consent_answer(actor=member, entry=entry, agree=False)
    assert entry.status == LogEntry.Status.DRAFT
    assert LogConsent.objects.get(entry=entry).declined_at is not None
    assert "said no" in Notice.objects.get(kind=services.ANSWERED, user_id=worker.user_id).text
    assert not selectors.published_search(worker).exists()


def test_taking_back_agreement_takes_a_published_entry_down(worker: Any, member: Any) -> None:
    entry = services.log_entry_ask(actor=worker, entry=entry_by(worker, named_parent_ids=[member.user_id]))
    entry = services.log_consent_answer(actor=member, entry=entry, agree=True)
    assert entry.status == LogEntry.Status.PUBLISHED
    entry = services.log_consent_answer(actor=member, entry=entry, agree=False)
    assert entry.status == LogEntry.Status.DRAFT
    assert entry.published_at is None


def test_changing_an_entry_takes_it_back_to_draft_and_clears_the_answers(worker: Any, member: Any) -> None:
    entry = services.log_entry_ask(actor=worker, entry=entry_by(worker, named_parent_ids=[member.user_id]))
    entry = services.log_consent_answer(actor=member, entry=entry, agree=True, named_outside=True)
    entry = services.log_entry_update(
        actor=worker, entry=entry, fields=log_fields(title="New words", named_parent_ids=[member.user_id])
    )
    assert entry.status == LogEntry.Status.DRAFT
    consent = LogConsent.objects.get(entry=entry)
    assert consent.agreed_at is None
    assert consent.named_outside is False


def test_co_authors_write_others_do_not(worker: Any, member: Any, coordinator: Any, parent: Any) -> None:
    entry = entry_by(worker, co_author_ids=[member.user_id])
    services.log_entry_update(actor=member, entry=entry, fields=log_fields(title="By the co-author"))
    for who in (coordinator, parent):
        with pytest.raises(NotPermitted):
            services.log_entry_update(actor=who, entry=entry, fields=log_fields())


def test_only_the_named_parent_answers_and_only_once_asked(worker: Any, member: Any, parent: Any) -> None:
    entry = entry_by(worker, named_parent_ids=[member.user_id])
    with pytest.raises(NotPermitted):  # still a draft: she has not been asked
        services.log_consent_answer(actor=member, entry=entry, agree=True)
    entry = services.log_entry_ask(actor=worker, entry=entry)
    with pytest.raises(NotPermitted):
        services.log_consent_answer(actor=parent, entry=entry, agree=True)


def test_asking_twice_is_refused(worker: Any, member: Any) -> None:
    entry = services.log_entry_ask(actor=worker, entry=entry_by(worker, named_parent_ids=[member.user_id]))
    with pytest.raises(ServiceError):
        services.log_entry_ask(actor=worker, entry=entry)


def test_links_are_saved_and_shown_only_as_far_as_the_reader_sees(worker: Any, member: Any) -> None:
    idea = voice_services.idea_create(actor=member, title="Crèche at every session", body="Please.")
    entry = entry_by(worker, idea_ids=[idea.pk])
    assert list(LogLink.objects.filter(entry=entry).values_list("kind", "target_id")) == [("idea", idea.pk)]
    entry = services.log_entry_ask(actor=worker, entry=entry)
    assert [link.title for link in selectors.links_for(member, entry)["idea"]] == ["Crèche at every session"]
    voice_services.idea_withdraw(actor=member, idea=idea)
    assert selectors.links_for(worker, entry)["idea"] == []


def test_the_database_refuses_an_answer_both_agreed_and_declined(worker: Any, member: Any) -> None:
    entry = entry_by(worker, named_parent_ids=[member.user_id])
    consent = LogConsent.objects.get(entry=entry)
    consent.agreed_at = consent.declined_at = entry.created_at
    with pytest.raises(IntegrityError), transaction.atomic():
        consent.save()


def test_the_database_refuses_a_name_outside_without_agreement(worker: Any, member: Any) -> None:
    entry = entry_by(worker, named_parent_ids=[member.user_id])
    with pytest.raises(IntegrityError), transaction.atomic():
        LogConsent.objects.filter(entry=entry).update(named_outside=True)


def test_erasing_a_named_parent_takes_her_name_out(worker: Any, member: Any, coordinator: Any) -> None:
    entry = services.log_entry_ask(actor=worker, entry=entry_by(worker, named_parent_ids=[member.user_id]))
    services.log_consent_answer(actor=member, entry=entry, agree=True, named_outside=True)
    assert log_export(member)["log_named"][0]["your_name_on_the_case_study"] is True
    erasure = datarights.erasure_request(actor=member)
    datarights.erasure_confirm(actor=coordinator, erasure=erasure)
    entry.refresh_from_db()
    assert entry.status == LogEntry.Status.PUBLISHED
    assert not LogConsent.objects.filter(entry=entry).exists()
    assert selectors.named_outside(entry) == []


def test_erasing_the_author_and_a_co_author_keeps_the_entry_by_a_former_member(
    worker: Any, member: Any, coordinator: Any
) -> None:
    entry = entry_by(worker, co_author_ids=[member.user_id])
    assert log_export(member)["log_entries"][0]["your_part"] == "co-author"
    LOG_DEPARTURE.erase(worker)
    LOG_DEPARTURE.erase(member)
    entry.refresh_from_db()
    assert entry.author is None
    assert entry.former_co_authors == 1
    line = selectors.byline(entry)
    assert (line.author, line.co_authors, line.former_co_authors) == ("a former member", [], 1)


def test_a_parent_leaving_sends_an_entry_waiting_for_her_back_to_draft(worker: Any, member: Any) -> None:
    entry = services.log_entry_ask(actor=worker, entry=entry_by(worker, named_parent_ids=[member.user_id]))
    assert [line.count for line in LOG_DEPARTURE.leaving(member)] == [1, 0]
    LOG_DEPARTURE.leave(member)
    entry.refresh_from_db()
    assert entry.status == LogEntry.Status.DRAFT
    assert not entry.named_parents.exists()
