"""Recording employability outcomes: who may (her, or her keyworker with her agreement; nobody else), what is
refused with a clear message, the Living Wage of the day kept on the outcome, reads recorded, notices, and the
correction flow."""

from __future__ import annotations

import datetime as dt

import pytest

from coproduce.core.audit import AuditEvent
from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.notifications.models import Notice
from coproduce.partnerships.models import Membership
from coproduce.reports.living_wage import RATES, living_wage_on
from coproduce.reports.models.outcomes import CorrectionRequest, Outcome, OutcomeRead
from coproduce.reports.selectors import outcomes as selectors
from coproduce.reports.services import outcomes as services
from tests.conftest import present
from tests.factories import MembershipFactory, staff_membership
from tests.reports.outcomes_support import a_job, days_ago, keyworker_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def keyworker(member: Membership, worker: Membership) -> Membership:
    keyworker_for(member, worker)
    return worker


def test_the_living_wage_table_gives_the_rate_in_force_on_the_day() -> None:
    assert [pence for _day, pence in RATES] == sorted(pence for _day, pence in RATES)
    start, pence = RATES[-1]
    assert living_wage_on(start) == pence
    assert living_wage_on(start - dt.timedelta(days=1)) == RATES[-2][1]
    assert living_wage_on(RATES[0][0] - dt.timedelta(days=1)) is None


def test_she_records_her_own_job_compared_with_the_living_wage_of_the_day(member: Membership) -> None:
    start, rate = RATES[-1]
    job = a_job(member, member, on=max(start, days_ago(30)), pay=rate - 1, hours=20)
    assert (job.living_wage_pence, job.pays_living_wage, job.recorded_by_id) == (rate, False, member.pk)
    assert job.organisation_id is None and not job.agreed_with_member
    earlier = a_job(member, member, on=RATES[-2][0], pay=RATES[-2][1])
    assert (earlier.living_wage_pence, earlier.pays_living_wage) == (RATES[-2][1], True)
    assert AuditEvent.objects.filter(action="reports.outcome_recorded").count() == 2


def test_her_keyworker_records_with_her_agreement_and_she_is_told(member: Membership, keyworker: Membership) -> None:
    with pytest.raises(ServiceError) as refused:
        services.outcome_record(actor=keyworker, member=member, kind="training_started", on=days_ago(1))
    assert refused.value.field == "agreed_with_member"
    course = services.outcome_record(
        actor=keyworker, member=member, kind="training_started", on=days_ago(1), agreed_with_member=True
    )
    assert course.organisation_id == keyworker.organisation_id and course.agreed_with_member
    notice = Notice.objects.get(user=member.user, kind=services.RECORDED)
    assert "Started training" in notice.text


@pytest.mark.parametrize("who", ["coordinator", "partner_lead", "observer", "other_member", "other_worker"])
def test_nobody_else_records_or_reads_her_outcomes(
    who: str, member: Membership, keyworker: Membership, request: pytest.FixtureRequest
) -> None:
    partnership = member.partnership
    people = {
        "other_member": lambda: MembershipFactory(partnership=partnership, is_member=True),
        "other_worker": lambda: staff_membership(partnership, role="worker", organisation=keyworker.organisation),
    }
    actor = people[who]() if who in people else request.getfixturevalue(who)
    job = a_job(keyworker, member)
    with pytest.raises(NotPermitted):
        services.outcome_record(
            actor=actor, member=member, kind="volunteering_started", on=days_ago(1), agreed_with_member=True
        )
    with pytest.raises(NotPermitted):
        selectors.member_for(actor, member.pk)
    with pytest.raises(NotPermitted):
        selectors.outcome_for(actor, job.pk)
    with pytest.raises(NotPermitted):
        selectors.outcome_for(actor, job.pk, own=True)


def test_a_keyworker_no_longer_in_her_team_loses_her_outcomes(member: Membership, keyworker: Membership) -> None:
    from coproduce.support.models import TeamMember

    job = a_job(keyworker, member)
    assert selectors.outcome_for(keyworker, job.pk) == job
    TeamMember.objects.filter(membership=keyworker).update(ended_at=job.created_at)
    with pytest.raises(NotPermitted):
        selectors.outcome_for(keyworker, job.pk)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"hourly_pay_pence": -5}, "hourly_pay", "less than nothing"),
        ({"hours_per_week": 81}, "hours_per_week", "from 0 to 80"),
        ({"on": dt.date.today() + dt.timedelta(days=2)}, "on", "future"),
        ({"contract": "handshake"}, "contract", "kind of contract"),
        ({"hourly_pay_pence": None}, "hourly_pay", "pay an hour"),
        ({"on": dt.date(2010, 1, 4)}, "on", "Living Wage table starts"),
        ({"kind": "promotion"}, "kind", "what happened"),
    ],
)
def test_bad_details_are_refused_naming_the_field(
    member: Membership, changes: dict[str, object], field: str, words: str
) -> None:
    values: dict[str, object] = {
        "kind": "job_started",
        "on": days_ago(2),
        "hours_per_week": 16,
        "contract": "permanent",
        "hourly_pay_pence": 1300,
        **changes,
    }
    with pytest.raises(ServiceError) as refused:
        services.outcome_record(actor=member, member=member, **values)  # type: ignore[arg-type]
    assert refused.value.field == field
    assert words.lower() in refused.value.message.lower()
    assert not Outcome.objects.exists()


def test_follow_ups_come_after_their_job_once_each(member: Membership) -> None:
    job = a_job(member, member, on=days_ago(200))
    for on, words in ((days_ago(201), "after the job started"), (days_ago(200 - 13 * 7 + 1), "13 weeks")):
        with pytest.raises(ServiceError) as refused:
            services.outcome_record(actor=member, member=member, kind="in_work_13", on=on, job=job)
        assert words in refused.value.message and refused.value.field == "on"
    with pytest.raises(ServiceError) as no_job:
        services.outcome_record(actor=member, member=member, kind="in_work_13", on=days_ago(1))
    assert no_job.value.field == "job"
    services.outcome_record(actor=member, member=member, kind="in_work_13", on=days_ago(200 - 13 * 7), job=job)
    with pytest.raises(ServiceError) as twice:
        services.outcome_record(actor=member, member=member, kind="in_work_13", on=days_ago(1), job=job)
    assert "already recorded" in twice.value.message
    due = selectors.follow_ups_due(member, today=days_ago(0))
    assert [(f.kind, f.is_due) for f in due] == [("in_work_26", True), ("in_work_52", False)]


def test_someone_elses_job_cannot_be_followed_up(member: Membership, partnership: object) -> None:
    other = MembershipFactory(partnership=member.partnership, is_member=True)
    theirs = a_job(other, other, on=days_ago(100))
    with pytest.raises(ServiceError) as refused:
        services.outcome_record(actor=member, member=member, kind="in_work_13", on=days_ago(1), job=theirs)
    assert refused.value.field == "job"


def test_reads_by_anyone_else_are_recorded_for_her(member: Membership, keyworker: Membership) -> None:
    assert services.outcomes_read_record(reader=member, member=member) is None
    services.outcomes_read_record(reader=keyworker, member=member)
    read = OutcomeRead.objects.get()
    assert (read.member_id, read.reader_id) == (member.pk, keyworker.pk)
    assert read.organisation_label == present(keyworker.organisation).name
    assert list(selectors.reads_of(member)) == [read]


def test_she_asks_for_a_correction_and_her_keyworker_corrects_it(member: Membership, keyworker: Membership) -> None:
    job = a_job(keyworker, member, hours=16)
    asked = services.correction_ask(actor=member, outcome=job, text="It is 18 hours a week.")
    assert Notice.objects.filter(user=keyworker.user, kind=services.ASKED).exists()
    with pytest.raises(ServiceError):
        services.correction_ask(actor=member, outcome=job, text="Again")
    with pytest.raises(NotPermitted):
        services.correction_ask(actor=keyworker, outcome=job, text="Not hers to ask")
    services.correction_correct(
        actor=keyworker,
        correction=asked,
        kind="job_started",
        on=job.on,
        hours_per_week=18,
        contract="permanent",
        hourly_pay_pence=1345,
        reply="Changed, thank you.",
    )
    job.refresh_from_db()
    asked.refresh_from_db()
    assert job.hours_per_week == 18
    assert asked.status == CorrectionRequest.Status.CORRECTED and asked.handled_by_id == keyworker.pk
    assert (asked.change["before"]["hours_per_week"], asked.change["after"]["hours_per_week"]) == ("16.0", "18.0")
    assert Notice.objects.filter(user=member.user, kind=services.ANSWERED).exists()
    with pytest.raises(ServiceError):
        services.correction_decline(actor=keyworker, correction=asked, reply="Too late")


def test_a_declined_correction_needs_a_reply_she_reads(member: Membership, keyworker: Membership) -> None:
    job = a_job(keyworker, member)
    asked = services.correction_ask(actor=member, outcome=job, text="I never started it.")
    with pytest.raises(ServiceError) as empty:
        services.correction_decline(actor=keyworker, correction=asked, reply="  ")
    assert empty.value.field == "reply"
    other_worker = staff_membership(member.partnership, role="worker")
    with pytest.raises(NotPermitted):
        services.correction_decline(actor=other_worker, correction=asked, reply="No")
    services.correction_decline(actor=keyworker, correction=asked, reply="Your employer confirmed the start.")
    asked.refresh_from_db()
    assert (asked.status, asked.reply) == ("declined", "Your employer confirmed the start.")


def test_priority_groups_are_voluntary_and_hers(member: Membership, keyworker: Membership) -> None:
    assert selectors.priority_groups_of(member).lone_parent == "not_asked"
    services.priority_groups_set(
        actor=member, member=member, answers={"lone_parent": "yes", "minority_ethnic": "prefer_not"}
    )
    groups = selectors.priority_groups_of(member)
    assert (groups.lone_parent, groups.minority_ethnic, groups.disability) == ("yes", "prefer_not", "not_asked")
    with pytest.raises(ServiceError):
        services.priority_groups_set(actor=member, member=member, answers={"lone_parent": "maybe"})
    with pytest.raises(ServiceError):
        services.priority_groups_set(actor=member, member=member, answers={"income": "low"})
    with pytest.raises(ServiceError) as not_agreed:
        services.priority_groups_set(actor=keyworker, member=member, answers={"disability": "no"})
    assert not_agreed.value.field == "agreed_with_member"
    services.priority_groups_set(actor=keyworker, member=member, answers={"disability": "no"}, agreed_with_member=True)
    assert selectors.priority_groups_of(member).updated_by_id == keyworker.pk
