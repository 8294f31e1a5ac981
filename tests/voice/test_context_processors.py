from __future__ import annotations

from typing import Any

from coproduce.voice.context_processors import notifications
from coproduce.voice.models import Notification


def test_the_unread_count_is_counted_only_when_a_template_shows_it(
    rf: Any, member: Any, django_assert_num_queries: Any
) -> None:
    request = rf.get("/")
    request.membership = member
    with django_assert_num_queries(0):
        context = notifications(request)
    with django_assert_num_queries(1):
        assert context["unread_notifications"]() == 0
        assert context["unread_notifications"]() == 0  # counted once per page


def test_outside_a_partnership_there_is_nothing_to_count(rf: Any, db: Any, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(0):
        assert notifications(rf.get("/"))["unread_notifications"] == 0


def test_the_count_is_shown_in_the_header(member: Any) -> None:
    from tests.conftest import signed_in

    for _ in range(3):
        Notification.objects.create(
            user=member.user, partnership=member.partnership, kind=Notification.Kind.COMMENT, text="A comment"
        )
    response = signed_in(member.user).get(f"/p/{member.partnership.slug}/")
    assert response.status_code == 200
    assert b'<span class="ds_tag">3</span><span class="visually-hidden"> unread</span>' in response.content
