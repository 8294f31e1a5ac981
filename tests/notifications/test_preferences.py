"""Each person chooses, per kind of notice, on the site only / email now / daily email, and their quiet hours."""

from __future__ import annotations

from datetime import time
from typing import Any

import pytest

from coproduce.core.models import AuditEvent
from coproduce.notifications import services
from coproduce.notifications.models import EmailSettings, Notice, NoticePreference
from tests.conftest import signed_in

ROLES = ["member", "observer", "worker", "partner_lead", "coordinator"]


def address(m: Any) -> str:
    return f"/p/{m.partnership.slug}/notifications/how-you-hear/"


def all_site_only(page: str) -> dict[str, str]:
    import re

    return dict.fromkeys(set(re.findall(r'name="(kind__[a-z_]+)"', page)), "site")


@pytest.mark.parametrize("role", ROLES)
def test_every_role_chooses_how_to_hear_and_when_not_to(role: str, request: Any) -> None:
    membership = request.getfixturevalue(role)
    client = signed_in(membership.user)
    page = client.get(address(membership)).content.decode()
    assert "A check-in to look over and agree" in page
    # A parent is not asked about staff's kinds.
    assert ("A new referral to your organisation" in page) == membership.is_staff_role
    assert 'value="08:00"' in page and 'value="14:30"' in page  # the school run, by default
    choices = all_site_only(page)
    choices["kind__support__checkin"] = "email"
    response = client.post(
        address(membership),
        {
            **choices,
            "quiet_morning_from": "07:30",
            "quiet_morning_to": "09:00",
            "quiet_afternoon_from": "",
            "quiet_afternoon_to": "",
        },
    )
    assert response.status_code == 302
    assert NoticePreference.objects.get(user=membership.user, kind="support.checkin").delivery == "email"
    saved = EmailSettings.objects.get(user=membership.user)
    assert saved.quiet_windows() == [(time(7, 30), time(9, 0))]
    assert AuditEvent.objects.filter(action="notifications.preferences_changed").count() == 1
    # What is posted next follows the choice.
    services.notices_post(
        partnership_id=membership.partnership_id, user_ids=[membership.user_id], kind="support.checkin", text="x"
    )
    assert Notice.objects.get(user=membership.user).delivery == "email"


def test_every_mistake_is_listed_and_nothing_is_saved(member: Any) -> None:
    client = signed_in(member.user)
    choices = all_site_only(client.get(address(member)).content.decode())
    choices["kind__support__checkin"] = "pigeon"
    response = client.post(address(member), {**choices, "quiet_morning_from": "8 o'clock", "quiet_morning_to": "09:30"})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("Choose how to hear about this.") == 2  # in the summary and by the question
    assert page.count("Enter a time like 08:00.") == 2
    assert "8 o&#x27;clock" in page  # what was typed is kept
    assert not NoticePreference.objects.exists() and not EmailSettings.objects.exists()


def test_a_quiet_time_needs_both_ends(member: Any) -> None:
    client = signed_in(member.user)
    choices = all_site_only(client.get(address(member)).content.decode())
    response = client.post(
        address(member),
        {
            **choices,
            "quiet_morning_from": "08:00",
            "quiet_morning_to": "",
            "quiet_afternoon_from": "14:30",
            "quiet_afternoon_to": "16:00",
        },
    )
    assert "Enter both times, or leave both empty." in response.content.decode()
    assert not EmailSettings.objects.exists()
