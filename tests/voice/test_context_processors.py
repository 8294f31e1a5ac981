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


def test_the_count_is_of_this_persons_unread_notifications_in_this_partnership(member: Any) -> None:
    from django.utils import timezone

    from coproduce.voice.selectors import notifications_for, unread_count
    from tests.factories import MembershipFactory

    someone_else = MembershipFactory(partnership=member.partnership)
    elsewhere = MembershipFactory(user=member.user)  # the same person in another partnership

    def notify(membership: Any, *, read: bool = False) -> None:
        Notification.objects.create(
            user=membership.user,
            partnership=membership.partnership,
            kind=Notification.Kind.COMMENT,
            text="A comment",
            read_at=timezone.now() if read else None,
        )

    for _ in range(3):
        notify(member)
    notify(member, read=True)
    notify(someone_else)
    notify(elsewhere)
    notify(elsewhere)
    for membership, expected in ((member, 3), (someone_else, 1), (elsewhere, 2)):
        assert unread_count(membership) == expected
        assert unread_count(membership) == notifications_for(membership).filter(read_at__isnull=True).count()
