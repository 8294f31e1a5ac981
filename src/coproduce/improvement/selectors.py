"""Every read for tests of change and the stop-doing register. Tests of change and the register are open to
everyone in the partnership (observers included), so narrowing means: this partnership only. A lookup of one
thing raises ``NotPermitted`` (a 404) when it is missing or out of reach; with ``running=True``, also when the
person may not run its test (the rule ``improvement.run_test``)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import rules
from django.db.models import Count, FloatField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from coproduce.core.exceptions import NotPermitted
from coproduce.core.prepared import PreparedQuery
from coproduce.improvement.models import (
    Decision,
    Measure,
    MemberCheck,
    Observation,
    StoppedPractice,
    TestOfChange,
)
from coproduce.partnerships.measures import measure_source
from coproduce.partnerships.models import Membership

STAGES = [TestOfChange.Stage.PLAN, TestOfChange.Stage.DO, TestOfChange.Stage.STUDY, TestOfChange.Stage.ACT]


def _tests_of(partnership_id: int) -> QuerySet[TestOfChange]:
    return TestOfChange.objects.filter(partnership_id=partnership_id)


def tests_visible_to(membership: Membership) -> QuerySet[TestOfChange]:
    return _tests_of(membership.partnership_id)


# On every home page: compiled once (core/prepared.py, ADR 14). Shape: how many.
RUNNING_TEST_LINKS: PreparedQuery[TestOfChange] = PreparedQuery(
    lambda shape, partnership_id: (
        _tests_of(partnership_id)
        .filter(stage__in=[TestOfChange.Stage.DO, TestOfChange.Stage.STUDY])
        .only("id", "title", "language", "stage")
        .order_by("-updated_at")[:shape]
    )
)
WAITING_TEST_LINKS: PreparedQuery[TestOfChange] = PreparedQuery(
    lambda shape, partnership_id: (
        _tests_of(partnership_id)
        .filter(decision__needs_member=True, decision__effective_at__isnull=True)
        .only("id", "title", "language")[:shape]
    )
)


def running_test_links(membership: Membership, *, limit: int = 3) -> list[TestOfChange]:
    """Tests being done or studied now, most recently changed first, with only what a list of links needs."""
    return RUNNING_TEST_LINKS(limit, partnership_id=membership.partnership_id)


def waiting_test_links(membership: Membership, *, limit: int = 3) -> list[TestOfChange]:
    """Tests whose decision waits for a member's co-signature."""
    return WAITING_TEST_LINKS(limit, partnership_id=membership.partnership_id)


def board(
    membership: Membership, *, owner_id: int | None = None, organisation_id: int | None = None, measure: str = ""
) -> dict[str, list[TestOfChange]]:
    """All tests of change by stage, filtered; a fixed number of queries whatever the number of tests."""
    qs = tests_visible_to(membership)
    if owner_id:
        qs = qs.filter(owner_id=owner_id)
    if organisation_id:
        qs = qs.filter(organisation_id=organisation_id)
    if measure:
        qs = qs.filter(measures__name=measure)
    qs = (
        qs.select_related("owner", "organisation", "decision")
        .annotate(measure_total=Count("measures", distinct=True))
        .order_by("-updated_at", "-id")
        .distinct()
    )
    columns: dict[str, list[TestOfChange]] = {stage: [] for stage in STAGES}
    for test in qs:
        columns[test.stage].append(test)
    return columns


def board_filter_choices(membership: Membership) -> dict[str, list[tuple[Any, str]]]:
    tests = tests_visible_to(membership)
    owners = (
        tests.filter(owner__isnull=False)
        .values_list("owner_id", "owner__display_name")
        .distinct()
        .order_by("owner__display_name")
    )
    organisations = (
        tests.filter(organisation__isnull=False)
        .values_list("organisation_id", "organisation__name")
        .distinct()
        .order_by("organisation__name")
    )
    measures = (
        Measure.objects.filter(test__partnership_id=membership.partnership_id)
        .values_list("name", flat=True)
        .distinct()
        .order_by("name")
    )
    return {
        "owners": list(owners),
        "organisations": list(organisations),
        "measures": [(name, name) for name in measures],
    }


def _require_running(membership: Membership, test: TestOfChange) -> None:
    """``NotPermitted`` unless the person may run ``test``; loads ``test.people_ids`` for the rule if need be."""
    if not hasattr(test, "people_ids"):
        test.people_ids = set(test.people.values_list("pk", flat=True))  # type: ignore[attr-defined]
    if not rules.test_rule("improvement.run_test", membership, test):
        raise NotPermitted()


def test_for(membership: Membership, test_id: int, *, running: bool = False) -> TestOfChange:  # noqa: PT028 (not a pytest test)
    """A test in the person's partnership (with ``people_ids``, the people involved); else ``NotPermitted``.
    With ``running``, only a test the person may run."""
    test = (
        tests_visible_to(membership)
        .select_related("owner", "organisation", "idea", "previous", "partnership")
        .filter(pk=test_id)
        .first()
    )
    if test is None:
        raise NotPermitted()
    test.people_ids = set(test.people.values_list("pk", flat=True))  # type: ignore[attr-defined]
    if running:
        _require_running(membership, test)
    return test


def linked_points(partnership_id: int, measure: Measure) -> tuple[list[tuple[date, float]], str]:
    """The points a linked measure follows, oldest first, and where they come from in words ("What parents
    said about a service: Money advice drop-in: I was listened to"). A source no longer registered gives no
    points and says so."""
    source = measure_source(measure.linked_source)
    if source is None:
        return [], _("Figures from a part of the platform that is no longer available.")
    points = [(point.on, float(point.value)) for point in source.points(partnership_id, measure.linked_ref)]
    described = source.describe(partnership_id, measure.linked_ref)
    return points, f"{source.label}: {described}" if described else str(source.label)


def test_story(test: TestOfChange) -> dict[str, Any]:
    """Everything the test's page shows, in a fixed number of queries."""
    measures = list(Measure.objects.filter(test=test).order_by("id"))
    # Plain tuples, not model instances: a page may hold thousands of observations.
    series: dict[int, list[tuple[date, float]]] = {measure.pk: [] for measure in measures}
    observation_ids: dict[int, list[int]] = {measure.pk: [] for measure in measures}
    rows = Observation.objects.filter(measure__test=test).order_by("measure_id", "observed_on")
    as_float = Cast("value", FloatField())  # no Decimal per value: the chart works in floats
    for pk, measure_id, observed_on, value in rows.values_list("pk", "measure_id", "observed_on", as_float):
        series[measure_id].append((observed_on, value))
        observation_ids[measure_id].append(pk)
    # A linked measure follows another part of the platform: its points are read from there, never stored.
    linked: dict[int, str] = {}
    for measure in measures:
        if measure.is_linked:
            points, linked[measure.pk] = linked_points(test.partnership_id, measure)
            series[measure.pk] = points
            observation_ids[measure.pk] = []
    people = list(test.people.select_related("user", "organisation").order_by("user__display_name"))
    decision = Decision.objects.select_related("decided_by", "cosigned_by").filter(test=test).first()
    next_cycle = TestOfChange.objects.filter(previous=test).only("id", "title").first()
    checks = list(MemberCheck.objects.filter(test=test).order_by("-created_at", "-id")[:200])
    tally = Counter(check.answer for check in checks)
    stopped = StoppedPractice.objects.filter(test=test).only("id", "what", "status").first()
    return {
        "measures": measures,
        "series": series,
        "observation_ids": observation_ids,
        "linked": linked,
        "people": people,
        "decision": decision,
        "next_cycle": next_cycle,
        "checks": checks,
        "check_tally": [(answer, label, tally.get(answer, 0)) for answer, label in MemberCheck.Answer.choices],
        "check_words": [check for check in checks if check.words][:20],
        "stopped": stopped,
    }


def measure_for(membership: Membership, measure_id: int, *, running: bool = False) -> Measure:
    """A measure of a test in the person's partnership; else ``NotPermitted``. With ``running``, only one of a
    test the person may run."""
    measure = (
        Measure.objects.select_related("test", "test__partnership")
        .filter(pk=measure_id, test__partnership_id=membership.partnership_id)
        .first()
    )
    if measure is None:
        raise NotPermitted()
    if running:
        _require_running(membership, measure.test)
    return measure


def people_choices(membership: Membership, *, test: TestOfChange | None = None) -> QuerySet[Membership]:
    """Who may be involved in a test: members and staff of the partnership, except its owner, who is always
    involved (when setting one up, the owner is the person acting; for an existing ``test``, its owner)."""
    qs = Membership.objects.filter(partnership_id=membership.partnership_id).filter(
        Q(is_member=True) | Q(is_worker=True) | Q(is_coordinator=True) | Q(is_partner_lead=True)
    )
    if test is None:
        qs = qs.exclude(pk=membership.pk)
    elif test.owner_id is not None:
        qs = qs.exclude(user_id=test.owner_id)
    return qs.select_related("user").order_by("user__display_name")


def observation_for(membership: Membership, observation_id: int, *, running: bool = False) -> Observation:
    """An observation of a measure in the person's partnership; else ``NotPermitted``. With ``running``, only
    one of a test the person may run."""
    observation = (
        Observation.objects.select_related("measure", "measure__test", "measure__test__partnership")
        .filter(pk=observation_id, measure__test__partnership_id=membership.partnership_id)
        .first()
    )
    if observation is None:
        raise NotPermitted()
    if running:
        _require_running(membership, observation.measure.test)
    return observation


def register(membership: Membership, *, query: str = "") -> dict[str, list[StoppedPractice]]:
    """The stop-doing register, searched in what, why, evidence and what replaced it (SQLite and PostgreSQL)."""
    qs = StoppedPractice.objects.filter(partnership_id=membership.partnership_id).select_related(
        "test", "proposed_by", "agreed_by"
    )
    query = " ".join(query.split())[:100]
    if query:
        qs = qs.filter(
            Q(what__icontains=query)
            | Q(why__icontains=query)
            | Q(evidence__icontains=query)
            | Q(replaced_by__icontains=query)
            | Q(decided_by__icontains=query)
        )
    entries = list(qs.order_by("-decided_on", "-id"))
    return {
        "stopped": [e for e in entries if e.status == StoppedPractice.Status.STOPPED],
        "proposed": [e for e in entries if e.status == StoppedPractice.Status.PROPOSED],
    }


def stopped_for(membership: Membership, entry_id: int) -> StoppedPractice:
    """An entry of the partnership's stop-doing register; else ``NotPermitted``."""
    found = (
        StoppedPractice.objects.select_related("test", "proposed_by", "agreed_by")
        .filter(partnership_id=membership.partnership_id, pk=entry_id)
        .first()
    )
    if found is None:
        raise NotPermitted()
    return found
