"""Her data in learning together: "My data", what leaving and erasure do, the retention of needs, the audit
log's sentences and the notice kinds."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from coproduce.core.models import AuditEvent
from coproduce.learning import services
from coproduce.learning.departure import DEPARTURE
from coproduce.learning.models import Attendance, AttendanceTick, Registration, RegistrationNeeds
from coproduce.learning.personal_data import learning_export
from coproduce.learning.retention import purge_needs
from coproduce.notifications.models import Notice
from coproduce.partnerships.audit_wording import audit_entries, worded
from coproduce.partnerships.models import Membership
from coproduce.partnerships.personal_data import retention_kinds
from tests.learning.conftest import at, make_event, members

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(worker: Membership, partnership: Any) -> dict[str, Any]:
    """Aisha came to a past session (with childcare), has a place at one to come (with needs) and is waiting
    for a full one; Ben has the full one's only place."""
    now = timezone.now()
    aisha, ben = members(partnership, 2)
    past = make_event(worker, title="Past session", starts_at=now + timedelta(hours=1))
    services.registration_make(actor=aisha, event=past, needs=services.NeedsData(childcare_children=1))
    with at(past.starts_at + timedelta(minutes=5)):
        services.attendance_mark(actor=worker, event=past, user_id=aisha.user_id, present=True)
    coming = make_event(worker, title="Coming session", starts_at=now + timedelta(days=2))
    services.registration_make(actor=aisha, event=coming, needs=services.NeedsData(interpreter_language="Urdu"))
    full = make_event(worker, title="Full session", capacity=1, starts_at=now + timedelta(days=3))
    services.registration_make(actor=ben, event=full)
    services.registration_make(actor=aisha, event=full)
    return {"aisha": aisha, "ben": ben, "past": past, "coming": coming, "full": full}


def test_my_data_holds_her_registrations_needs_and_attendance_only(history: dict[str, Any]) -> None:
    exported = learning_export(history["aisha"])
    assert sorted(r["event"] for r in exported["registrations"]) == ["Coming session", "Full session", "Past session"]
    assert {n["event"]: n["interpreter_language"] for n in exported["needs"]} == {
        "Past session": "",
        "Coming session": "Urdu",
    }
    assert [(a["event"], a["present"], a["minutes"]) for a in exported["attendance"]] == [("Past session", True, 120)]
    bens = learning_export(history["ben"])
    assert [r["event"] for r in bens["registrations"]] == ["Full session"]
    assert bens["needs"] == []


@pytest.mark.parametrize("how", ["leave", "erase"])
def test_leaving_or_erasure_gives_up_places_and_keeps_the_counts(history: dict[str, Any], how: str) -> None:
    aisha, ben = history["aisha"], history["ben"]
    with at(history["past"].starts_at + timedelta(hours=3)):
        lines = (DEPARTURE.leaving if how == "leave" else DEPARTURE.erasure)(aisha)
        assert [line.count for line in lines] == [2, 2, 2]  # two places to come; two needs; one past + one tick
        # Ben gives up the full session's place first: Aisha, waiting, gets it and is then erased.
        services.registration_cancel(actor=ben, registration=Registration.objects.get(user_id=ben.user_id))
        getattr(DEPARTURE, how)(aisha)
    assert not Registration.objects.filter(user_id=aisha.user_id).exists()
    assert not RegistrationNeeds.objects.exists()
    assert not Attendance.objects.filter(user_id=aisha.user_id).exists()
    # The past registration and the tick still count; the places to come are given up.
    assert Registration.objects.filter(event=history["past"], user__isnull=True, status="registered").count() == 1
    assert Attendance.objects.filter(event=history["past"], user__isnull=True, minutes=120).count() == 1
    assert Registration.objects.filter(event=history["coming"], status="cancelled").count() == 1
    assert Registration.objects.filter(event=history["full"], status="registered").count() == 0


def test_erasure_gives_her_place_to_the_next_waiting(worker: Membership, partnership: Any) -> None:
    event = make_event(worker, capacity=1)
    aisha, ben = members(partnership, 2)
    services.registration_make(actor=aisha, event=event)
    services.registration_make(actor=ben, event=event)
    DEPARTURE.erase(aisha)
    assert Registration.objects.get(user_id=ben.user_id).status == "registered"
    assert Notice.objects.filter(kind="learning.place_offered", user_id=ben.user_id).exists()


def test_needs_are_deleted_once_the_retention_period_after_the_event_has_passed(history: dict[str, Any]) -> None:
    kind = next(k for k in retention_kinds() if k.key == "learning.needs")
    assert kind.default_days == 30
    partnership = history["aisha"].partnership
    past_end = history["past"].ends_at
    assert purge_needs(partnership, past_end, dry_run=False) == 0  # the event has not ended before the cut-off
    assert purge_needs(partnership, past_end + timedelta(seconds=1), dry_run=True) == 1
    assert RegistrationNeeds.objects.count() == 2
    assert purge_needs(partnership, past_end + timedelta(seconds=1), dry_run=False) == 1
    assert list(RegistrationNeeds.objects.values_list("interpreter_language", flat=True)) == ["Urdu"]
    assert Registration.objects.count() == 4  # the registrations themselves stay


def test_the_registers_tick_keys_go_with_the_needs(history: dict[str, Any]) -> None:
    partnership = history["aisha"].partnership
    past, coming = history["past"], history["coming"]
    AttendanceTick.objects.create(event=past, client_token="past-tick")
    AttendanceTick.objects.create(event=coming, client_token="coming-tick")
    purge_needs(partnership, past.ends_at, dry_run=False)
    assert AttendanceTick.objects.count() == 2
    purge_needs(partnership, past.ends_at + timedelta(seconds=1), dry_run=True)
    assert AttendanceTick.objects.count() == 2
    purge_needs(partnership, past.ends_at + timedelta(seconds=1), dry_run=False)
    assert list(AttendanceTick.objects.values_list("client_token", flat=True)) == ["coming-tick"]


def test_every_action_has_its_sentence(history: dict[str, Any], worker: Membership) -> None:
    services.event_cancel(actor=worker, event=history["coming"])
    actions = set(AuditEvent.objects.filter(action__startswith="learning.").values_list("action", flat=True))
    assert {"learning.event_created", "learning.registered", "learning.waiting_list_joined"} <= actions
    assert all(worded(action) for action in actions)
    entries = audit_entries(
        AuditEvent.objects.filter(action="learning.event_cancelled"), partnership_id=worker.partnership_id
    )
    assert entries[0].sentence == f"{worker.user.display_name} cancelled the event “Coming session”."
