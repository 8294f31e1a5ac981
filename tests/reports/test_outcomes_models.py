"""The database keeps employability outcomes whole, whatever code writes them: pay not negative, hours from 0 to
80, job details only on jobs and always on them, the Living Wage comparison true to the figures, a follow-up
naming its job and only one of each kind a job, and staff recording only with the member's agreement."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from coproduce.partnerships.models import Membership
from coproduce.reports.models.outcomes import CorrectionRequest, Outcome, PriorityGroups

pytestmark = pytest.mark.django_db


def make(member: Membership, **fields: Any) -> Outcome:
    values: dict[str, Any] = {
        "partnership_id": member.partnership_id,
        "member": member,
        "kind": "job_started",
        "on": dt.date(2026, 3, 2),
        "hours_per_week": 16,
        "contract": "permanent",
        "hourly_pay_pence": 1345,
        "living_wage_pence": 1345,
        "pays_living_wage": True,
        "recorded_by": member,
        **fields,
    }
    return Outcome.objects.create(**values)


def refused(member: Membership, **fields: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make(member, **fields)


def test_a_whole_job_is_kept(member: Membership) -> None:
    job = make(member)
    assert Outcome.objects.get(pk=job.pk).pays_living_wage is True


@pytest.mark.parametrize(
    "fields",
    [
        {"hourly_pay_pence": -1, "pays_living_wage": False},
        {"hours_per_week": 81},
        {"hours_per_week": -1},
        {"contract": ""},
        {"living_wage_pence": None},
        {"pays_living_wage": False},  # 13.45 is not below 13.45
        {"hourly_pay_pence": 1200, "pays_living_wage": True},
        {"kind": "training_started"},  # job details on a course
        {"kind": "nonsense"},
    ],
    ids=[
        "pay-negative",
        "hours-81",
        "hours-negative",
        "no-contract",
        "no-living-wage",
        "wrong-no",
        "wrong-yes",
        "details-on-training",
        "unknown-kind",
    ],
)
def test_the_database_refuses_a_job_that_does_not_add_up(member: Membership, fields: dict[str, Any]) -> None:
    refused(member, **fields)


def test_follow_ups_name_their_job_once_each(member: Membership) -> None:
    job = make(member)
    plain = {"hours_per_week": None, "contract": "", "hourly_pay_pence": None, "living_wage_pence": None}
    plain["pays_living_wage"] = None
    refused(member, kind="in_work_13", **plain)  # no job
    refused(member, kind="training_started", job=job, **plain)  # a job on something that follows nothing
    make(member, kind="in_work_13", job=job, on=dt.date(2026, 6, 1), **plain)
    refused(member, kind="in_work_13", job=job, on=dt.date(2026, 6, 2), **plain)
    make(member, kind="in_work_26", job=job, on=dt.date(2026, 9, 1), **plain)
    assert job.follow_ups.count() == 2


def test_staff_record_only_with_her_agreement(member: Membership, worker: Membership) -> None:
    refused(member, recorded_by=worker, agreed_with_member=False)
    make(member, recorded_by=worker, agreed_with_member=True)
    make(member, recorded_by=member, agreed_with_member=False)


def test_priority_answers_and_correction_states_are_checked(member: Membership) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        PriorityGroups.objects.create(partnership_id=member.partnership_id, member=member, lone_parent="maybe")
    job = make(member)
    CorrectionRequest.objects.create(outcome=job, text="Wrong hours")
    with pytest.raises(IntegrityError), transaction.atomic():
        CorrectionRequest.objects.create(outcome=job, text="Again")  # one open request an outcome
    with pytest.raises(IntegrityError), transaction.atomic():
        CorrectionRequest.objects.create(outcome=job, text="Answered?", status="declined")  # no handled_at
