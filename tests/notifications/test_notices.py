"""One inbox: posting, grouping repeats, clearing when done, marking read, the inbox page as every role."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from coproduce.core.exceptions import NotPermitted
from coproduce.notifications import selectors, services
from coproduce.notifications.api import NoticeKind, register_notice_kind
from coproduce.notifications.models import Notice
from tests.conftest import signed_in
from tests.factories import MembershipFactory

register_notice_kind(NoticeKind("test.thing", "A thing to test"))


def post(membership: Any, subject: str = "test.thing:1", text: str = "Look at the thing.", **kw: Any) -> int:
    return services.notices_post(
        partnership_id=membership.partnership_id,
        user_ids=[membership.user_id],
        kind="test.thing",
        text=text,
        url="/somewhere/",
        subject_key=subject,
        **kw,
    )


def test_repeats_about_the_same_thing_are_one_notice_with_a_count_and_the_latest_time(member: Any) -> None:
    first = timezone.now() - timedelta(hours=2)
    post(member, now=first)
    post(member, now=first + timedelta(hours=1), text="Look again.")
    post(member, now=first + timedelta(hours=2), text="And again.")
    post(member, subject="test.thing:2")
    notices = list(selectors.inbox_for(member))
    assert [(n.subject_key, n.count) for n in notices] == [("test.thing:2", 1), ("test.thing:1", 3)]
    assert notices[1].text == "And again."
    assert notices[1].latest_at == first + timedelta(hours=2)
    assert notices[1].created_at == first


def test_a_repeat_after_the_notice_was_read_is_a_new_notice(member: Any) -> None:
    post(member)
    services.notices_mark_all_read(actor=member)
    post(member)
    assert [n.count for n in selectors.inbox_for(member)] == [1, 1]
    assert selectors.unread_count(member) == 1


def test_a_notice_about_something_done_clears_itself_for_everyone(member: Any, worker: Any) -> None:
    for m in (member, worker):
        post(m)
    post(member, subject="test.thing:2")
    assert services.notices_done(partnership_id=member.partnership_id, subject_key="test.thing:1") == 2
    assert [n.subject_key for n in selectors.inbox_for(member)] == ["test.thing:2"]
    assert list(selectors.inbox_for(worker)) == []
    assert selectors.unread_count(worker) == 0


def test_clearing_touches_only_its_own_partnership(member: Any) -> None:
    elsewhere = MembershipFactory(user=member.user, is_member=True)
    post(member)
    post(elsewhere)
    services.notices_done(partnership_id=member.partnership_id, subject_key="test.thing:1")
    assert selectors.unread_count(elsewhere) == 1


def test_the_unread_count_is_the_unread_rows_of_the_inbox(member: Any) -> None:
    post(member)
    post(member, subject="test.thing:2")
    post(member, subject="test.thing:3")
    services.notice_mark_read(actor=member, notice_id=Notice.objects.get(subject_key="test.thing:2").pk)
    services.notices_done(partnership_id=member.partnership_id, subject_key="test.thing:3")
    other = MembershipFactory(partnership=member.partnership, is_member=True)
    post(other)
    assert selectors.unread_count(member) == selectors.inbox_for(member).filter(read_at__isnull=True).count() == 1


def test_nobody_marks_anothers_notice_read(member: Any, worker: Any) -> None:
    post(worker)
    with pytest.raises(NotPermitted):
        services.notice_mark_read(actor=member, notice_id=Notice.objects.get().pk)
    assert Notice.objects.get().read_at is None


def test_a_notice_links_only_inside_the_site(member: Any) -> None:
    with pytest.raises(ValueError):
        services.notices_post(
            partnership_id=member.partnership_id,
            user_ids=[member.user_id],
            kind="test.thing",
            text="x",
            url="https://evil.example/",
        )
    with pytest.raises(LookupError):
        services.notices_post(partnership_id=member.partnership_id, user_ids=[member.user_id], kind="nope.x", text="x")


ROLES = ["member", "observer", "worker", "partner_lead", "coordinator"]


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_its_inbox_and_marks_read_without_javascript(role: str, request: Any) -> None:
    membership = request.getfixturevalue(role)
    post(membership, text="Your thing <b>needs</b> you.")
    post(membership, subject="test.thing:2", text="Second thing.")
    client = signed_in(membership.user)
    url = f"/p/{membership.partnership.slug}/notifications/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Your thing &lt;b&gt;needs&lt;/b&gt; you." in page.content.decode()
    notice = Notice.objects.get(subject_key="test.thing:1")
    assert client.post(f"{url}{notice.pk}/read/").status_code == 302
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert client.post(url).status_code == 302
    assert selectors.unread_count(membership) == 0


def test_marking_read_someone_elses_notice_answers_404(member: Any, worker: Any) -> None:
    post(worker)
    notice = Notice.objects.get()
    response = signed_in(member.user).post(f"/p/{member.partnership.slug}/notifications/{notice.pk}/read/")
    assert response.status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_the_inbox_is_a_constant_number_of_queries(member: Any, django_assert_max_num_queries: Any) -> None:
    client = signed_in(member.user)
    url = f"/p/{member.partnership.slug}/notifications/"
    client.get(url)
    for i in range(20):
        post(member, subject=f"test.thing:{i}")
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    n = len(few.captured_queries)
    for i in range(20, 40):
        post(member, subject=f"test.thing:{i}")
    with django_assert_max_num_queries(n):
        client.get(url)
