"""The learning demo: a past session with attendance, a paid co-design workshop with attendance, and a session to
come with a full crèche and a waiting list; loading it twice adds nothing."""

from __future__ import annotations

from typing import Any

import pytest

from coproduce.learning import demo as learning_demo
from coproduce.learning import selectors
from coproduce.learning.models import Attendance, Event, Registration, RegistrationNeeds
from coproduce.partnerships import demo as partnership_demo
from coproduce.partnerships.demo import DEMO_SLUG, DemoContext

pytestmark = pytest.mark.django_db


def load() -> DemoContext:
    ctx = DemoContext()
    partnership_demo.load(ctx)
    learning_demo.load(ctx)
    return ctx


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (Event, Registration, RegistrationNeeds, Attendance)}


def test_the_demo_events_are_there_and_load_twice_the_same(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        ctx = load()
    first = counts()
    with django_capture_on_commit_callbacks(execute=True):
        load()
    assert counts() == first

    past = Event.objects.get(title=learning_demo.PAST_SESSION)
    assert Attendance.objects.filter(event=past, present=True).count() == 7
    assert Attendance.objects.filter(event=past, present=False).count() == 1
    workshop = Event.objects.get(title=learning_demo.PAID_WORKSHOP)
    assert workshop.paid_time
    assert workshop.kind == "codesign"
    assert Attendance.objects.filter(event=workshop, present=True, minutes=150).count() == 5

    full = Event.objects.get(title=learning_demo.FULL_CRECHE)
    morag = ctx.memberships[(DEMO_SLUG, "morag")]
    listed: Any = selectors.event_for(morag, full.pk)
    assert (listed.registered_count, listed.waiting_count, listed.places_left) == (6, 2, 0)
    totals = selectors.needs_totals(morag, full)
    assert totals.childcare_children == 7
    assert totals.childcare_under_3 == 3
    assert totals.interpreters == [("Polish", 1)]
    assert totals.waiting_with_childcare == 2
