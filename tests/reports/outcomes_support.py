"""What the employability outcomes tests share: making a worker a member's agreed keyworker (through support's
services, as a member adds her keyworker) and recording a job quickly."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from coproduce.partnerships.models import Membership
from coproduce.reports.models.outcomes import Outcome
from coproduce.reports.services import outcomes as services
from coproduce.support import services as support_services


def keyworker_for(member: Membership, worker: Membership) -> None:
    """``worker`` becomes ``member``'s agreed keyworker on her (new) support plan."""
    plan = support_services.plan_start(actor=member)
    support_services.team_propose(actor=member, plan=plan, person=worker, role="keyworker")


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def a_job(actor: Membership, member: Membership, *, on: dt.date | None = None, pay: int = 1345, **kw: Any) -> Outcome:
    return services.outcome_record(
        actor=actor,
        member=member,
        kind="job_started",
        on=on or days_ago(3),
        hours_per_week=kw.pop("hours", 16),
        contract=kw.pop("contract", "permanent"),
        hourly_pay_pence=pay,
        agreed_with_member=actor.pk != member.pk,
        **kw,
    )
