"""Events' endpoints: the coming and past events a page at a time, one event with your place, registering with
what would help you come (checked by the page's form) and cancelling; the places never exceeded."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coproduce.learning import services
from coproduce.learning.models import Event, Registration
from tests.api.conftest import ApiClient, make_token
from tests.factories import PartnershipFactory, staff_membership
from tests.learning.conftest import make_event, members

BASE = "/api/v1/partnerships/{slug}/events"


def client_for(membership: Any, scope: str = "write") -> ApiClient:
    return ApiClient(make_token(membership, scope=scope))


def address(event: Event, suffix: str = "") -> str:
    return BASE.format(slug=event.partnership.slug) + f"/{event.pk}{suffix}"


def register(client: ApiClient, event: Event, body: dict[str, Any] | None = None) -> Any:
    return client.post(address(event, "/registration"), data=body or {}, content_type="application/json")


def fields_named(response: Any) -> list[str]:
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    return [error["field"] for error in response.json()["errors"]]


@pytest.mark.django_db
class TestReading:
    def test_upcoming_events_soonest_first_a_page_at_a_time(self, worker: Any, member: Any) -> None:
        now = timezone.now()
        later = make_event(worker, title="Later", starts_at=now + timedelta(days=20))
        sooner = make_event(worker, title="Sooner", starts_at=now + timedelta(days=2))
        client = client_for(member, "read")
        page = client.get(BASE.format(slug=member.partnership.slug), {"limit": 1}).json()
        assert [e["id"] for e in page["items"]] == [sooner.pk]
        assert page["items"][0]["capacity"] == 10 and page["items"][0]["places_left"] == 10
        assert [e["id"] for e in client.get(page["next"]).json()["items"]] == [later.pk]

    def test_past_events_latest_first(self, worker: Any, member: Any) -> None:
        long_ago = make_event(worker, title="Long ago")
        recent = make_event(worker, title="Recent")
        now = timezone.now()
        Event.objects.filter(pk=long_ago.pk).update(
            starts_at=now - timedelta(days=40), ends_at=now - timedelta(days=40, hours=-2)
        )
        Event.objects.filter(pk=recent.pk).update(
            starts_at=now - timedelta(days=4), ends_at=now - timedelta(days=4, hours=-2)
        )
        client = client_for(member, "read")
        base = BASE.format(slug=member.partnership.slug)
        assert [e["id"] for e in client.get(base, {"when": "past"}).json()["items"]] == [recent.pk, long_ago.pk]
        assert client.get(base).json()["items"] == []
        assert fields_named(client.get(base, {"when": "someday"})) == ["when"]

    def test_the_list_makes_the_same_queries_for_many_events(self, worker: Any, member: Any) -> None:
        client = client_for(member, "read")
        base = BASE.format(slug=member.partnership.slug)
        make_event(worker)
        client.get(base)
        with CaptureQueriesContext(connection) as few:
            client.get(base)
        for _ in range(10):
            make_event(worker)
        with CaptureQueriesContext(connection) as many:
            assert len(client.get(base).json()["items"]) == 11
        assert len(many) <= len(few)  # no query per item (the token's bookkeeping may vary by a few)

    def test_events_not_meant_for_you_or_elsewhere_are_not_found(self, worker: Any, member: Any) -> None:
        for_staff = make_event(worker, audience="staff")
        elsewhere = make_event(staff_membership(PartnershipFactory(), role="worker"))
        client = client_for(member)
        assert client.get(address(for_staff)).status_code == 404
        listed = client.get(BASE.format(slug=member.partnership.slug)).json()["items"]
        assert for_staff.pk not in [e["id"] for e in listed]
        wrong = BASE.format(slug=member.partnership.slug) + f"/{elsewhere.pk}"
        assert client.get(wrong).status_code == 404
        assert client.post(wrong + "/registration", data={}, content_type="application/json").status_code == 404
        assert register(client, for_staff).status_code == 404
        assert not Registration.objects.exists()

    def test_the_online_link_is_for_people_with_a_place(self, worker: Any, member: Any) -> None:
        event = make_event(worker, online_url="https://meet.example.org/riverside")
        client = client_for(member)
        before = client.get(address(event)).json()
        assert before["online"] is True and before["online_url"] is None and before["your_registration"] is None
        register(client, event)
        assert client.get(address(event)).json()["online_url"] == "https://meet.example.org/riverside"


@pytest.mark.django_db
class TestRegistering:
    def test_register_with_what_would_help_then_change_it_then_cancel(self, worker: Any, member: Any) -> None:
        event = make_event(worker)
        client = client_for(member)
        made = register(client, event, {"childcare_children": 2, "childcare_ages": [1, 6], "travel_costs": True})
        assert made.status_code == 201
        assert made.json() == {
            "status": "registered",
            "waiting_place": None,
            "needs": {
                "childcare_children": 2,
                "childcare_ages": [1, 6],
                "travel_costs": True,
                "access_needs": "",
                "interpreter_language": "",
                "food_needs": "",
            },
        }
        changed = register(client, event, {"food_needs": "Halal"})
        assert changed.status_code == 200 and changed.json()["needs"]["food_needs"] == "Halal"
        assert changed.json()["needs"]["childcare_children"] == 0
        assert Registration.objects.filter(event=event).count() == 1
        assert client.delete(address(event, "/registration")).status_code == 204
        assert Registration.objects.get(event=event).status == "cancelled"
        assert client.delete(address(event, "/registration")).status_code == 404

    def test_what_would_help_is_checked_as_the_page_checks_it(self, worker: Any, member: Any) -> None:
        event = make_event(worker)
        client = client_for(member)
        assert fields_named(register(client, event, {"childcare_children": 1, "childcare_ages": [2, 5]})) == [
            "childcare_ages"
        ]
        assert fields_named(register(client, event, {"childcare_ages": [30]})) == ["childcare_ages"]
        assert fields_named(register(client, event, {"childcare_children": 40})) == ["childcare_children"]
        assert fields_named(register(client, event, {"food_needs": "x" * 500})) == ["food_needs"]
        assert fields_named(register(client, event, {"pets": "a dog"})) == ["pets"]
        assert fields_named(register(client, event, {"travel_costs": "yes"})) == ["travel_costs"]
        assert not Registration.objects.exists()

    def test_a_full_event_puts_you_on_the_waiting_list(self, worker: Any, member: Any) -> None:
        event = make_event(worker, capacity=1)
        services.registration_make(actor=members(worker.partnership, 1)[0], event=event)
        body = register(client_for(member), event).json()
        assert body["status"] == "waiting" and body["waiting_place"] == 1

    def test_a_read_token_or_a_started_event_takes_no_registration(self, worker: Any, member: Any) -> None:
        event = make_event(worker)
        assert register(client_for(member, "read"), event).status_code == 403
        Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
        refused = register(client_for(member), event)
        assert refused.status_code == 400 and "started" in refused.json()["detail"]
        assert not Registration.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_twenty_people_registering_at_once_for_five_places_get_five() -> None:
    partnership = PartnershipFactory()
    worker = staff_membership(partnership, role="worker")
    event = make_event(worker, capacity=5)
    secrets = [make_token(person) for person in members(partnership, 20)]
    barrier = threading.Barrier(len(secrets))
    statuses: list[int] = []

    def send(secret: str) -> None:
        try:
            barrier.wait()
            statuses.append(register(ApiClient(secret), event).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(secret,)) for secret in secrets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert statuses == [201] * 20
    assert Registration.objects.filter(event=event, status="registered").count() == 5
    assert Registration.objects.filter(event=event, status="waiting").count() == 15
