"""The employability outcomes pages: hers to her (adding one, her family answers, asking for a correction), her
keyworker's (her outcomes with the read recorded, adding one with her, answering a correction), and the same 404
as a missing page for everyone else."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from coproduce.partnerships.models import Membership
from coproduce.reports.models.outcomes import CorrectionRequest, Outcome, OutcomeRead, PriorityGroups
from coproduce.reports.services import outcomes as services
from tests.conftest import signed_in
from tests.factories import MembershipFactory
from tests.reports.outcomes_support import a_job, days_ago, keyworker_for

pytestmark = pytest.mark.django_db


def url(member: Membership, name: str, **kwargs: Any) -> str:
    return reverse(f"reports:{name}", kwargs={"slug": member.partnership.slug, **kwargs})


@pytest.fixture
def keyworker(member: Membership, worker: Membership) -> Membership:
    keyworker_for(member, worker)
    return worker


def test_she_adds_her_job_and_sees_it_with_the_living_wage(member: Membership) -> None:
    client = signed_in(member.user)
    page = client.get(url(member, "outcome-new"))
    assert page.status_code == 200 and "agreed_with_member" not in page.content.decode()
    sent = client.post(
        url(member, "outcome-new"),
        {
            "kind": "job_started",
            "on": days_ago(5).isoformat(),
            "hours_per_week": "16",
            "contract": "permanent",
            "hourly_pay": "14.00",
        },
    )
    assert sent.status_code == 302
    job = Outcome.objects.get()
    assert (job.hourly_pay_pence, job.pays_living_wage) == (1400, True)
    mine = client.get(url(member, "outcomes")).content.decode()
    assert "£14.00" in mine and "at least the real Living Wage" in mine


def test_bad_pay_is_shown_next_to_the_field(member: Membership) -> None:
    page = signed_in(member.user).post(
        url(member, "outcome-new"),
        {
            "kind": "job_started",
            "on": days_ago(5).isoformat(),
            "hours_per_week": "90",
            "contract": "permanent",
            "hourly_pay": "-1",
        },
    )
    assert page.status_code == 200
    assert page.context["form"].errors.keys() == {"hours_per_week", "hourly_pay"}
    assert not Outcome.objects.exists()


def test_she_answers_about_her_family_and_asks_for_a_correction(member: Membership, keyworker: Membership) -> None:
    client = signed_in(member.user)
    form = {
        "lone_parent": "yes",
        "disability": "prefer_not",
        "three_plus_children": "no",
        "minority_ethnic": "not_asked",
        "youngest_under_one": "no",
        "mother_under_25": "no",
    }
    assert client.post(url(member, "outcome-priority-groups"), form).status_code == 302
    assert PriorityGroups.objects.get(member=member).disability == "prefer_not"
    job = a_job(keyworker, member)
    assert (
        client.post(url(member, "outcome-correction-ask", outcome_id=job.pk), {"text": "18 hours"}).status_code == 302
    )
    assert CorrectionRequest.objects.get().text == "18 hours"


def test_her_keyworker_reads_records_and_answers_and_she_sees_who_looked(
    member: Membership, keyworker: Membership
) -> None:
    client = signed_in(keyworker.user)
    page = client.get(url(member, "outcome-person", membership_id=member.pk))
    assert page.status_code == 200
    assert OutcomeRead.objects.filter(member=member, reader=keyworker).count() == 1
    assert (
        client.get(url(keyworker, "outcomes"))
        .content.decode()
        .count(url(member, "outcome-person", membership_id=member.pk))
        == 1
    )
    refused = client.post(
        url(member, "outcome-person-new", membership_id=member.pk),
        {"kind": "volunteering_started", "on": days_ago(2).isoformat()},
    )
    assert "agreed_with_member" in refused.context["form"].errors
    done = client.post(
        url(member, "outcome-person-new", membership_id=member.pk),
        {"kind": "volunteering_started", "on": days_ago(2).isoformat(), "agreed_with_member": "on"},
    )
    assert done.status_code == 302
    outcome = Outcome.objects.get(member=member)
    asked = services.correction_ask(actor=member, outcome=outcome, text="It was 1 March")
    declined = client.post(url(member, "outcome-correction", correction_id=asked.pk), {"decline": "", "reply": ""})
    assert declined.status_code == 200 and "reply" in declined.context["form"].errors
    client.post(
        url(member, "outcome-correction", correction_id=asked.pk),
        {"correct": "", "kind": "volunteering_started", "on": days_ago(3).isoformat(), "reply": "Fixed"},
    )
    outcome.refresh_from_db()
    assert outcome.on == days_ago(3)
    mine = signed_in(member.user).get(url(member, "outcomes")).content.decode()
    assert keyworker.user.display_name in mine and "Fixed" in mine


def test_others_get_404_on_her_pages(member: Membership, keyworker: Membership, coordinator: Membership) -> None:
    job = a_job(keyworker, member)
    other = MembershipFactory(partnership=member.partnership, is_member=True)
    for person in (coordinator, other):
        client = signed_in(person.user)
        assert client.get(url(member, "outcome-person", membership_id=member.pk)).status_code == 404
    assert signed_in(other.user).get(url(member, "outcome-correction-ask", outcome_id=job.pk)).status_code == 404
    assert not OutcomeRead.objects.exists()


def test_her_page_keeps_its_queries_few(
    member: Membership, keyworker: Membership, django_assert_max_num_queries: Any
) -> None:
    for n in range(6):
        a_job(keyworker, member, on=days_ago(10 + n))
    client = signed_in(member.user)
    client.get(url(member, "outcomes"))
    with django_assert_max_num_queries(14):
        assert client.get(url(member, "outcomes")).status_code == 200
