"""Emails of notices: straight away or in the one daily digest, never in quiet hours (a fixed clock)."""

from __future__ import annotations

import datetime
from datetime import time, timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from coproduce.notifications import services
from coproduce.notifications.api import NoticeKind, register_notice_kind
from coproduce.notifications.models import EmailSettings, Notice, NoticePreference
from coproduce.notifications.services.emails import email_send, emails_send_due, in_quiet_hours
from coproduce.notifications.tasks import send_due_emails
from tests.factories import MembershipFactory

register_notice_kind(NoticeKind("test.mail", "A notice to email", delivery="email"))
register_notice_kind(NoticeKind("test.daily", "A notice for the digest", delivery="digest"))
register_notice_kind(NoticeKind("test.quiet", "A notice for the site"))


def at(hour: int, minute: int = 0, day: int = 7) -> datetime.datetime:
    """A time in London (in December, the same as UTC)."""
    return timezone.make_aware(datetime.datetime(2026, 12, day, hour, minute))


def post(m: Any, kind: str, text: str = "Something for you", when: datetime.datetime | None = None, **kw: Any) -> None:
    services.notices_post(
        partnership_id=m.partnership_id, user_ids=[m.user_id], kind=kind, text=text, url="/p/x/", now=when, **kw
    )


def test_quiet_hours_are_the_school_run_by_default() -> None:
    windows = EmailSettings().quiet_windows()
    assert windows == [(time(8, 0), time(9, 30)), (time(14, 30), time(16, 0))]
    times = [(7, 59), (8, 0), (9, 29), (9, 30), (14, 30), (15, 59), (16, 0)]
    assert [in_quiet_hours(windows, at(h, m)) for h, m in times] == [False, True, True, False, True, True, False]
    assert in_quiet_hours([(time(22, 0), time(7, 0))], at(23)) and in_quiet_hours([(time(22, 0), time(7, 0))], at(6))


def test_an_email_now_waits_for_the_end_of_the_school_run(member: Any) -> None:
    post(member, "test.mail", "Your plan has a new goal", when=at(8, 10))
    assert emails_send_due(now=at(8, 15)) == 0
    assert emails_send_due(now=at(9, 15)) == 0
    assert not mail.outbox
    assert emails_send_due(now=at(9, 30)) == 1
    assert mail.outbox[-1].to == [member.user.email]
    assert "Your plan has a new goal" in mail.outbox[-1].body
    assert emails_send_due(now=at(9, 45)) == 0  # sent once
    assert Notice.objects.get().emailed_at == at(9, 30)


def test_quiet_hours_can_be_changed_or_taken_away(member: Any) -> None:
    EmailSettings.objects.create(user=member.user, quiet_morning_from=None, quiet_morning_to=None)
    post(member, "test.mail", when=at(8, 10))
    assert emails_send_due(now=at(8, 15)) == 1


def test_the_daily_digest_is_one_email_across_capabilities_and_partnerships_once_a_day(member: Any) -> None:
    elsewhere = MembershipFactory(user=member.user, is_member=True)
    post(member, "test.daily", "A comment on your idea", when=at(10))
    post(elsewhere, "test.daily", "A check-in to agree", when=at(10))
    NoticePreference.objects.create(user=member.user, kind="voice.comment", delivery="digest")
    post(member, "voice.comment", "New comment on an idea you follow", when=at(10), subject_key="voice.idea:1")
    assert email_send(user_id=member.user_id, now=at(10, 15)) == 3
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "A comment on your idea" in body and "A check-in to agree" in body and "New comment on an idea" in body
    assert mail.outbox[0].subject == "Coproduce: 3 things for you"
    post(member, "test.daily", "Another", when=at(11))
    for later in (at(11, 15), at(23, 45), at(10, 0, day=8)):
        assert emails_send_due(now=later) == 0  # a day has not passed since the last digest
    assert emails_send_due(now=at(10, 15, day=8)) == 1
    assert len(mail.outbox) == 2 and "Another" in mail.outbox[-1].body


def test_on_the_site_only_is_never_emailed_nor_is_what_was_read_or_done(member: Any) -> None:
    post(member, "test.quiet", when=at(10))
    post(member, "test.mail", "read it", when=at(10), subject_key="a:1")
    post(member, "test.mail", "done", when=at(10), subject_key="a:2")
    Notice.objects.filter(subject_key="a:1").update(read_at=at(10, 1))
    services.notices_done(partnership_id=member.partnership_id, subject_key="a:2")
    assert emails_send_due(now=at(10, 15)) == 0
    assert not mail.outbox


def test_a_persons_choice_beats_the_kinds_default(member: Any) -> None:
    NoticePreference.objects.create(user=member.user, kind="test.mail", delivery="site")
    post(member, "test.mail", when=at(10))
    assert Notice.objects.get().delivery == "site"
    assert emails_send_due(now=at(10, 15)) == 0


@pytest.mark.django_db
def test_the_periodic_job_sends_what_is_due(member: Any) -> None:
    post(member, "test.mail", when=timezone.now() - timedelta(minutes=1))
    EmailSettings.objects.create(
        user=member.user,
        quiet_morning_from=None,
        quiet_morning_to=None,
        quiet_afternoon_from=None,
        quiet_afternoon_to=None,
    )
    assert send_due_emails.call() == 1
    assert len(mail.outbox) == 1
