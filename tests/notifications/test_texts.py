"""Urgent notices by text message: offered only for the kinds that cannot wait and to a person with a confirmed
number who has not stopped texts; sent in her language with a link; never over the limits; the notice is in
her inbox whatever happens to the text."""

from __future__ import annotations

from typing import Any

import pytest

from coproduce.core import sms
from coproduce.core.models import OutgoingText
from coproduce.notifications import services
from coproduce.notifications.models import Notice, NoticePreference
from coproduce.notifications.registry import SMS_KINDS
from tests.conftest import signed_in

NUMBER = "+447700900123"
ROLES = ["member", "observer", "worker", "partner_lead", "coordinator"]


def address(m: Any) -> str:
    return f"/p/{m.partnership.slug}/notifications/how-you-hear/"


def with_number(m: Any, *, verified: bool = True, stopped: bool = False) -> Any:
    m.user.phone, m.user.phone_verified, m.user.texts_stopped = NUMBER, verified, stopped
    m.user.save()
    return m


def post_closing(m: Any, text: str = "A decision closes within a day: Opening hours") -> None:
    services.notices_post(
        partnership_id=m.partnership_id,
        user_ids=[m.user_id],
        kind="decisions.closing",
        text=text,
        url=f"/p/{m.partnership.slug}/decisions/1/",
    )


def choices_from(page: str, **chosen: str) -> dict[str, str]:
    import re

    return {**dict.fromkeys(set(re.findall(r'name="(kind__[a-z_]+)"', page)), "site"), **chosen}


def test_the_urgent_kinds_are_the_three_agreed() -> None:
    assert {"learning.event_reminder", "support.referral_update", "decisions.closing"} == SMS_KINDS


@pytest.mark.parametrize("role", ROLES)
def test_every_role_with_a_confirmed_number_may_choose_texts_for_urgent_kinds(role: str, request: Any) -> None:
    membership = with_number(request.getfixturevalue(role))
    client = signed_in(membership.user)
    page = client.get(address(membership)).content.decode()
    assert 'name="kind__decisions__closing" value="sms"' in page
    assert 'name="kind__support__checkin" value="sms"' not in page  # not urgent: no text offered
    response = client.post(address(membership), choices_from(page, kind__decisions__closing="sms"))
    assert response.status_code == 302
    assert NoticePreference.objects.get(user=membership.user, kind="decisions.closing").delivery == "sms"


def test_without_a_confirmed_number_texts_are_not_offered_nor_accepted(member: Any) -> None:
    with_number(member, verified=False)
    client = signed_in(member.user)
    page = client.get(address(member)).content.decode()
    assert 'value="sms"' not in page
    response = client.post(address(member), choices_from(page, kind__decisions__closing="sms"))
    assert response.status_code == 200 and not NoticePreference.objects.filter(delivery="sms").exists()
    response = client.post(address(member), choices_from(page, kind__support__checkin="sms"))
    assert response.status_code == 200


def test_a_chosen_urgent_notice_is_texted_with_a_link_and_stays_in_the_inbox(member: Any, settings: Any) -> None:
    with_number(member)
    NoticePreference.objects.create(user=member.user, kind="decisions.closing", delivery="sms")
    post_closing(member)
    notice = Notice.objects.get(user=member.user)
    assert notice.delivery == "sms" and notice.read_at is None
    [text] = sms.outbox
    assert text.to == NUMBER and text.reference == f"notice:{notice.pk}"
    assert (
        "Opening hours" in text.body
        and f"{settings.COPRODUCE_SITE_URL}/p/{member.partnership.slug}/decisions/1/" in text.body
    )
    assert OutgoingText.objects.get().partnership_id == member.partnership_id


def test_no_text_after_stopping_them_or_over_the_limit(member: Any, settings: Any) -> None:
    with_number(member, stopped=True)
    NoticePreference.objects.create(user=member.user, kind="decisions.closing", delivery="sms")
    post_closing(member)
    assert not sms.outbox and Notice.objects.count() == 1
    with_number(member)
    settings.COPRODUCE_SMS_PER_PARTNERSHIP_PER_DAY = 0
    post_closing(member, "Another decision closes")
    assert not sms.outbox and Notice.objects.count() == 2
    assert OutgoingText.objects.get().reason == OutgoingText.Reason.PARTNERSHIP_LIMIT


def test_a_repeat_of_an_unread_notice_is_not_texted_again(member: Any) -> None:
    with_number(member)
    NoticePreference.objects.create(user=member.user, kind="decisions.closing", delivery="sms")
    for _ in range(2):
        services.notices_post(
            partnership_id=member.partnership_id,
            user_ids=[member.user_id],
            kind="decisions.closing",
            text="closes soon",
            subject_key="decision:1",
        )
    assert len(sms.outbox) == 1
