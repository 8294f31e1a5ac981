"""The report sections employability outcomes give: "reach" (members, new members, priority family groups) and
"support.outcomes" (members by outcome, jobs by the Living Wage, still in work), counted for the period and scope
asked, raw (the builder suppresses)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from coproduce.partnerships.models import Membership, Partnership
from coproduce.partnerships.reporting import ReportQuery, ReportTable, report_sections
from coproduce.reports.models.outcomes import Outcome
from coproduce.reports.reporting import reach_tables, support_outcome_tables
from coproduce.reports.services import outcomes as services
from tests.factories import MembershipFactory, staff_membership
from tests.reports.outcomes_support import a_job, days_ago, keyworker_for

pytestmark = pytest.mark.django_db


def values(table: ReportTable) -> dict[str, object]:
    found: dict[str, object] = {row.key: row.value for row in table.rows}
    if table.total is not None:
        found[table.total.key] = table.total.value
    return found


def a_year(partnership: Partnership) -> ReportQuery:
    today = timezone.localdate()
    return ReportQuery(partnership_id=partnership.pk, start=today - dt.timedelta(days=364), end=today)


def test_both_sections_are_registered_in_their_parts() -> None:
    sections = {s.key: s for s in report_sections()}
    assert (sections["reach"].part, sections["support.outcomes"].part) == ("reach", "support")
    assert "organisation" in sections["support.outcomes"].scopes


def test_reach_counts_members_new_members_and_each_priority_group(partnership: Partnership) -> None:
    old = MembershipFactory.create_batch(3, partnership=partnership, is_member=True)
    Membership.objects.filter(pk__in=[m.pk for m in old]).update(joined_at=timezone.now() - dt.timedelta(days=800))
    new = MembershipFactory.create_batch(4, partnership=partnership, is_member=True)
    staff_membership(partnership, role="worker")  # not a member: not counted
    MembershipFactory(partnership=partnership, is_member=True, joined_at=timezone.now() + dt.timedelta(days=3))
    answers = [
        {"lone_parent": "yes", "disability": "yes"},
        {"lone_parent": "yes", "minority_ethnic": "prefer_not"},
        {"lone_parent": "no", "mother_under_25": "yes"},
    ]
    for person, given in zip(old + new, answers, strict=False):
        services.priority_groups_set(actor=person, member=person, answers=given)
    members, groups = reach_tables(a_year(partnership))
    assert values(members) == {"members": 7, "new_members": 4}
    assert groups.exclusive is False
    got = values(groups)
    assert (got["lone_parent"], got["disability"], got["mother_under_25"], got["minority_ethnic"]) == (2, 1, 1, 0)
    assert got["answered"] == 3


def test_support_outcomes_counts_the_period_by_kind_pay_and_follow_ups(partnership: Partnership) -> None:
    worker = staff_membership(partnership, role="worker")
    other_org_worker = staff_membership(partnership, role="worker")
    people = MembershipFactory.create_batch(4, partnership=partnership, is_member=True)
    for person in people:
        keyworker_for(person, worker)
    a_job(worker, people[0], on=days_ago(120), pay=2000)
    a_job(worker, people[1], on=days_ago(100), pay=1000)
    a_job(people[2], people[2], on=days_ago(500), pay=2000)  # before the period
    first = Outcome.objects.get(member=people[0])
    services.outcome_record(
        actor=worker, member=people[0], kind="in_work_13", on=days_ago(120 - 13 * 7), job=first, agreed_with_member=True
    )
    for person in people[:3]:
        services.outcome_record(actor=person, member=person, kind="training_started", on=days_ago(10))
    services.outcome_record(actor=people[3], member=people[3], kind="training_started", on=days_ago(11))
    services.outcome_record(actor=people[3], member=people[3], kind="training_started", on=days_ago(12))

    kinds, pay, sustained = support_outcome_tables(a_year(partnership))
    got = values(kinds)
    assert (got["training_started"], got["job_started"], got["in_work_13"], got["qualification_gained"]) == (4, 2, 1, 0)
    assert values(pay) == {"living_wage": 1, "below": 1, "jobs_started": 2}
    assert pay.exclusive is True
    assert values(sustained) == {"in_work_13": 1, "in_work_26": 0, "in_work_52": 0}

    by_org = ReportQuery(
        partnership_id=partnership.pk,
        start=a_year(partnership).start,
        end=a_year(partnership).end,
        scope="organisation",
        organisation_id=worker.organisation_id,
    )
    assert values(support_outcome_tables(by_org)[1]) == {"living_wage": 1, "below": 1, "jobs_started": 2}
    assert values(support_outcome_tables(by_org)[0])["training_started"] == 0  # members recorded those themselves
    elsewhere = ReportQuery(**{**by_org.__dict__, "organisation_id": other_org_worker.organisation_id})
    assert values(support_outcome_tables(elsewhere)[1])["jobs_started"] == 0
