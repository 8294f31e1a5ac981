"""The employability outcomes demo: Aisha's job at the real Living Wage with its 13-week follow-up, recorded
with her by Jamie; priority family groups with "prefer not to say"; loading it twice adds nothing."""

from __future__ import annotations

import pytest

from coproduce.demo_data import load_demo
from coproduce.partnerships.demo import DEMO_SLUG
from coproduce.reports import demo_outcomes
from coproduce.reports.models.outcomes import Outcome, PriorityGroups

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_living_wage_job_with_its_follow_up_and_loads_once() -> None:
    ctx = load_demo()
    aisha = ctx.memberships[(DEMO_SLUG, "aisha")]
    job = Outcome.objects.get(member=aisha, kind="job_started")
    assert job.pays_living_wage is True and job.recorded_by == ctx.memberships[(DEMO_SLUG, "jamie")]
    assert job.follow_ups.get().kind == "in_work_13"
    assert Outcome.objects.filter(pays_living_wage=False).exists()
    assert PriorityGroups.objects.filter(member=aisha, lone_parent="yes", minority_ethnic="prefer_not").exists()
    before = (Outcome.objects.count(), PriorityGroups.objects.count())
    demo_outcomes.load(ctx)
    assert (Outcome.objects.count(), PriorityGroups.objects.count()) == before
