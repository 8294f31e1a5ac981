"""Measures that follow another part of the platform (``partnerships.measures``): a test of change started in
one step with its measure linked, the run chart and data table read from the source, and nothing entered or
imported by hand for such a measure."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.models import AuditEvent
from coproduce.improvement import api, services
from coproduce.improvement.models import Measure, Observation, TestOfChange
from coproduce.partnerships import measures as registry
from coproduce.partnerships.measures import MeasurePoint, MeasureSource
from tests.conftest import signed_in
from tests.factories import OrganisationFactory, PartnershipFactory

pytestmark = pytest.mark.django_db

KEY = "fake.scores"


class FakeScores:
    """A measure source standing in for evaluation: the points it is asked for, per reference."""

    def __init__(self) -> None:
        self.points: dict[str, list[MeasurePoint]] = {}
        self.asked: list[tuple[int, str]] = []

    def get(self, partnership_id: int, ref: str) -> list[MeasurePoint]:
        self.asked.append((partnership_id, ref))
        return self.points.get(ref, [])

    def describe(self, partnership_id: int, ref: str) -> str:
        return "Money advice drop-in: I was listened to" if ref == "12:listened" else ""


@pytest.fixture
def source() -> Iterator[FakeScores]:
    fake = FakeScores()
    registry.register_measure_source(
        MeasureSource(key=KEY, label="What parents said", points=fake.get, describe=fake.describe)
    )
    yield fake
    registry._SOURCES.pop(KEY, None)


def _start(actor: Any, **overrides: Any) -> api.TestRef:
    values: dict[str, Any] = {
        "actor": actor,
        "title": "Listening better at the drop-in",
        "aim_what": "Parents feel listened to at the money advice drop-in.",
        "measure_name": "I was listened to",
        "source_key": KEY,
        "ref": "12:listened",
    }
    values.update(overrides)
    return api.test_start_linked(**values)


def test_one_step_starts_a_planned_test_with_its_measure_linked(worker: Any, source: FakeScores) -> None:
    ref = _start(worker)
    test = TestOfChange.objects.get(pk=ref.id)
    assert (ref.title, ref.stage) == ("Listening better at the drop-in", "Plan")
    today = timezone.localdate()
    assert test.stage == TestOfChange.Stage.PLAN
    assert test.owner_id == worker.user_id
    assert test.organisation_id == worker.organisation_id
    assert list(test.people.all()) == [worker]
    assert test.change_kind == "try"
    assert test.starts_on == today
    assert (test.ends_on.year * 12 + test.ends_on.month) - (today.year * 12 + today.month) == 3
    assert test.aim_by_when == test.ends_on
    assert test.change == test.predictions == test.aim_how_much == "To be agreed by the team"
    [measure] = Measure.objects.filter(test=test)
    assert (measure.name, measure.kind, measure.unit, measure.better) == (
        "I was listened to",
        "outcome",
        "average score 1–5",
        "higher",
    )
    assert (measure.linked_source, measure.linked_ref) == (KEY, "12:listened")
    assert measure.source == "Money advice drop-in: I was listened to"
    actions = set(AuditEvent.objects.filter(partnership_id=worker.partnership_id).values_list("action", flat=True))
    assert {"improvement.test_created", "improvement.measure_created"} <= actions


def test_the_team_can_then_change_the_plan_as_any_other(worker: Any, source: FakeScores) -> None:
    test = TestOfChange.objects.get(pk=_start(worker).id)
    fields = services.TestFields(**{name: getattr(test, name) for name in services.PLAN_FIELDS})
    fields.change = "Longer appointments, and a phone call back the next day."
    services.pdsa_update(actor=worker, test=test, fields=fields)
    test.refresh_from_db()
    assert test.change.startswith("Longer appointments")


def test_an_observer_may_not_start_one(observer: Any, source: FakeScores) -> None:
    with pytest.raises(NotPermitted):
        _start(observer)
    assert not TestOfChange.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"source_key": "nothing.registered"}, "source_key"),
        ({"ref": ""}, "ref"),
        ({"ref": "x" * 81}, "ref"),
        ({"title": "  "}, "title"),
        ({"measure_name": ""}, "measure_name"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(
    worker: Any, source: FakeScores, overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(ServiceError) as error:
        _start(worker, **overrides)
    assert error.value.field == field
    assert not TestOfChange.objects.exists()


def test_the_organisation_must_be_one_of_the_partnership(worker: Any, source: FakeScores) -> None:
    elsewhere = OrganisationFactory(partnership=PartnershipFactory())
    with pytest.raises(ServiceError):
        _start(worker, organisation_id=elsewhere.pk)
    ours = OrganisationFactory(partnership=worker.partnership)
    assert TestOfChange.objects.get(pk=_start(worker, organisation_id=ours.pk).id).organisation_id == ours.pk


def _page(client: Any, partnership: Any, test_id: int) -> str:
    response = client.get(reverse("improvement:test", kwargs={"slug": partnership.slug, "test_id": test_id}))
    assert response.status_code == 200
    return response.content.decode()


def test_the_chart_and_table_read_the_source_not_stored_observations(
    worker: Any, partnership: Any, source: FakeScores
) -> None:
    source.points["12:listened"] = [
        MeasurePoint(on=date(2026, 1, 1), value=3.4),
        MeasurePoint(on=date(2026, 2, 1), value=3.8),
        MeasurePoint(on=date(2026, 3, 1), value=4.25),
    ]
    ref = _start(worker)
    client = signed_in(worker.user)
    page = _page(client, partnership, ref.id)
    for value in ("3.4", "3.8", "4.25"):
        assert f"<td>{value}</td>" in page
    assert "Money advice drop-in: I was listened to" in page
    assert "not entered here" in page
    assert "Record an observation" not in page
    assert "Import from a CSV file" not in page
    assert (partnership.pk, "12:listened") in source.asked
    assert not Observation.objects.exists()
    source.points["12:listened"].append(MeasurePoint(on=date(2026, 4, 1), value=4.6))  # a new month: read anew
    assert "<td>4.6</td>" in _page(client, partnership, ref.id)


def test_a_source_no_longer_registered_shows_an_empty_chart_and_says_why(
    worker: Any, partnership: Any, source: FakeScores
) -> None:
    ref = _start(worker)
    registry._SOURCES.pop(KEY)
    assert "no longer available" in _page(signed_in(worker.user), partnership, ref.id)


def test_unlinked_measures_keep_their_observations_and_links(
    worker: Any, partnership: Any, source: FakeScores, measure: Measure
) -> None:
    services.observation_record(
        actor=worker, measure=measure, observed_on=timezone.localdate() - timedelta(days=1), value="7"
    )
    page = _page(signed_in(worker.user), partnership, measure.test_id)
    assert "Record an observation" in page
    assert "<td>7</td>" in page


def test_entering_or_importing_for_a_linked_measure_is_refused(
    worker: Any, partnership: Any, source: FakeScores
) -> None:
    measure = Measure.objects.get(test_id=_start(worker).id)
    yesterday = timezone.localdate() - timedelta(days=1)
    with pytest.raises(ServiceError) as error:
        services.observation_record(actor=worker, measure=measure, observed_on=yesterday, value="4")
    assert error.value.code == "linked"
    assert "cannot be entered or imported here" in error.value.message
    with pytest.raises(ServiceError) as error:
        services.observations_import(actor=worker, measure=measure, content=b"date,value\n2026-01-05,4\n")
    assert error.value.code == "linked"
    client = signed_in(worker.user)
    slug = partnership.slug
    for name, post in (
        ("improvement:observation-new", {"observed_on": yesterday.isoformat(), "value": "4"}),
        ("improvement:observation-import", {"file": SimpleUploadedFile("o.csv", b"date,value\n2026-01-05,4\n")}),
    ):
        address = reverse(name, kwargs={"slug": slug, "measure_id": measure.pk})
        for response in (client.get(address, follow=True), client.post(address, post, follow=True)):
            assert response.redirect_chain[-1][0].endswith(f"#measure-{measure.pk}")
            assert "cannot be entered or imported here" in response.content.decode()
    assert not Observation.objects.exists()
