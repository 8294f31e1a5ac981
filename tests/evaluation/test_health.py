"""The partnership health check's services and selectors: opening a check (overlaps refused, everyone taking
part told), answering once each (also under real concurrency on PostgreSQL), the side a reply counts on, the
small-groups rule per side, the gap rule, the comparison with the previous check, and the coordinators'
reminder that a check is due."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, connections
from django.utils import timezone

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.models import AuditEvent
from coproduce.evaluation.instrument import STANDARD_KEYS
from coproduce.evaluation.models import HealthCheck, HealthRating, HealthReply
from coproduce.evaluation.selectors import health as selectors
from coproduce.evaluation.services import health as services
from coproduce.notifications.models import Notice
from coproduce.partnerships.models import Membership, Partnership
from coproduce.voice import api as voice_api
from tests.factories import MembershipFactory, PartnershipFactory, staff_membership

pytestmark = pytest.mark.django_db

TODAY = date(2027, 3, 1)


def all_scores(score: int | None) -> dict[str, int | None]:
    return dict.fromkeys(STANDARD_KEYS, score)


def open_check(coordinator: Membership, *, opens: date = TODAY, days: int = 14, title: str = "Spring") -> HealthCheck:
    return services.health_check_open(
        actor=coordinator, title=title, opens_on=opens, closes_on=opens + timedelta(days=days), today=opens
    )


def members(partnership: Partnership, n: int) -> list[Membership]:
    return [MembershipFactory(partnership=partnership, is_member=True) for _ in range(n)]


def staff(partnership: Partnership, n: int) -> list[Membership]:
    return [staff_membership(partnership, role="worker") for _ in range(n)]


def answer_all(people: list[Membership], check: HealthCheck, scores: dict[str, int | None]) -> None:
    for person in people:
        services.health_answer(actor=person, check_id=check.pk, scores=scores, today=check.opens_on)


# --- opening a check -------------------------------------------------------------------------------------


def test_a_coordinator_opens_a_check_and_everyone_taking_part_is_told(
    partnership: Partnership,
    coordinator: Membership,
    member: Membership,
    worker: Membership,
    observer: Membership,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        check = open_check(coordinator, opens=timezone.localdate())
    told = set(Notice.objects.filter(kind="evaluation.health_check").values_list("user_id", flat=True))
    assert told == {coordinator.user_id, member.user_id, worker.user_id}  # not the observer
    notice = Notice.objects.filter(kind="evaluation.health_check").first()
    assert notice is not None and f"/health/{check.pk}/answer/" in notice.url
    assert AuditEvent.objects.filter(action="evaluation.health_check_opened").count() == 1


def test_telling_again_does_not_repeat_an_unread_notice(coordinator: Membership, member: Membership) -> None:
    check = open_check(coordinator, opens=timezone.localdate())
    services.health_check_announce(check_id=check.pk)
    services.health_check_announce(check_id=check.pk)
    assert Notice.objects.filter(kind="evaluation.health_check", user_id=member.user_id).count() == 1


@pytest.mark.parametrize("role", ["member", "worker", "partner_lead", "observer"])
def test_only_coordinators_open_a_check(role: str, request: pytest.FixtureRequest) -> None:
    with pytest.raises(NotPermitted):
        open_check(request.getfixturevalue(role))
    assert not HealthCheck.objects.exists()


def test_overlapping_checks_are_refused(coordinator: Membership) -> None:
    open_check(coordinator, opens=TODAY, days=14)
    with pytest.raises(ServiceError) as refused:
        open_check(coordinator, opens=TODAY + timedelta(days=14), days=14)
    assert "Choose days after it closes" in refused.value.message
    assert refused.value.field == "opens_on"
    open_check(coordinator, opens=TODAY + timedelta(days=15), days=14)  # the day after it closes is fine
    assert HealthCheck.objects.count() == 2


def test_another_partnerships_check_does_not_overlap(coordinator: Membership) -> None:
    elsewhere = staff_membership(PartnershipFactory(), role="coordinator")
    open_check(elsewhere)
    open_check(coordinator)
    assert HealthCheck.objects.count() == 2


@pytest.mark.parametrize(
    ("opens", "closes", "field"),
    [
        (TODAY, TODAY - timedelta(days=1), "closes_on"),
        (TODAY - timedelta(days=20), TODAY - timedelta(days=1), "closes_on"),  # over before today
        (TODAY, TODAY + timedelta(days=93), "closes_on"),
        (None, TODAY, "opens_on"),
    ],
)
def test_dates_that_make_no_sense_are_refused(
    coordinator: Membership, opens: date | None, closes: date, field: str
) -> None:
    with pytest.raises(ServiceError) as refused:
        services.health_check_open(actor=coordinator, title="Spring", opens_on=opens, closes_on=closes, today=TODAY)
    assert refused.value.field == field
    assert not HealthCheck.objects.exists()


# --- answering -------------------------------------------------------------------------------------------


def test_a_member_answers_once_and_a_second_answer_is_refused_with_the_date(
    coordinator: Membership, member: Membership
) -> None:
    check = open_check(coordinator)
    services.health_answer(actor=member, check_id=check.pk, scores=all_scores(4), today=TODAY)
    with pytest.raises(services.HealthAlreadyAnswered) as refused:
        services.health_answer(actor=member, check_id=check.pk, scores=all_scores(1), today=TODAY)
    assert "Each person answers once" in refused.value.message
    day = timezone.localdate()
    assert f"{day.day} {day:%B %Y}" in refused.value.message
    assert HealthReply.objects.count() == 1
    assert set(HealthRating.objects.values_list("score", flat=True)) == {4}


def test_rather_not_say_is_kept_as_no_score(coordinator: Membership, member: Membership) -> None:
    check = open_check(coordinator)
    scores = {**all_scores(3), "impact": None}
    services.health_answer(actor=member, check_id=check.pk, scores=scores, today=TODAY)
    assert HealthRating.objects.get(standard="impact").score is None
    assert HealthRating.objects.count() == 7


def test_observers_do_not_answer(coordinator: Membership, observer: Membership) -> None:
    check = open_check(coordinator)
    with pytest.raises(NotPermitted):
        services.health_answer(actor=observer, check_id=check.pk, scores=all_scores(3), today=TODAY)
    assert not HealthReply.objects.exists()


def test_a_check_of_another_partnership_is_out_of_reach(coordinator: Membership) -> None:
    elsewhere = staff_membership(PartnershipFactory(), role="coordinator")
    check = open_check(elsewhere)
    with pytest.raises(NotPermitted):
        services.health_answer(actor=coordinator, check_id=check.pk, scores=all_scores(3), today=TODAY)
    with pytest.raises(NotPermitted):
        selectors.health_results(coordinator, check.pk, today=TODAY + timedelta(days=30))


@pytest.mark.parametrize(
    ("day", "code"), [(TODAY - timedelta(days=1), "not_open"), (TODAY + timedelta(days=15), "closed")]
)
def test_answers_only_while_open(coordinator: Membership, member: Membership, day: date, code: str) -> None:
    check = open_check(coordinator)
    with pytest.raises(ServiceError) as refused:
        services.health_answer(actor=member, check_id=check.pk, scores=all_scores(3), today=day)
    assert refused.value.code == code
    assert not HealthReply.objects.exists()


@pytest.mark.parametrize(
    "scores",
    [
        dict.fromkeys(STANDARD_KEYS[:-1], 3),  # one missing
        {**all_scores(3), "impact": 6},
        {**all_scores(3), "impact": 0},
        {**all_scores(3), "nonsense": 3},
    ],
)
def test_incomplete_or_wrong_scores_save_nothing(
    coordinator: Membership, member: Membership, scores: dict[str, int | None]
) -> None:
    check = open_check(coordinator)
    with pytest.raises(ServiceError):
        services.health_answer(actor=member, check_id=check.pk, scores=scores, today=TODAY)
    assert not HealthReply.objects.exists()


@pytest.mark.parametrize(
    ("flags", "side"),
    [
        ({"is_member": True}, "member"),
        ({"is_member": True, "is_worker": True}, "staff"),  # both: counted with the staff
        ({"is_worker": True}, "staff"),
        ({"is_coordinator": True}, "staff"),
        ({"is_partner_lead": True}, "staff"),
        ({"is_member": True, "is_observer": True}, "member"),
    ],
)
def test_the_side_a_reply_counts_on(partnership: Partnership, coordinator: Membership, flags: dict, side: str) -> None:
    organisation = coordinator.organisation if flags.keys() - {"is_member", "is_observer"} else None
    person = MembershipFactory(partnership=partnership, organisation=organisation, **{"is_member": False, **flags})
    check = open_check(coordinator)
    reply = services.health_answer(actor=person, check_id=check.pk, scores=all_scores(3), today=TODAY)
    assert reply.side == side


# --- results: the small-groups rule, the gap, the previous check -----------------------------------------


def test_no_results_while_the_check_is_open(partnership: Partnership, coordinator: Membership) -> None:
    check = open_check(coordinator)
    answer_all(members(partnership, 5), check, all_scores(4))
    results = selectors.health_results(coordinator, check.pk, today=check.closes_on)
    assert not results.ready and results.rows == []
    assert selectors.health_results(coordinator, check.pk, today=check.closes_on + timedelta(days=1)).ready


def test_each_side_is_shown_only_with_five_scores(partnership: Partnership, coordinator: Membership) -> None:
    check = open_check(coordinator)
    answer_all(members(partnership, 5), check, {**all_scores(4), "impact": None})
    answer_all(staff(partnership, 4), check, all_scores(5))
    results = selectors.health_results(coordinator, check.pk, today=check.closes_on + timedelta(days=1))
    rows = {row.standard.key: row for row in results.rows}
    assert [row.standard.key for row in results.rows] == list(STANDARD_KEYS)
    assert rows["inclusion"].members.mean == Decimal("4.0") and rows["inclusion"].members.ratings == 5
    # one member would rather not say about impact: 4 scores, not shown
    assert rows["impact"].members.mean is None and rows["impact"].members.ratings == 0
    # only 4 staff: their side is hidden everywhere, and no gap is given
    assert all(row.staff.mean is None and row.staff.ratings == 0 for row in results.rows)
    assert all(row.gap is None and row.gap_words == "" for row in results.rows)


def test_a_sixth_staff_answer_shows_the_staff_side(partnership: Partnership, coordinator: Membership) -> None:
    # the coordinator answers too: with 4 workers, the staff side has 5 scores
    check = open_check(coordinator)
    answer_all([*staff(partnership, 4), coordinator], check, all_scores(5))
    results = selectors.health_results(coordinator, check.pk, today=check.closes_on + timedelta(days=1))
    assert all(row.staff.mean == Decimal("5.0") and row.staff.ratings == 5 for row in results.rows)
    assert all(row.members.mean is None for row in results.rows)


def closed_results(
    partnership: Partnership, coordinator: Membership, member_scores: list[int], staff_scores: list[int]
) -> Any:
    check = open_check(coordinator)
    for person, score in zip(members(partnership, len(member_scores)), member_scores, strict=True):
        services.health_answer(actor=person, check_id=check.pk, scores=all_scores(score), today=TODAY)
    for person, score in zip(staff(partnership, len(staff_scores)), staff_scores, strict=True):
        services.health_answer(actor=person, check_id=check.pk, scores=all_scores(score), today=TODAY)
    return selectors.health_results(coordinator, check.pk, today=check.closes_on + timedelta(days=1))


@pytest.mark.parametrize(
    ("member_scores", "staff_scores", "gap", "notable", "words"),
    [
        # members 3.2, staff 4.0: staff higher by 0.8, notable
        ([3, 3, 3, 3, 4], [4, 4, 4, 4, 4], Decimal("-0.8"), True, "Staff rate this higher than members do, by 0.8."),
        # members 4.0, staff 3.4: members higher by 0.6
        ([4, 4, 4, 4, 4], [3, 3, 3, 4, 4], Decimal("0.6"), True, "Members rate this higher than staff do, by 0.6."),
        ([3, 3, 4, 4, 4], [3, 3, 3, 3, 4], Decimal("0.4"), False, "about the same (0.4 apart)"),
        ([4, 4, 4, 4, 4], [3, 4, 4, 3, 4], Decimal("0.4"), False, "about the same"),
        ([3, 3, 4, 4, 4], [3, 3, 3, 3, 3], Decimal("0.6"), True, "by 0.6"),
        ([4, 4, 4, 4, 4], [4, 4, 4, 4, 4], Decimal("0.0"), False, "rate this the same"),
    ],
)
def test_the_gap_is_members_minus_staff_and_notable_from_half_a_point(
    partnership: Partnership,
    coordinator: Membership,
    member_scores: list[int],
    staff_scores: list[int],
    gap: Decimal,
    notable: bool,
    words: str,
) -> None:
    results = closed_results(partnership, coordinator, member_scores, staff_scores)
    row = results.rows[0]
    assert row.gap == gap
    assert row.notable is notable
    assert words in str(row.gap_words)
    assert results.notable_count == (7 if notable else 0)


def test_half_a_point_exactly_is_notable(partnership: Partnership, coordinator: Membership) -> None:
    # members 3.5 (five 3s and five 4s), staff 3.0
    results = closed_results(partnership, coordinator, [3] * 5 + [4] * 5, [3] * 5)
    row = results.rows[0]
    assert row.members.mean == Decimal("3.5") and row.staff.mean == Decimal("3.0")
    assert row.gap == Decimal("0.5") and row.notable
    assert "Members rate this higher than staff do, by 0.5." in str(row.gap_words)


def test_the_previous_check_is_compared(partnership: Partnership, coordinator: Membership) -> None:
    people, workers = members(partnership, 5), staff(partnership, 5)
    autumn = open_check(coordinator, opens=date(2026, 9, 1), title="Autumn")
    answer_all(people, autumn, all_scores(2))
    answer_all(workers, autumn, all_scores(4))
    spring = open_check(coordinator, opens=TODAY, title="Spring")
    answer_all(people, spring, all_scores(3))
    answer_all(workers, spring, all_scores(4))
    results = selectors.health_results(coordinator, spring.pk, today=spring.closes_on + timedelta(days=1))
    assert results.previous == autumn
    row = results.rows[0]
    assert row.previous_members == Decimal("2.0") and row.previous_staff == Decimal("4.0")
    assert row.members_change == "up 1.0 since last time"
    assert row.staff_change == "no change since last time"
    first = selectors.health_results(coordinator, autumn.pk, today=spring.closes_on + timedelta(days=1))
    assert first.previous is None and first.rows[0].members_change == ""


def test_results_take_the_same_queries_however_many_replies(
    partnership: Partnership, coordinator: Membership, django_assert_max_num_queries: Any
) -> None:
    check = open_check(coordinator)
    answer_all(members(partnership, 12), check, all_scores(4))
    with django_assert_max_num_queries(3):
        selectors.health_results(coordinator, check.pk, today=check.closes_on + timedelta(days=1))


# --- the coordinators' reminder, and the equal-voice figures ----------------------------------------------


def test_a_check_is_due_when_none_opened_in_six_months(coordinator: Membership) -> None:
    assert selectors.health_check_due_count(coordinator, today=TODAY) == 1
    open_check(coordinator, opens=date(2026, 9, 1))
    assert selectors.health_check_due_count(coordinator, today=TODAY) == 0
    assert selectors.health_check_due_count(coordinator, today=date(2027, 3, 3)) == 1


def test_a_planned_check_means_none_is_due(coordinator: Membership) -> None:
    open_check(coordinator, opens=TODAY + timedelta(days=20))
    assert selectors.health_check_due_count(coordinator, today=TODAY) == 0


def test_the_due_reminder_is_on_the_coordinators_attention_list(coordinator: Membership, worker: Membership) -> None:
    from coproduce.partnerships.attention import attention_for

    waiting = attention_for(coordinator) or []
    assert any(
        item["key"] == "evaluation.health_check_due" and item["text"] == "A health check is due" for item in waiting
    )
    assert attention_for(worker) is None
    open_check(coordinator, opens=timezone.localdate())
    assert not any(item["key"] == "evaluation.health_check_due" for item in attention_for(coordinator) or [])


def test_the_equal_voice_summary_has_the_headline_figures(
    member: Membership, worker: Membership, outsider: Membership
) -> None:
    from coproduce.voice import services as voice_services

    voice_services.idea_create(actor=member, title="Evening sessions", body="After work.")
    voice_services.idea_create(actor=member, title="A creche", body="During meetings.")
    voice_services.idea_create(actor=worker, title="A newsletter", body="Monthly.")
    summary = voice_api.equal_voice_summary(actor=member)
    assert (summary.members, summary.staff, summary.ideas) == (1, 1, 3)
    assert summary.ideas_from_members_percent == 67
    assert summary.comments_from_members_percent is None
    assert summary.member_wait_words == ""


# --- two tabs at once (PostgreSQL) -----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers are tested on PostgreSQL")
def test_the_same_person_answering_in_many_tabs_at_once_is_counted_once() -> None:
    partnership = PartnershipFactory()
    coordinator = staff_membership(partnership, role="coordinator")
    member = MembershipFactory(partnership=partnership, is_member=True)
    check = open_check(coordinator, opens=timezone.localdate())
    tabs = 8
    barrier = threading.Barrier(tabs)
    outcomes: list[Any] = [None] * tabs

    def tab(index: int) -> None:
        try:
            actor = Membership.objects.select_related("partnership", "user").get(pk=member.pk)
            barrier.wait()
            outcomes[index] = services.health_answer(actor=actor, check_id=check.pk, scores=all_scores(4))
        except Exception as error:
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=tab, args=(i,)) for i in range(tabs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    saved = [o for o in outcomes if isinstance(o, HealthReply)]
    refused = [o for o in outcomes if isinstance(o, services.HealthAlreadyAnswered)]
    assert len(saved) == 1 and len(refused) == tabs - 1, outcomes
    assert HealthReply.objects.count() == 1
    assert HealthRating.objects.count() == len(STANDARD_KEYS)
