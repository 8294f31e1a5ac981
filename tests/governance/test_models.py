"""The agreement's invariants hold in the database, whatever the services do."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from coproduce.governance.models import DecisionRule, Interest, Seat, SeatHolding, TermsVersion


def _refused(make: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_a_seat_has_one_current_holder(member_seat: Any, member: Any, today: Any) -> None:
    SeatHolding.objects.create(seat=member_seat, membership=member, term_starts_on=today)
    _refused(lambda: SeatHolding.objects.create(seat=member_seat, membership=member, term_starts_on=today))
    # Past holdings are history: as many as there were.
    SeatHolding.objects.filter(seat=member_seat).update(ended_on=today)
    SeatHolding.objects.create(seat=member_seat, membership=member, term_starts_on=today)
    assert SeatHolding.objects.filter(seat=member_seat).count() == 2


def test_a_holding_ends_after_it_starts(member_seat: Any, member: Any, today: Any) -> None:
    _refused(
        lambda: SeatHolding.objects.create(
            seat=member_seat, membership=member, term_starts_on=today, term_ends_on=today - timedelta(days=1)
        )
    )
    _refused(
        lambda: SeatHolding.objects.create(
            seat=member_seat, membership=member, term_starts_on=today, ended_on=today - timedelta(days=1)
        )
    )


def test_a_seat_belongs_to_an_organisation_exactly_when_it_is_an_organisations(group: Any, college: Any) -> None:
    _refused(
        lambda: Seat.objects.create(
            partnership=group.partnership, group=group, title="x", kind="member", organisation=college
        )
    )
    _refused(lambda: Seat.objects.create(partnership=group.partnership, group=group, title="x", kind="organisation"))
    _refused(lambda: Seat.objects.create(partnership=group.partnership, group=group, title="x", kind="other"))


@pytest.mark.parametrize(
    "fields",
    [
        {"method": "yes_no", "threshold_percent": 49},
        {"method": "yes_no", "threshold_percent": 101},
        {"method": "yes_no", "threshold_percent": None},
        {"method": "consent", "threshold_percent": 60},
        {"quorum_percent": 101},
        {"double_majority": True, "participants": "members"},
        {"participants": "group"},
        {"method": "dictator"},
    ],
)
def test_a_decision_rule_is_valid(partnership: Any, fields: dict[str, Any]) -> None:
    values = {"method": "consent", "participants": "everyone", "quorum_percent": 50, **fields}
    _refused(lambda: DecisionRule.objects.create(partnership=partnership, kind="fund", **values))


def test_one_rule_per_kind(partnership: Any) -> None:
    DecisionRule.objects.create(partnership=partnership, kind="fund", method="consent", participants="everyone")
    _refused(
        lambda: DecisionRule.objects.create(partnership=partnership, kind="fund", method="score", participants="staff")
    )


def test_terms_versions_are_numbered_once_and_never_changed(partnership: Any) -> None:
    version = TermsVersion.objects.create(partnership=partnership, number=1, text="Text", change_note="First")
    _refused(lambda: TermsVersion.objects.create(partnership=partnership, number=1, text="Other", change_note="x"))
    version.text = "Changed in place"
    with pytest.raises(ValueError, match="never changed"):
        version.save()


def test_an_interest_ends_after_it_starts(member: Any, today: Any) -> None:
    _refused(
        lambda: Interest.objects.create(
            partnership=member.partnership,
            membership=member,
            what="A job",
            starts_on=today,
            ends_on=today - timedelta(days=1),
        )
    )


def test_a_group_that_decides_cannot_be_deleted_alone_but_goes_with_its_partnership(
    coordinator: Any, group: Any, partnership: Any
) -> None:
    from django.db.models import RestrictedError

    from coproduce.governance import services

    services.decision_rule_set(
        actor=coordinator, kind="fund", method="consent", quorum_percent=0, participants="group", group=group
    )
    with pytest.raises(RestrictedError):
        group.delete()
    DecisionRule.objects.filter(partnership=partnership).delete()
    services.decision_rule_set(
        actor=coordinator, kind="fund", method="consent", quorum_percent=0, participants="group", group=group
    )
    coordinator.delete()  # staff hold their organisation (PROTECT), so the partnership goes without them
    partnership.delete()
    assert not DecisionRule.objects.exists()
