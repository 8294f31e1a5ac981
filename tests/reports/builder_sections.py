"""Report sections for the builder's tests, registered in place of the capabilities' own for one test
(``sections`` fixture): members who joined in the period (by organisation when asked), a small table, a fund
table in pence, and a section that cannot narrow to an organisation."""

from __future__ import annotations

from datetime import datetime, time

import pytest
from django.utils import timezone

from coproduce.partnerships import reporting
from coproduce.partnerships.models import Membership
from coproduce.partnerships.reporting import ReportQuery, ReportRow, ReportSection, ReportTable


def _joined(query: ReportQuery) -> list[ReportTable]:
    tz = timezone.get_current_timezone()
    people = Membership.objects.filter(
        partnership_id=query.partnership_id,
        joined_at__gte=datetime.combine(query.start, time.min, tzinfo=tz),
        joined_at__lte=datetime.combine(query.end, time.max, tzinfo=tz),
    )
    if query.scope == "organisation" and query.organisation_id is not None:
        people = people.filter(organisation_id=query.organisation_id)
    members = people.filter(is_member=True).count()
    staff = people.filter(is_member=False).count()
    return [
        ReportTable(
            key="test.joined",
            title="People who joined",
            unit="count",
            rows=(ReportRow("members", "Members", members), ReportRow("staff", "Staff and observers", staff)),
            total=ReportRow("all", "Everyone", members + staff),
            exclusive=True,
        )
    ]


def _groups(query: ReportQuery) -> list[ReportTable]:
    return [
        ReportTable(
            key="test.groups",
            title="Priority family groups",
            unit="count",
            rows=(ReportRow("lone_parent", "Lone parent", 3), ReportRow("disabled", "Disabled adult or child", 14)),
            total=ReportRow("all", "Families asked", 16),
        )
    ]


def _fund(query: ReportQuery) -> list[ReportTable]:
    return [
        ReportTable(
            key="test.fund",
            title="Money in and out",
            unit="pence",
            rows=(
                ReportRow("in", "Money in", 1_250_000, counts_people=False),
                ReportRow("individuals", "Paid to parents for their time", 4_000, counts_people=False, basis=2),
            ),
        )
    ]


SECTIONS = [
    ReportSection("test.reach", "reach", "Reach", 1, _joined, scopes=("partnership", "organisation")),
    ReportSection("test.groups", "reach", "Priority groups", 2, _groups, scopes=("partnership", "organisation")),
    ReportSection("test.fund", "fund", "The fund", 1, _fund),
]


@pytest.fixture
def sections(monkeypatch: pytest.MonkeyPatch) -> list[ReportSection]:
    """The builder's registry holds these sections only, for the length of the test."""
    monkeypatch.setattr(reporting, "_SECTIONS", {})
    for section in SECTIONS:
        reporting.register_report_section(section)
    return SECTIONS
