"""The support demo: plans with six months of check-ins that show change, referrals in every state, and a
second run that adds nothing."""

from __future__ import annotations

import pytest

from coproduce.demo_data import load_demo
from coproduce.partnerships.models import Membership
from coproduce.support import selectors
from coproduce.support.models import CheckIn, PlanRead, Referral, Share, SupportPlan

pytestmark = pytest.mark.django_db


def test_demo_loads_plans_check_ins_and_referrals_in_every_state_and_is_idempotent() -> None:
    load_demo()
    counts = (SupportPlan.objects.count(), CheckIn.objects.count(), Referral.objects.count(), Share.objects.count())
    assert counts[0] >= 6 and counts[1] >= 36
    assert set(Referral.objects.values_list("status", flat=True)) == {s.value for s in Referral.Status}
    aisha = Membership.objects.get(user__email="aisha@riverside.example", partnership__slug="riverside")
    plan = selectors.own_plan(aisha)
    assert plan is not None
    progress = selectors.distance_travelled(plan)
    assert (
        progress and all(entry["change"] >= 0 for entry in progress) and any(entry["change"] >= 3 for entry in progress)
    )
    assert PlanRead.objects.filter(plan=plan).exists()
    jamie = Membership.objects.get(user__email="jamie@riverside.example", partnership__slug="riverside")
    assert selectors.plan_access(jamie, plan).is_keyworker
    load_demo()
    assert (
        SupportPlan.objects.count(),
        CheckIn.objects.count(),
        Referral.objects.count(),
        Share.objects.count(),
    ) == counts
