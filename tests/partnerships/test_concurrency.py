"""Real concurrency on PostgreSQL: several threads, each with its own connection, at once."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from django.db import connection, connections

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.datarights import services as datarights
from coproduce.partnerships import services
from coproduce.partnerships.models import Invitation, Membership, MyDataExport
from tests.factories import MembershipFactory, PartnershipFactory, staff_membership

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL"),
]


def run_at_once(functions: Sequence[Callable[..., Any]]) -> list[Any]:
    """Start every function together, each called with no arguments (a lambda may bind its own defaults);
    return each result or the exception it raised."""
    barrier = threading.Barrier(len(functions))
    results: list[Any] = [None] * len(functions)

    def runner(index: int, function: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = function()
        except Exception as error:
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_one_invitation_accepted_by_eight_tabs_at_once_makes_one_account() -> None:
    partnership = PartnershipFactory()
    coordinator = staff_membership(partnership, role="coordinator")
    invitation = services.invitation_create(
        actor=coordinator, email="aisha@example.org", roles={"member"}, organisation=None
    )

    def accept() -> Any:
        return services.invitation_accept_new_account(
            invitation=Invitation.objects.get(pk=invitation.pk), display_name="Aisha", password="school hours job 2026"
        )

    results = run_at_once([accept] * 8)
    assert sum(isinstance(r, Membership) for r in results) == 1
    assert all(isinstance(r, (Membership, ServiceError)) for r in results), results
    assert Membership.objects.filter(user__email="aisha@example.org").count() == 1


def test_invitations_to_one_address_sent_at_once_leave_one_open() -> None:
    partnership = PartnershipFactory()
    coordinator = staff_membership(partnership, role="coordinator")

    def invite() -> Any:
        return services.invitation_create(actor=coordinator, email="x@example.org", roles={"member"}, organisation=None)

    results = run_at_once([invite] * 6)
    assert all(isinstance(r, Invitation) for r in results), results
    assert Invitation.objects.filter(email="x@example.org", accepted_at=None, revoked_at=None).count() == 1
    assert Invitation.objects.filter(email="x@example.org").count() == 6


def test_two_coordinators_demoting_each_other_at_once_leave_one_coordinator() -> None:
    partnership = PartnershipFactory()
    first = staff_membership(partnership, role="coordinator")
    second = staff_membership(partnership, role="coordinator", organisation=first.organisation)

    def demote(actor: Membership, target: Membership) -> Callable[[], Any]:
        return lambda: services.membership_roles_change(
            actor=Membership.objects.get(pk=actor.pk),
            membership=Membership.objects.get(pk=target.pk),
            roles={"worker"},
            organisation=first.organisation,
        )

    results = run_at_once([demote(first, second), demote(second, first)])
    assert Membership.objects.filter(partnership=partnership, is_coordinator=True).count() == 1
    # One demotion happens; the other is refused: as the last coordinator (ServiceError) or, when the first
    # committed before the second began, because its actor is no longer a coordinator (NotPermitted).
    assert sum(isinstance(r, Membership) for r in results) == 1, results
    assert sum(isinstance(r, (ServiceError, NotPermitted)) for r in results) == 1, results


def test_the_only_two_coordinators_leaving_at_once_leave_one() -> None:
    partnership = PartnershipFactory()
    first = staff_membership(partnership, role="coordinator")
    second = staff_membership(partnership, role="coordinator", organisation=first.organisation)
    results = run_at_once(
        [lambda m=m: datarights.membership_leave(actor=Membership.objects.get(pk=m.pk)) for m in (first, second)]
    )
    assert Membership.objects.filter(partnership=partnership, is_coordinator=True).count() == 1
    assert sum(isinstance(r, ServiceError) for r in results) == 1


def test_my_data_asked_for_from_six_tabs_at_once_is_prepared_once() -> None:
    member = MembershipFactory(partnership=PartnershipFactory(), is_member=True)

    def ask() -> Any:
        return services.my_data_export_request(actor=Membership.objects.select_related("partnership").get(pk=member.pk))

    results = run_at_once([ask] * 6)
    assert all(isinstance(r, MyDataExport) for r in results), results
    # Without the constraint on one download in progress, each tab makes its own.
    assert MyDataExport.objects.filter(membership=member).count() == 1
