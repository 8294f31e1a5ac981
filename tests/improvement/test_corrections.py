"""Fixing mistakes after set-up: changing a test's plan, and changing or deleting an observation. The same
people who may record them, the same bad-input rules as recording them (a clear message, nothing half-saved),
and a trace in the audit log of who changed what."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.models import AuditEvent
from coproduce.improvement import services
from coproduce.improvement.models import Measure, Observation, TestOfChange
from tests.conftest import signed_in
from tests.factories import MembershipFactory
from tests.improvement.conftest import fields

pytestmark = pytest.mark.django_db


def url(name: str, partnership: Any, **kwargs: Any) -> str:
    return reverse(f"improvement:{name}", kwargs={"slug": partnership.slug, **kwargs})


def _plan(test: TestOfChange) -> dict[str, Any]:
    test.refresh_from_db()
    return {name: getattr(test, name) for name in services.PLAN_FIELDS}


def _observation(worker: Any, measure: Measure, *, days_ago: int = 7, value: str = "6") -> Observation:
    return services.observation_record(
        actor=worker, measure=measure, observed_on=timezone.localdate() - timedelta(days=days_ago), value=value
    )


# --- Changing the plan: the service --------------------------------------------------------------------


def test_the_owner_changes_the_plan_and_the_people_and_the_audit_names_what_changed(
    worker: Any, member: Any, coordinator: Any, test_of_change: TestOfChange
) -> None:
    today = timezone.localdate()
    new = fields(
        title="Evening drop-in, Tuesdays and Thursdays",
        predictions="Attendance rises within two weeks.",
        ends_on=today + timedelta(days=45),
    )
    services.pdsa_update(actor=worker, test=test_of_change, fields=new, people=[coordinator])
    assert _plan(test_of_change) == {name: getattr(new, name) for name in services.PLAN_FIELDS}
    # The member is no longer involved; the coordinator is; the owner stays whatever the form said.
    assert set(test_of_change.people.all()) == {worker, coordinator}
    event = AuditEvent.objects.get(action="improvement.test_changed")
    assert event.actor == worker.user
    assert event.target_id == str(test_of_change.pk)
    assert event.detail == {
        "changed": ["title", "predictions", "ends_on"],
        "people_added": [coordinator.pk],
        "people_removed": [member.pk],
    }


def test_saving_the_plan_unchanged_leaves_no_trace(worker: Any, member: Any, test_of_change: TestOfChange) -> None:
    before = TestOfChange.objects.get(pk=test_of_change.pk).updated_at
    services.pdsa_update(actor=worker, test=test_of_change, fields=fields(), people=[member])
    assert TestOfChange.objects.get(pk=test_of_change.pk).updated_at == before
    assert not AuditEvent.objects.filter(action="improvement.test_changed").exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "  "}, "title"),
        ({"aim_what": ""}, "aim_what"),
        ({"aim_how_much": "x" * 201}, "aim_how_much"),
        ({"change_kind": "maybe"}, "change_kind"),
        ({"predictions": ""}, "predictions"),
        ({"ends_on": timezone.localdate() - timedelta(days=200)}, "ends_on"),
        ({"aim_by_when": timezone.localdate() - timedelta(days=200)}, "aim_by_when"),
    ],
)
def test_a_plan_with_bad_fields_is_refused_and_nothing_is_changed(
    worker: Any, member: Any, test_of_change: TestOfChange, overrides: dict[str, Any], field: str
) -> None:
    before = _plan(test_of_change)
    with pytest.raises(ServiceError) as error:
        services.pdsa_update(
            actor=worker, test=test_of_change, fields=fields(**{"title": "A new name", **overrides}), people=[]
        )
    assert error.value.field == field
    assert _plan(test_of_change) == before
    assert set(test_of_change.people.all()) == {worker, member}
    assert not AuditEvent.objects.filter(action="improvement.test_changed").exists()


def test_only_the_people_running_the_test_or_a_coordinator_change_its_plan(
    partnership: Any, coordinator: Any, observer: Any, outsider: Any, partner_lead: Any, test_of_change: TestOfChange
) -> None:
    bystander = MembershipFactory(partnership=partnership, is_member=True)
    for someone in (bystander, observer, outsider, partner_lead):
        with pytest.raises(NotPermitted):
            services.pdsa_update(actor=someone, test=test_of_change, fields=fields(title="Taken over"))
    assert TestOfChange.objects.get(pk=test_of_change.pk).title == "Evening drop-in"
    services.pdsa_update(actor=coordinator, test=test_of_change, fields=fields(title="Renamed by the coordinator"))
    assert TestOfChange.objects.get(pk=test_of_change.pk).title == "Renamed by the coordinator"


def test_people_from_another_partnership_cannot_be_involved(
    worker: Any, outsider: Any, test_of_change: TestOfChange
) -> None:
    with pytest.raises(NotPermitted):
        services.pdsa_update(actor=worker, test=test_of_change, fields=fields(), people=[outsider])
    assert outsider not in test_of_change.people.all()


def test_the_plan_of_a_decided_test_is_closed(worker: Any, test_of_change: TestOfChange) -> None:
    services.decision_record(
        actor=worker,
        test=test_of_change,
        kind="adopt",
        reasons="It worked.",
        review_on=timezone.localdate() + timedelta(days=30),
    )
    with pytest.raises(ServiceError) as error:
        services.pdsa_update(actor=worker, test=test_of_change, fields=fields(title="After the fact"))
    assert error.value.code == "decided"
    assert TestOfChange.objects.get(pk=test_of_change.pk).title == "Evening drop-in"


# --- Changing and deleting observations: the services -------------------------------------------------


def test_an_observation_is_corrected_and_the_audit_keeps_before_and_after(
    worker: Any, member: Any, measure: Measure
) -> None:
    observation = _observation(worker, measure, days_ago=7, value="6")
    day = timezone.localdate() - timedelta(days=8)
    services.observation_update(actor=member, observation=observation, observed_on=day, value="1,206.5", note="typo")
    observation.refresh_from_db()
    assert (observation.observed_on, observation.value, observation.note) == (day, Decimal("1206.5"), "typo")
    assert observation.entered_by == worker.user  # who first entered it is kept
    event = AuditEvent.objects.get(action="improvement.observation_changed")
    assert event.actor == member.user
    assert event.detail["before"]["value"] == str(Decimal("6.0000"))
    assert event.detail["after"]["value"] == str(Decimal("1206.5000"))
    assert event.detail["before"]["date"] == (timezone.localdate() - timedelta(days=7)).isoformat()
    assert event.detail["after"] == {"date": day.isoformat(), "value": "1206.5000", "note": "typo"}


def test_keeping_an_observations_own_date_is_not_a_duplicate(worker: Any, measure: Measure) -> None:
    observation = _observation(worker, measure)
    services.observation_update(actor=worker, observation=observation, observed_on=observation.observed_on, value="7")
    assert Observation.objects.get(pk=observation.pk).value == Decimal("7")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"value": "seven"}, "value"),
        ({"value": ""}, "value"),
        ({"value": "Infinity"}, "value"),
        ({"value": "1e400"}, "value"),
        ({"observed_on": timezone.localdate() + timedelta(days=1)}, "observed_on"),
        ({"observed_on": "the other date"}, "observed_on"),
        ({"note": "x" * 201}, "note"),
    ],
)
def test_a_bad_correction_is_refused_and_nothing_is_changed(
    worker: Any, measure: Measure, change: dict[str, Any], field: str
) -> None:
    observation = _observation(worker, measure, days_ago=7, value="6")
    other = _observation(worker, measure, days_ago=14, value="5")
    values: dict[str, Any] = {"observed_on": observation.observed_on, "value": "9", "note": "", **change}
    if values["observed_on"] == "the other date":  # another observation already has that date
        values["observed_on"] = other.observed_on
    with pytest.raises(ServiceError) as error:
        services.observation_update(actor=worker, observation=observation, **values)
    assert error.value.field == field
    assert sorted(Observation.objects.values_list("observed_on", "value", "note")) == [
        (other.observed_on, Decimal("5"), ""),
        (observation.observed_on, Decimal("6"), ""),
    ]
    assert not AuditEvent.objects.filter(action="improvement.observation_changed").exists()


def test_an_observation_is_deleted_and_the_audit_keeps_what_it_was(
    worker: Any, coordinator: Any, measure: Measure
) -> None:
    observation = _observation(worker, measure, value="6")
    kept = _observation(worker, measure, days_ago=14, value="5")
    services.observation_delete(actor=coordinator, observation=observation)
    assert list(Observation.objects.all()) == [kept]
    event = AuditEvent.objects.get(action="improvement.observation_deleted")
    assert event.actor == coordinator.user
    assert event.target_id == str(observation.pk)
    assert event.detail == {"deleted": {"date": observation.observed_on.isoformat(), "value": "6.0000", "note": ""}}


def test_an_observation_already_deleted_is_explained_not_deleted_twice(worker: Any, measure: Measure) -> None:
    observation = _observation(worker, measure)
    stale = Observation.objects.get(pk=observation.pk)
    services.observation_delete(actor=worker, observation=observation)
    with pytest.raises(ServiceError) as error:
        services.observation_delete(actor=worker, observation=stale)
    assert error.value.code == "gone"
    with pytest.raises(ServiceError):
        services.observation_update(actor=worker, observation=stale, observed_on=stale.observed_on, value="3")
    assert AuditEvent.objects.filter(action="improvement.observation_deleted").count() == 1


def test_only_the_people_running_the_test_or_a_coordinator_correct_its_observations(
    partnership: Any, worker: Any, observer: Any, outsider: Any, partner_lead: Any, measure: Measure
) -> None:
    observation = _observation(worker, measure, value="6")
    bystander = MembershipFactory(partnership=partnership, is_member=True)
    for someone in (bystander, observer, outsider, partner_lead):
        with pytest.raises(NotPermitted):
            services.observation_update(
                actor=someone, observation=observation, observed_on=observation.observed_on, value="60"
            )
        with pytest.raises(NotPermitted):
            services.observation_delete(actor=someone, observation=observation)
    assert Observation.objects.get(pk=observation.pk).value == Decimal("6")


# --- The pages ---------------------------------------------------------------------------------------------


def _plan_form(test: TestOfChange, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        name: (f"{value:%Y-%m-%d}" if hasattr(value, "year") else value) for name, value in _plan(test).items()
    }
    data.update(changes)
    return data


def test_the_test_page_links_to_changing_the_plan_and_each_observation(
    partnership: Any, worker: Any, observer: Any, measure: Measure
) -> None:
    test = measure.test
    observation = _observation(worker, measure)
    page = signed_in(worker.user).get(url("test", partnership, test_id=test.pk)).content.decode()
    assert f'href="{url("test-edit", partnership, test_id=test.pk)}"' in page
    row_link = url("observation-edit", partnership, observation_id=observation.pk)
    day = observation.observed_on
    assert re.search(
        rf'<a href="{row_link}">Change<span class="visually-hidden"> – {day.day} {day:%b} {day.year}</span></a>',
        page,
    )
    # The page to change it offers to delete it.
    form = signed_in(worker.user).get(row_link).content.decode()
    assert f'href="{url("observation-delete", partnership, observation_id=observation.pk)}"' in form
    # Someone who may only read the test sees no such links.
    page = signed_in(observer.user).get(url("test", partnership, test_id=test.pk)).content.decode()
    assert url("test-edit", partnership, test_id=test.pk) not in page
    assert url("observation-edit", partnership, observation_id=observation.pk) not in page
    assert url("observation-delete", partnership, observation_id=observation.pk) not in page


def test_the_plan_is_changed_with_a_plain_form(
    partnership: Any, worker: Any, member: Any, coordinator: Any, test_of_change: TestOfChange
) -> None:
    client = signed_in(worker.user)
    edit_url = url("test-edit", partnership, test_id=test_of_change.pk)
    form = client.get(edit_url).content.decode()
    assert 'value="Evening drop-in"' in form
    assert re.search(rf'name="people" value="{member.pk}"[^>]* checked', form)
    assert re.search(rf'name="people" value="{coordinator.pk}"', form)
    assert not re.search(rf'name="people" value="{worker.pk}"', form)  # the owner is always involved
    response = client.post(edit_url, _plan_form(test_of_change, title="Evening drop-in, two nights", people=[]))
    assert response.status_code == 302
    assert response["Location"] == url("test", partnership, test_id=test_of_change.pk) + "#plan"
    assert TestOfChange.objects.get(pk=test_of_change.pk).title == "Evening drop-in, two nights"
    assert set(test_of_change.people.all()) == {worker}


def test_bad_plan_dates_are_shown_on_the_page_and_nothing_is_saved(
    partnership: Any, worker: Any, test_of_change: TestOfChange
) -> None:
    client = signed_in(worker.user)
    edit_url = url("test-edit", partnership, test_id=test_of_change.pk)
    before = _plan(test_of_change)
    starts = before["starts_on"]
    for changes, message in [
        ({"ends_on": f"{starts - timedelta(days=1):%Y-%m-%d}"}, "The end date must be on or after the start date."),
        ({"starts_on": "31/02/2026"}, "Enter a real date"),
        ({"title": ""}, "Give the test a name."),
        ({"change_kind": "perhaps"}, "Select a valid choice"),
    ]:
        response = client.post(edit_url, _plan_form(test_of_change, **{"title": "Changed", **changes}))
        page = response.content.decode()
        assert response.status_code == 200
        assert "<title>Error:" in page
        assert message in page
        assert _plan(test_of_change) == before


def test_someone_who_may_not_change_the_plan_gets_404(
    partnership: Any, observer: Any, partner_lead: Any, test_of_change: TestOfChange
) -> None:
    bystander = MembershipFactory(partnership=partnership, is_member=True)
    edit_url = url("test-edit", partnership, test_id=test_of_change.pk)
    for someone in (bystander, observer, partner_lead):
        client = signed_in(someone.user)
        assert client.get(edit_url).status_code == 404
        assert client.post(edit_url, _plan_form(test_of_change, title="Taken over")).status_code == 404
    assert TestOfChange.objects.get(pk=test_of_change.pk).title == "Evening drop-in"


def test_a_decided_tests_plan_page_says_it_is_closed(
    partnership: Any, worker: Any, test_of_change: TestOfChange
) -> None:
    services.decision_record(
        actor=worker, test=test_of_change, kind="adopt", reasons="Kept.", review_on=timezone.localdate() + timedelta(9)
    )
    client = signed_in(worker.user)
    response = client.get(url("test-edit", partnership, test_id=test_of_change.pk), follow=True)
    assert "This test has been decided; its plan is closed." in response.content.decode()
    page = client.get(url("test", partnership, test_id=test_of_change.pk)).content.decode()
    assert url("test-edit", partnership, test_id=test_of_change.pk) not in page


def test_an_observation_is_corrected_on_a_plain_form(
    partnership: Any, member: Any, worker: Any, measure: Measure
) -> None:
    observation = _observation(worker, measure, value="1200")
    client = signed_in(member.user)
    edit_url = url("observation-edit", partnership, observation_id=observation.pk)
    form = client.get(edit_url).content.decode()
    assert 'value="1200"' in form  # as people type it, not 1200.0000
    assert url("observation-delete", partnership, observation_id=observation.pk) in form
    day = observation.observed_on - timedelta(days=1)
    response = client.post(edit_url, {"observed_on": f"{day:%d/%m/%Y}", "value": "12", "note": "decimal point"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#measure-{measure.pk}")
    observation.refresh_from_db()
    assert (observation.observed_on, observation.value, observation.note) == (day, Decimal("12"), "decimal point")


def test_bad_corrections_are_explained_on_the_page_and_nothing_is_saved(
    partnership: Any, worker: Any, measure: Measure
) -> None:
    observation = _observation(worker, measure, days_ago=7, value="6")
    other = _observation(worker, measure, days_ago=14, value="5")
    client = signed_in(worker.user)
    edit_url = url("observation-edit", partnership, observation_id=observation.pk)
    tomorrow = timezone.localdate() + timedelta(days=1)
    for data, message in [
        ({"value": "six"}, "“six” is not a number"),
        ({"value": ""}, "Enter a value."),
        ({"observed_on": f"{tomorrow:%Y-%m-%d}"}, "The date is in the future."),
        ({"observed_on": "2026-13-40"}, "Enter a real date"),
        ({"observed_on": f"{other.observed_on:%Y-%m-%d}"}, "There is already an observation for"),
    ]:
        posted = {"observed_on": f"{observation.observed_on:%Y-%m-%d}", "value": "9", "note": "", **data}
        response = client.post(edit_url, posted)
        page = response.content.decode()
        assert response.status_code == 200
        assert "<title>Error:" in page
        assert message in page
    assert sorted(Observation.objects.values_list("value", flat=True)) == [Decimal("5"), Decimal("6")]


def test_deleting_asks_on_a_page_first_and_deletes_on_post(partnership: Any, worker: Any, measure: Measure) -> None:
    observation = _observation(worker, measure, value="6")
    client = signed_in(worker.user)
    delete_url = url("observation-delete", partnership, observation_id=observation.pk)
    page = client.get(delete_url).content.decode()
    assert "Delete this observation?" in page
    assert '<form method="post">' in page
    assert Observation.objects.filter(pk=observation.pk).exists()  # asking deletes nothing
    response = client.post(delete_url)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#measure-{measure.pk}")
    assert not Observation.objects.filter(pk=observation.pk).exists()
    # The address of a deleted observation is simply missing.
    assert client.get(delete_url).status_code == 404
    assert client.post(delete_url).status_code == 404


def test_someone_who_may_not_correct_observations_gets_404(
    partnership: Any, worker: Any, observer: Any, partner_lead: Any, outsider: Any, measure: Measure
) -> None:
    observation = _observation(worker, measure, value="6")
    bystander = MembershipFactory(partnership=partnership, is_member=True)
    edit_url = url("observation-edit", partnership, observation_id=observation.pk)
    delete_url = url("observation-delete", partnership, observation_id=observation.pk)
    for someone in (bystander, observer, partner_lead):
        client = signed_in(someone.user)
        assert client.get(edit_url).status_code == 404
        assert client.post(edit_url, {"observed_on": "2026-01-01", "value": "60"}).status_code == 404
        assert client.get(delete_url).status_code == 404
        assert client.post(delete_url).status_code == 404
    # Someone in another partnership, asking at their own partnership's address, finds nothing either.
    client = signed_in(outsider.user)
    assert (
        client.post(url("observation-delete", outsider.partnership, observation_id=observation.pk)).status_code == 404
    )
    assert Observation.objects.get(pk=observation.pk).value == Decimal("6")


def test_a_form_for_an_observation_deleted_meanwhile_finds_it_missing(
    partnership: Any, worker: Any, member: Any, measure: Measure
) -> None:
    observation = _observation(worker, measure)
    services.observation_delete(actor=member, observation=observation)
    client = signed_in(worker.user)
    response = client.post(
        url("observation-edit", partnership, observation_id=observation.pk),
        {"observed_on": f"{observation.observed_on:%Y-%m-%d}", "value": "7"},
    )
    assert response.status_code == 404  # gone, like any missing page
