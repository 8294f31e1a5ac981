"""The parents' panel: a member joins and leaves; only members may; joining twice is one place."""

from __future__ import annotations

from typing import Any

import pytest

from coproduce.core.exceptions import NotPermitted
from coproduce.core.models import AuditEvent
from coproduce.evaluation import selectors, services
from coproduce.evaluation.models import PanelMember
from coproduce.partnerships.models import Membership
from tests.factories import MembershipFactory, staff_membership

pytestmark = pytest.mark.django_db


def fresh(membership: Membership) -> Membership:
    """The membership as a new request would load it (the panel answer is kept for the rest of a request)."""
    return Membership.objects.select_related("partnership", "user").get(pk=membership.pk)


def test_a_member_joins_the_panel_once_and_it_is_recorded(member: Membership) -> None:
    assert not selectors.on_panel(fresh(member))
    joined = services.panel_join(actor=member)
    again = services.panel_join(actor=fresh(member))
    assert joined.pk == again.pk
    assert PanelMember.objects.filter(partnership=member.partnership, user=member.user).count() == 1
    assert AuditEvent.objects.filter(action="evaluation.panel_joined", actor=member.user).count() == 1
    assert selectors.on_panel(fresh(member))


def test_a_member_leaves_the_panel(member: Membership) -> None:
    services.panel_join(actor=member)
    assert services.panel_leave(actor=fresh(member)) is True
    assert not PanelMember.objects.filter(user=member.user).exists()
    assert AuditEvent.objects.filter(action="evaluation.panel_left", actor=member.user).count() == 1
    assert services.panel_leave(actor=fresh(member)) is False  # not on it: nothing to do, nothing recorded
    assert AuditEvent.objects.filter(action="evaluation.panel_left").count() == 1
    assert not selectors.on_panel(fresh(member))


@pytest.mark.parametrize("role", ["worker", "partner_lead", "coordinator"])
def test_staff_do_not_join_the_panel(partnership: Any, role: str) -> None:
    with pytest.raises(NotPermitted):
        services.panel_join(actor=staff_membership(partnership, role=role))
    assert not PanelMember.objects.exists()


def test_an_observer_does_not_join_the_panel(partnership: Any) -> None:
    observer = MembershipFactory(partnership=partnership, is_member=False, is_observer=True)
    with pytest.raises(NotPermitted):
        services.panel_join(actor=observer)
    assert not PanelMember.objects.exists()


def test_the_panel_is_one_partnership_s(member: Membership) -> None:
    services.panel_join(actor=member)
    elsewhere = MembershipFactory(is_member=True, user=member.user)  # the same person in another partnership
    assert not selectors.on_panel(elsewhere)
