"""Demo employability outcomes for the Riverside partnership (idempotent: nothing is added when the partnership
has outcomes already). Made through the services, after support's demo (the keyworkers come from its plans).

- **Aisha** (Jamie is her keyworker): started a short course, then a permanent part-time job in school hours
  paying the real Living Wage, and is still in work 13 weeks on (Jamie recorded each with her). She is a lone
  parent and prefers not to say about the rest.
- **Danielle** recorded her own National 5 maths pass; a lone parent, "prefer not to say" about disability.
- **Marta** (Sam) started volunteering as a bookkeeper at the community café; minority ethnic.
- **Chloe** (Sam) started a zero-hours job below the real Living Wage; her follow-ups are not due yet.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from coproduce.partnerships.demo import DEMO_SLUG, DemoContext
from coproduce.reports.models.outcomes import Outcome
from coproduce.reports.services import outcomes as services


def _ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def load(ctx: DemoContext) -> None:
    partnership = ctx.partnerships[DEMO_SLUG]
    if Outcome.objects.filter(partnership=partnership).exists():
        return
    people = {key: ctx.memberships[(DEMO_SLUG, key)] for key in ("aisha", "danielle", "marta", "chloe", "jamie", "sam")}
    aisha, danielle, marta, chloe, jamie, sam = (
        people[k] for k in ("aisha", "danielle", "marta", "chloe", "jamie", "sam")
    )
    services.outcome_record(
        actor=jamie,
        member=aisha,
        kind="training_started",
        on=_ago(150),
        description="Customer service short course at Riverside College",
        agreed_with_member=True,
    )
    job = services.outcome_record(
        actor=jamie,
        member=aisha,
        kind="job_started",
        on=_ago(120),
        hours_per_week=16,
        contract="permanent",
        hourly_pay_pence=1345,
        description="Retail assistant, school hours",
        agreed_with_member=True,
    )
    services.outcome_record(
        actor=jamie, member=aisha, kind="in_work_13", on=_ago(120 - 13 * 7), job=job, agreed_with_member=True
    )
    services.outcome_record(actor=danielle, member=danielle, kind="qualification_gained", on=_ago(40))
    services.outcome_record(
        actor=sam,
        member=marta,
        kind="volunteering_started",
        on=_ago(60),
        description="Bookkeeping at the community café",
        agreed_with_member=True,
    )
    services.outcome_record(
        actor=sam,
        member=chloe,
        kind="job_started",
        on=_ago(30),
        hours_per_week=12,
        contract="zero_hours",
        hourly_pay_pence=1221,
        agreed_with_member=True,
    )
    services.priority_groups_set(
        actor=aisha,
        member=aisha,
        answers={
            "lone_parent": "yes",
            "disability": "prefer_not",
            "three_plus_children": "no",
            "minority_ethnic": "prefer_not",
            "youngest_under_one": "no",
            "mother_under_25": "no",
        },
    )
    services.priority_groups_set(
        actor=danielle, member=danielle, answers={"lone_parent": "yes", "disability": "prefer_not"}
    )
    services.priority_groups_set(
        actor=sam, member=marta, answers={"minority_ethnic": "yes", "lone_parent": "no"}, agreed_with_member=True
    )
    ctx.say("Employability outcomes: Aisha's job and its 13-week follow-up, Danielle, Marta and Chloe.")
