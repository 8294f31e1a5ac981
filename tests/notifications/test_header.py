"""The header's count: every capability's unread notices, one query, counted only when drawn."""

from __future__ import annotations

from typing import Any

import pytest

from coproduce.notifications import services
from coproduce.notifications.api import NoticeKind, register_notice_kind
from coproduce.notifications.context_processors import notifications
from tests.conftest import signed_in
from tests.factories import MembershipFactory

register_notice_kind(NoticeKind("test.header", "A notice for the header"))


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


@pytest.mark.parametrize("role", ["member", "observer", "worker", "partner_lead", "coordinator"])
def test_the_header_counts_every_capabilitys_notices_for_every_role(role: str, request: Any) -> None:
    membership = request.getfixturevalue(role)
    for kind, subject in (("voice.comment", "voice.idea:1"), ("voice.response", "voice.idea:2")):
        services.notices_post(
            partnership_id=membership.partnership_id,
            user_ids=[membership.user_id],
            kind=kind,
            text="Something",
            subject_key=subject,
        )
    services.notices_post(
        partnership_id=membership.partnership_id, user_ids=[membership.user_id], kind="test.header", text="x"
    )
    # Not counted: another person's, another partnership's, one read, one about a thing done.
    services.notices_post(
        partnership_id=membership.partnership_id,
        user_ids=[MembershipFactory(partnership=membership.partnership).user_id],
        kind="test.header",
        text="x",
    )
    elsewhere = MembershipFactory(user=membership.user, is_member=True)
    services.notices_post(
        partnership_id=elsewhere.partnership_id, user_ids=[membership.user_id], kind="test.header", text="x"
    )
    services.notices_post(
        partnership_id=membership.partnership_id,
        user_ids=[membership.user_id],
        kind="test.header",
        text="done",
        subject_key="test.header:done",
    )
    services.notices_done(partnership_id=membership.partnership_id, subject_key="test.header:done")
    response = signed_in(membership.user).get(f"/p/{membership.partnership.slug}/")
    assert response.status_code == 200
    assert b'<span class="ds_tag">3</span><span class="visually-hidden"> unread</span>' in response.content
    assert f'href="/p/{membership.partnership.slug}/notifications/"'.encode() in response.content
