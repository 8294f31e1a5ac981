"""The demo's paid time: one claim approved and in the fund's ledger, one waiting; a second load adds nothing."""

from __future__ import annotations

import pytest

from coproduce.fund import demo as fund_demo
from coproduce.fund.models import Spending
from coproduce.learning import demo as learning_demo
from coproduce.learning.models import Attendance, Claim, PaySettings
from coproduce.partnerships import demo as partnership_demo
from coproduce.partnerships.demo import DemoContext
from tests.conftest import present

pytestmark = pytest.mark.django_db


def load() -> DemoContext:
    ctx = DemoContext()
    partnership_demo.load(ctx)
    fund_demo.load(ctx)
    learning_demo.load(ctx)
    learning_demo.load_pay(ctx)
    return ctx


def test_one_claim_is_paid_through_the_ledger_and_one_waits() -> None:
    load()
    assert PaySettings.objects.get().hourly_rate_pence == 15_00
    approved = Claim.objects.get(status="approved")
    waiting = Claim.objects.get(status="waiting")
    assert present(approved.user).email == "aisha@riverside.example"
    assert present(waiting.user).email == "hannah@riverside.example"
    spending = Spending.objects.get()
    assert approved.spending_id == spending.pk and spending.amount_pence == approved.total_pence
    assert approved.event_id == waiting.event_id and approved.event.paid_time
    # the events' own workshop and register: nobody was ticked in here
    assert approved.event.title == learning_demo.PAID_WORKSHOP
    assert Attendance.objects.filter(event=approved.event, marked_by__isnull=False).count() >= 2


def test_a_second_load_adds_nothing() -> None:
    load()
    before = (Claim.objects.count(), Spending.objects.count(), PaySettings.objects.count())
    load()
    assert (Claim.objects.count(), Spending.objects.count(), PaySettings.objects.count()) == before
