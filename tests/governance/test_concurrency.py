"""Seats and versions under real concurrency on PostgreSQL: the locks make the second coordinator wait and
get a clear answer, never a database error."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from coproduce.core.exceptions import ServiceError
from coproduce.governance import services
from coproduce.governance.models import Seat, SeatHolding, TermsVersion
from coproduce.partnerships.models import Membership
from tests.factories import MembershipFactory, PartnershipFactory, staff_membership
from tests.partnerships.test_concurrency import run_at_once

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL"),
]


def _actor(membership_id: int) -> Membership:
    return Membership.objects.select_related("user", "partnership").get(pk=membership_id)


def test_six_appointments_to_one_seat_at_once_leave_one_holder() -> None:
    partnership = PartnershipFactory()
    coordinators = [staff_membership(partnership, role="coordinator") for _ in range(2)]
    members = [MembershipFactory(partnership=partnership, is_member=True) for _ in range(6)]
    group = services.group_create(actor=coordinators[0], name="Steering group")
    seat = services.seat_create(actor=coordinators[0], group=group, title="Parent", kind="member")
    today = timezone.localdate()

    def appoint(coordinator_id: int, member_id: int) -> Any:
        return lambda: services.seat_appoint(
            actor=_actor(coordinator_id),
            seat=Seat.objects.get(pk=seat.pk),
            membership=Membership.objects.get(pk=member_id),
            term_starts_on=today,
        )

    results = run_at_once([appoint(coordinators[i % 2].pk, m.pk) for i, m in enumerate(members)])
    held = [r for r in results if isinstance(r, SeatHolding)]
    refused = [r for r in results if isinstance(r, ServiceError)]
    assert len(held) == 1 and len(refused) == 5, results
    assert SeatHolding.objects.filter(seat=seat, ended_on__isnull=True).count() == 1


def test_versions_published_at_once_are_numbered_without_gaps() -> None:
    partnership = PartnershipFactory()
    coordinators = [staff_membership(partnership, role="coordinator") for _ in range(4)]

    def publish(coordinator_id: int, n: int) -> Any:
        return lambda: services.terms_publish(actor=_actor(coordinator_id), text=f"Text {n}", change_note=f"Note {n}")

    results = run_at_once([publish(c.pk, n) for n, c in enumerate(coordinators)])
    assert all(isinstance(r, TermsVersion) for r in results), results
    assert sorted(TermsVersion.objects.values_list("number", flat=True)) == [1, 2, 3, 4]
