"""The agreement's writes: who may make each, what bad input is refused with, and what they record."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.models import AuditEvent
from coproduce.governance import api, services
from coproduce.governance.models import DecisionRule, Group, Interest, SeatHolding, TermsVersion
from coproduce.partnerships.personal_data import departures
from tests.factories import MembershipFactory, OrganisationFactory, PartnershipFactory, staff_membership

NOT_COORDINATORS = ["member", "observer", "worker", "partner_lead"]


def _actions(partnership: Any) -> list[str]:
    return list(AuditEvent.objects.filter(partnership_id=partnership.pk).values_list("action", flat=True))


# Terms of reference


def test_publishing_keeps_every_version_numbered_and_dated(coordinator: Any) -> None:
    first = services.terms_publish(actor=coordinator, text="# Purpose\n\nWork together.", change_note="First")
    second = services.terms_publish(
        actor=coordinator, text="# Purpose\n\nWork together, as equals.", change_note="Equals"
    )
    assert (first.number, second.number) == (1, 2)
    assert list(TermsVersion.objects.values_list("number", "text")) == [
        (2, "# Purpose\n\nWork together, as equals."),
        (1, "# Purpose\n\nWork together."),
    ]
    assert second.published_by == coordinator.user
    assert "<h3>Purpose</h3>" in second.text_html
    assert _actions(coordinator.partnership).count("governance.terms_published") == 2


def test_the_terms_are_rendered_safely(coordinator: Any) -> None:
    version = services.terms_publish(
        actor=coordinator, text="Hi <script>alert(1)</script> [x](javascript:alert(1))", change_note="x"
    )
    assert "<script" not in version.text_html and "href" not in version.text_html


def test_terms_need_text_and_a_note(coordinator: Any) -> None:
    with pytest.raises(ServiceError) as error:
        services.terms_publish(actor=coordinator, text="  ", change_note="x")
    assert error.value.field == "text"
    with pytest.raises(ServiceError) as error:
        services.terms_publish(actor=coordinator, text="Text", change_note="")
    assert error.value.field == "change_note"
    assert not TermsVersion.objects.exists()


@pytest.mark.parametrize("role", NOT_COORDINATORS)
def test_only_coordinators_change_the_agreement(role: str, request: Any, group: Any, member_seat: Any) -> None:
    actor = request.getfixturevalue(role)
    attempts = [
        lambda: services.terms_publish(actor=actor, text="Text", change_note="x"),
        lambda: services.group_create(actor=actor, name="Board"),
        lambda: services.group_update(actor=actor, group=group, name="Board"),
        lambda: services.seat_create(actor=actor, group=group, title="Seat", kind="member"),
        lambda: services.seat_update(actor=actor, seat=member_seat, title="Seat", kind="member"),
        lambda: services.decision_rule_set(
            actor=actor, kind="fund", method="consent", quorum_percent=50, participants="everyone"
        ),
    ]
    for attempt in attempts:
        with pytest.raises(NotPermitted):
            attempt()
    assert not TermsVersion.objects.exists() and not DecisionRule.objects.exists()
    assert list(Group.objects.values_list("name", flat=True)) == ["Steering group"]


def test_a_coordinator_of_another_partnership_reaches_nothing(group: Any, member_seat: Any) -> None:
    elsewhere = staff_membership(PartnershipFactory(slug="elsewhere"), role="coordinator")
    with pytest.raises(NotPermitted):
        services.group_update(actor=elsewhere, group=group, name="Taken over")
    with pytest.raises(NotPermitted):
        services.seat_create(actor=elsewhere, group=group, title="Seat", kind="member")
    with pytest.raises(NotPermitted):
        services.seat_update(actor=elsewhere, seat=member_seat, title="Seat", kind="member")


# Groups and seats


def test_group_names_are_unique_in_the_partnership(coordinator: Any, group: Any) -> None:
    with pytest.raises(ServiceError) as error:
        services.group_create(actor=coordinator, name="steering GROUP")
    assert error.value.field == "name"
    renamed = services.group_update(actor=coordinator, group=group, name="Steering group", purpose="New purpose")
    assert renamed.purpose == "New purpose"


def test_an_organisation_seat_needs_an_organisation_of_this_partnership(coordinator: Any, group: Any) -> None:
    with pytest.raises(ServiceError) as error:
        services.seat_create(actor=coordinator, group=group, title="College", kind="organisation")
    assert error.value.field == "organisation"
    other = OrganisationFactory(partnership=PartnershipFactory(slug="other"))
    with pytest.raises(ServiceError):
        services.seat_create(actor=coordinator, group=group, title="College", kind="organisation", organisation=other)
    # A member seat never keeps a stray organisation.
    seat = services.seat_create(
        actor=coordinator, group=group, title="Parent", kind="member", organisation=coordinator.organisation
    )
    assert seat.organisation is None


def test_a_member_seat_is_held_by_a_member(
    coordinator: Any, member_seat: Any, member: Any, worker: Any, today: Any
) -> None:
    with pytest.raises(ServiceError) as error:
        services.seat_appoint(actor=coordinator, seat=member_seat, membership=worker, term_starts_on=today)
    assert error.value.code == "wrong_kind"
    holding = services.seat_appoint(
        actor=coordinator,
        seat=member_seat,
        membership=member,
        term_starts_on=today,
        term_ends_on=today + timedelta(days=365),
    )
    assert holding.membership == member
    assert "governance.seat_appointed" in _actions(member.partnership)


def test_an_organisation_seat_is_held_by_that_organisations_staff(
    coordinator: Any, college_seat: Any, college_worker: Any, worker: Any, member: Any, today: Any
) -> None:
    for wrong in (worker, member):  # staff of another organisation; a member
        with pytest.raises(ServiceError):
            services.seat_appoint(actor=coordinator, seat=college_seat, membership=wrong, term_starts_on=today)
    services.seat_appoint(actor=coordinator, seat=college_seat, membership=college_worker, term_starts_on=today)


def test_someone_from_another_partnership_cannot_hold_a_seat(
    coordinator: Any, member_seat: Any, outsider: Any, today: Any
) -> None:
    with pytest.raises(ServiceError):
        services.seat_appoint(actor=coordinator, seat=member_seat, membership=outsider, term_starts_on=today)


def test_a_held_seat_is_ended_before_it_is_filled_again_and_keeps_its_history(
    coordinator: Any, member_seat: Any, member: Any, partnership: Any, today: Any
) -> None:
    other = MembershipFactory(partnership=partnership, is_member=True)
    first = services.seat_appoint(
        actor=coordinator, seat=member_seat, membership=member, term_starts_on=today - timedelta(days=30)
    )
    with pytest.raises(ServiceError) as error:
        services.seat_appoint(actor=coordinator, seat=member_seat, membership=other, term_starts_on=today)
    assert error.value.code == "held"
    services.holding_end(actor=coordinator, holding=first)
    services.seat_appoint(actor=coordinator, seat=member_seat, membership=other, term_starts_on=today)
    assert list(SeatHolding.objects.filter(seat=member_seat).values_list("membership", "ended_on")) == [
        (other.pk, None),
        (member.pk, today),
    ]


def test_ending_a_term(coordinator: Any, member_seat: Any, member: Any, today: Any) -> None:
    holding = services.seat_appoint(actor=coordinator, seat=member_seat, membership=member, term_starts_on=today)
    with pytest.raises(ServiceError):
        services.holding_end(actor=coordinator, holding=holding, ended_on=today + timedelta(days=1))
    with pytest.raises(ServiceError):
        services.holding_end(actor=coordinator, holding=holding, ended_on=today - timedelta(days=1))
    services.holding_end(actor=coordinator, holding=holding, ended_on=today)
    with pytest.raises(ServiceError) as error:
        services.holding_end(actor=coordinator, holding=holding, ended_on=today)
    assert error.value.code == "ended"


def test_who_a_seat_is_for_changes_only_while_it_is_vacant(
    coordinator: Any, member_seat: Any, member: Any, college: Any, today: Any
) -> None:
    services.seat_appoint(actor=coordinator, seat=member_seat, membership=member, term_starts_on=today)
    with pytest.raises(ServiceError) as error:
        services.seat_update(
            actor=coordinator, seat=member_seat, title="College", kind="organisation", organisation=college
        )
    assert error.value.code == "held"
    renamed = services.seat_update(actor=coordinator, seat=member_seat, title="Parent voice", kind="member")
    assert renamed.title == "Parent voice"


def test_terms_must_end_after_they_start(coordinator: Any, member_seat: Any, member: Any, today: Any) -> None:
    with pytest.raises(ServiceError) as error:
        services.seat_appoint(
            actor=coordinator,
            seat=member_seat,
            membership=member,
            term_starts_on=today,
            term_ends_on=today - timedelta(days=1),
        )
    assert error.value.field == "term_ends_on"
    assert not SeatHolding.objects.exists()


# Decision rules


def test_a_rule_is_set_once_per_kind_and_said_in_plain_english(coordinator: Any, group: Any) -> None:
    services.decision_rule_set(
        actor=coordinator, kind="fund", method="yes_no", threshold_percent=67, quorum_percent=30, participants="members"
    )
    rule = services.decision_rule_set(
        actor=coordinator,
        kind="fund",
        method="consent",
        threshold_percent=67,
        quorum_percent=50,
        participants="group",
        group=group,
    )
    assert DecisionRule.objects.count() == 1
    assert rule.threshold_percent is None  # a threshold belongs to a yes/no vote only
    found = api.decision_rule_for(actor=coordinator, kind="fund")
    assert found is not None and found.method == "consent" and found.group_id == group.pk
    assert found.in_words == (
        "Fund rules and budgets are decided by consent of the Steering group; at least half must take part."
    )
    event = AuditEvent.objects.filter(action="governance.rule_set").order_by("-pk").first()
    assert event is not None
    assert event.detail["before"]["method"] == "yes_no" and event.detail["after"]["method"] == "consent"
    assert api.decision_rule_for(actor=coordinator, kind="everyday") is None


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"method": "yes_no", "threshold_percent": 49}, "threshold_percent"),
        ({"method": "yes_no", "threshold_percent": 101}, "threshold_percent"),
        ({"method": "yes_no", "threshold_percent": None}, "threshold_percent"),
        ({"quorum_percent": -1}, "quorum_percent"),
        ({"quorum_percent": 101}, "quorum_percent"),
        ({"participants": "members", "double_majority": True}, "double_majority"),
        ({"participants": "group"}, "group"),
        ({"method": "coin"}, "method"),
        ({"participants": "anyone"}, "participants"),
    ],
)
def test_a_rule_that_cannot_work_is_refused(coordinator: Any, fields: dict[str, Any], field: str) -> None:
    values = {"kind": "service", "method": "consent", "quorum_percent": 50, "participants": "everyone", **fields}
    with pytest.raises(ServiceError) as error:
        services.decision_rule_set(actor=coordinator, **values)
    assert error.value.field == field
    assert not DecisionRule.objects.exists()


def test_a_group_of_another_partnership_cannot_decide(coordinator: Any) -> None:
    elsewhere = staff_membership(PartnershipFactory(slug="elsewhere"), role="coordinator")
    their_group = services.group_create(actor=elsewhere, name="Their board")
    with pytest.raises(ServiceError):
        services.decision_rule_set(
            actor=coordinator, kind="fund", method="consent", quorum_percent=0, participants="group", group=their_group
        )


def test_an_unknown_kind_is_not_found(coordinator: Any) -> None:
    with pytest.raises(NotPermitted):
        api.decision_rule_for(actor=coordinator, kind="nonsense")


# Interests


def test_people_declare_their_own_interests(member: Any, worker: Any, today: Any) -> None:
    interest = services.interest_declare(actor=member, what="My sister runs the nursery", starts_on=today)
    assert interest.membership == member and interest.recorded_by == member.user
    with pytest.raises(NotPermitted):
        services.interest_update(actor=worker, interest=interest, what="Changed", starts_on=today)
    with pytest.raises(NotPermitted):
        services.interest_declare(actor=worker, what="Hers", starts_on=today, membership=member)
    ended = services.interest_update(
        actor=member, interest=interest, what=interest.what, starts_on=today, ends_on=today
    )
    assert ended.ends_on == today


def test_observers_do_not_declare(observer: Any, today: Any) -> None:
    with pytest.raises(NotPermitted):
        services.interest_declare(actor=observer, what="A job", starts_on=today)


def test_a_coordinator_records_an_interest_on_someones_behalf(coordinator: Any, member: Any, today: Any) -> None:
    interest = services.interest_declare(actor=coordinator, what="Paid mentor", starts_on=today, membership=member)
    assert interest.membership == member and interest.recorded_by == coordinator.user
    services.interest_update(actor=coordinator, interest=interest, what="Paid peer mentor", starts_on=today)
    events = AuditEvent.objects.filter(action__startswith="governance.interest").order_by("pk")
    assert [(e.action, e.detail["on_behalf"]) for e in events] == [
        ("governance.interest_declared", True),
        ("governance.interest_changed", True),
    ]


def test_bad_interests_are_refused(member: Any, today: Any) -> None:
    cases = [
        ({"what": " ", "starts_on": today}, "what"),
        ({"what": "A job", "starts_on": None}, "starts_on"),
        ({"what": "A job", "starts_on": today + timedelta(days=1)}, "starts_on"),
        ({"what": "A job", "starts_on": today, "ends_on": today - timedelta(days=1)}, "ends_on"),
        ({"what": "A job", "starts_on": today, "organisation": OrganisationFactory()}, "organisation"),
    ]
    for fields, field in cases:
        with pytest.raises(ServiceError) as error:
            services.interest_declare(actor=member, **fields)
        assert error.value.field == field
    assert not Interest.objects.exists()


def test_interests_of_reads_current_interests_in_one_query(
    member: Any, worker: Any, coordinator: Any, today: Any, django_assert_num_queries: Any
) -> None:
    services.interest_declare(actor=member, what="Current", starts_on=today - timedelta(days=10))
    services.interest_declare(
        actor=member, what="Ended", starts_on=today - timedelta(days=10), ends_on=today - timedelta(days=1)
    )
    services.interest_declare(actor=worker, what="Trustee", with_whom="A trust", starts_on=today)
    elsewhere = MembershipFactory(partnership=PartnershipFactory(slug="elsewhere"), user=member.user, is_member=True)
    services.interest_declare(actor=elsewhere, what="Elsewhere", starts_on=today)
    with django_assert_num_queries(1):
        found = api.interests_of(actor=coordinator, membership_ids=[member.pk, worker.pk, coordinator.pk])
    assert {k: [i.what for i in v] for k, v in found.items()} == {member.pk: ["Current"], worker.pk: ["Trustee"]}
    assert found[worker.pk][0].with_whom == "A trust"
    with django_assert_num_queries(1):
        by_user = api.interests_of_people(actor=coordinator, user_ids=[member.user_id, None])
    assert [i.what for i in by_user[member.user_id]] == ["Current"]


# Leaving


def test_leaving_vacates_seats_and_removes_interests(
    coordinator: Any, member_seat: Any, member: Any, today: Any
) -> None:
    services.seat_appoint(actor=coordinator, seat=member_seat, membership=member, term_starts_on=today)
    services.interest_declare(actor=member, what="A job", starts_on=today)
    departure = next(d for d in departures() if d.key == "governance")
    lines = departure.leaving(member)
    assert [(line.fate, line.count) for line in lines] == [("delete", 1), ("anonymise", 1)]
    departure.leave(member)
    member.delete()
    holding = SeatHolding.objects.get(seat=member_seat)
    assert holding.ended_on == today and holding.membership is None
    assert not Interest.objects.exists()
    # The seat can be filled again.
    other = MembershipFactory(partnership=coordinator.partnership, is_member=True)
    services.seat_appoint(actor=coordinator, seat=member_seat, membership=other, term_starts_on=today)


def test_leaving_withdraws_a_term_not_started_yet(coordinator: Any, member_seat: Any, member: Any, today: Any) -> None:
    services.seat_appoint(
        actor=coordinator, seat=member_seat, membership=member, term_starts_on=today + timedelta(days=10)
    )
    next(d for d in departures() if d.key == "governance").leave(member)
    assert not SeatHolding.objects.exists()


def test_a_vacant_seat_is_removed_with_its_history_kept(
    coordinator: Any, group: Any, member_seat: Any, member: Any, today: Any
) -> None:
    from coproduce.governance import selectors

    holding = services.seat_appoint(actor=coordinator, seat=member_seat, membership=member, term_starts_on=today)
    with pytest.raises(ServiceError) as error:
        services.seat_retire(actor=coordinator, seat=member_seat)
    assert error.value.code == "held"
    services.holding_end(actor=coordinator, holding=holding)
    retired = services.seat_retire(actor=coordinator, seat=member_seat)
    assert retired.retired_on == today
    assert [list(g.seats.all()) for g in selectors.groups_with_seats(coordinator)] == [[]]
    history = selectors.seat_for(coordinator, member_seat.pk).history  # type: ignore[attr-defined]  # Prefetch to_attr
    assert [h.pk for h in history] == [holding.pk]
    with pytest.raises(ServiceError) as error:
        services.seat_appoint(actor=coordinator, seat=member_seat, membership=member, term_starts_on=today)
    assert error.value.code == "retired"
    with pytest.raises(ServiceError):
        services.seat_retire(actor=coordinator, seat=member_seat)
    assert "governance.seat_retired" in _actions(coordinator.partnership)


@pytest.mark.parametrize("role", NOT_COORDINATORS)
def test_only_coordinators_remove_seats(role: str, request: Any, member_seat: Any) -> None:
    with pytest.raises(NotPermitted):
        services.seat_retire(actor=request.getfixturevalue(role), seat=member_seat)


def test_erasure_also_forgets_what_the_audit_log_said_about_their_interests(
    coordinator: Any, member_seat: Any, member: Any, today: Any
) -> None:
    services.seat_appoint(actor=coordinator, seat=member_seat, membership=member, term_starts_on=today)
    interest = services.interest_declare(actor=member, what="My sister works at the nursery", starts_on=today)
    events = AuditEvent.objects.filter(action__in=["governance.interest_declared", "governance.seat_appointed"])
    assert events.count() == 2
    next(d for d in departures() if d.key == "governance").erase(member)
    assert not Interest.objects.filter(pk=interest.pk).exists()
    assert not SeatHolding.objects.filter(membership=member, ended_on__isnull=True).exists()
    assert events.count() == 2  # kept, but no longer about anyone
    assert {(e.target_label, str(e.detail)) for e in events} == {("", "{'erased': True}")}
    declared = events.get(action="governance.interest_declared")
    assert declared.actor is None  # she declared it herself
    assert events.get(action="governance.seat_appointed").actor == coordinator.user  # staff stay named
