"""Employability outcomes in My data, leaving and erasure: everything about her is in her export, and leaving or
erasure deletes it (not anyone else's); where she worked as staff, the record stays without her name."""

from __future__ import annotations

from typing import Any

import pytest

from coproduce.datarights import services as datarights
from coproduce.partnerships.models import Membership
from coproduce.partnerships.personal_data import departures, personal_data_exports
from coproduce.reports.models.outcomes import CorrectionRequest, Outcome, OutcomeRead, PriorityGroups
from coproduce.reports.outcomes_data import DEPARTURE, TABLES, outcomes_export
from coproduce.reports.services import outcomes as services
from tests.factories import MembershipFactory
from tests.reports.outcomes_support import a_job, keyworker_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def hers(member: Membership, worker: Membership) -> dict[str, Any]:
    keyworker_for(member, worker)
    job = a_job(worker, member, description="Shop assistant at the garden centre")
    services.correction_ask(actor=member, outcome=job, text="It is 18 hours")
    services.priority_groups_set(actor=member, member=member, answers={"lone_parent": "yes"})
    services.outcomes_read_record(reader=worker, member=member)
    other = MembershipFactory(partnership=member.partnership, is_member=True)
    a_job(other, other)
    return {"job": job, "other": other}


def test_registered_for_my_data_and_departure() -> None:
    assert "outcomes" in {e.key for e in personal_data_exports()}
    assert DEPARTURE in departures()


def test_her_export_holds_everything_about_her_and_nothing_else(member: Membership, hers: dict[str, Any]) -> None:
    exported = outcomes_export(member)
    assert set(exported) == set(TABLES)
    (job,) = exported["outcomes"]
    assert (job["kind"], job["hourly_pay_pence"], job["description"]) == (
        "job_started",
        1345,
        "Shop assistant at the garden centre",
    )
    assert job["recorded_by"] and job["agreed_with_you"] is True
    assert exported["priority_groups"][0]["lone_parent"] == "yes"
    assert exported["corrections"][0]["what_you_asked"] == "It is 18 hours"
    assert len(exported["outcome_reads"]) == 1


@pytest.mark.parametrize("how", ["leave", "erase"])
def test_leaving_or_erasure_deletes_hers_only(
    how: str, member: Membership, worker: Membership, hers: dict[str, Any]
) -> None:
    lines = DEPARTURE.leaving(member) if how == "leave" else DEPARTURE.erasure(member)
    assert lines[0].count == 1
    if how == "leave":
        datarights.membership_leave(actor=member)
    else:
        DEPARTURE.erase(member)
    assert not Outcome.objects.filter(member_id=member.pk).exists()
    assert not PriorityGroups.objects.filter(member_id=member.pk).exists()
    assert not CorrectionRequest.objects.exists()
    assert not OutcomeRead.objects.filter(member_id=member.pk).exists()
    assert Outcome.objects.filter(member=hers["other"]).count() == 1


def test_a_keyworkers_erasure_keeps_her_records_without_his_name(
    member: Membership, worker: Membership, hers: dict[str, Any]
) -> None:
    DEPARTURE.erase(worker)
    job = Outcome.objects.get(member=member)
    assert (job.recorded_by_id, job.recorded_by_label) == (None, "")
    assert OutcomeRead.objects.get(member=member).reader_id is None
