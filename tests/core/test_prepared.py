"""PreparedQuery: an ORM query compiled once, run with new values, giving what the ORM gives (ADR 14).

The helper itself, on a core model with every kind of column it must convert (datetime, JSON, an IP address),
and then every prepared query the apps define, held to its own ORM query on the demo partnership's data.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.models import F, Q, Value
from django.db.models.functions import Concat

from coproduce.core.models import AuditEvent
from coproduce.core.prepared import PreparedQuery

pytestmark = pytest.mark.django_db

FIELDS = ("id", "occurred_at", "actor_label", "action", "partnership_id", "target_id", "detail", "ip_address")


def _event(action: str, partnership_id: int, when: datetime, **extra: Any) -> AuditEvent:
    event = AuditEvent.objects.create(action=action, partnership_id=partnership_id, **extra)
    AuditEvent.objects.filter(pk=event.pk).update(occurred_at=when)  # auto_now_add ignores a given value
    return AuditEvent.objects.get(pk=event.pk)


@pytest.fixture
def events() -> list[AuditEvent]:
    start = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    return [
        _event(
            ["joined", "left", "invited"][i % 3],
            1 + i % 2,
            start + timedelta(hours=i),
            actor_label=f"Person {i}",
            detail={"n": i, "names": ["Aisha", "Mhairi"][: i % 3]},
            ip_address=f"192.0.2.{i + 1}" if i % 2 else None,
        )
        for i in range(12)
    ]


RECENT = PreparedQuery(
    lambda shape, partnership_id, action, after: AuditEvent.objects.filter(
        partnership_id=partnership_id, action=action, occurred_at__gt=after
    ).order_by("-occurred_at", "-id")[:shape]
)


def _values(objs: list[AuditEvent], fields: tuple[str, ...] = FIELDS) -> list[tuple[Any, ...]]:
    return [tuple(getattr(obj, name) for name in fields) for obj in objs]


def test_it_gives_what_the_orm_gives_for_every_value(events: list[AuditEvent], django_assert_num_queries: Any) -> None:
    cases: list[tuple[int, dict[str, Any]]] = [
        (5, {"partnership_id": 1, "action": "joined", "after": datetime(2026, 3, 1, tzinfo=UTC)}),
        (5, {"partnership_id": 2, "action": "left", "after": datetime(2026, 3, 1, 12, tzinfo=UTC)}),
        (2, {"partnership_id": 1, "action": "invited", "after": datetime(2026, 3, 1, 9, 30, tzinfo=UTC)}),
        (5, {"partnership_id": 3, "action": "joined", "after": datetime(2026, 1, 1, tzinfo=UTC)}),
        (5, {"partnership_id": 1, "action": "nothing", "after": datetime(2026, 1, 1, tzinfo=UTC)}),
    ]
    seen = set()
    for limit, values in cases:
        expected = _values(list(RECENT.orm(limit, **values)))
        with django_assert_num_queries(1):
            got = RECENT(limit, **values)
        assert _values(got) == expected
        seen.add(len(got))
    assert seen >= {0, 2}, "the cases must include empty and non-empty answers"
    assert any(isinstance(obj.occurred_at, datetime) and obj.occurred_at.tzinfo for obj in got or events)


def test_later_runs_use_their_own_values_not_the_first_runs(events: list[AuditEvent]) -> None:
    after = datetime(2026, 1, 1, tzinfo=UTC)
    joined = RECENT(10, partnership_id=1, action="joined", after=after)
    left = RECENT(10, partnership_id=2, action="left", after=after)
    assert joined and left
    assert {e.action for e in joined} == {"joined"} and {e.partnership_id for e in joined} == {1}
    assert {e.action for e in left} == {"left"} and {e.partnership_id for e in left} == {2}


def test_each_shape_is_its_own_sql(events: list[AuditEvent]) -> None:
    after = datetime(2026, 1, 1, tzinfo=UTC)
    assert len(RECENT(1, partnership_id=1, action="joined", after=after)) == 1
    assert len(RECENT(3, partnership_id=1, action="joined", after=after)) == 2  # only two "joined" in partnership 1
    assert len(RECENT(1, partnership_id=1, action="joined", after=after)) == 1


def test_only_annotations_and_a_branch_on_shape(events: list[AuditEvent]) -> None:
    query = PreparedQuery(
        lambda shape, label: (
            AuditEvent.objects.filter(Q(actor_label=label) | Q(action="left") if shape else Q(actor_label=label))
            .only("id", "action")
            .annotate(shown=Concat(F("action"), Value(" by "), F("actor_label")))
            .order_by("id")
        )
    )
    for shape in (True, False):
        got = query(shape, label="Person 3")
        expected = list(query.orm(shape, label="Person 3"))
        # ``shown`` is the annotation: the plugin names it in the type but does not follow it through PreparedQuery.
        assert [(e.pk, e.action, e.shown) for e in got] == [(e.pk, e.action, e.shown) for e in expected]  # type: ignore[attr-defined]
        assert got[0].get_deferred_fields() == expected[0].get_deferred_fields()
    assert len(query(True, label="Person 3")) > len(query(False, label="Person 3")) == 1


@pytest.mark.parametrize("value", [None, True, 1.5, "1"])
def test_a_value_of_another_type_is_refused(events: list[AuditEvent], value: Any) -> None:
    RECENT(5, partnership_id=1, action="joined", after=datetime(2026, 1, 1, tzinfo=UTC))
    with pytest.raises(TypeError):
        RECENT(5, partnership_id=value, action="joined", after=datetime(2026, 1, 1, tzinfo=UTC))


def test_a_value_the_orm_rewrites_cannot_be_prepared(events: list[AuditEvent]) -> None:
    query = PreparedQuery(lambda shape, text: AuditEvent.objects.filter(actor_label__icontains=text))
    with pytest.raises(ImproperlyConfigured, match="none of them"):
        query(text="person")


def test_a_query_whose_sql_depends_on_a_value_is_refused(events: list[AuditEvent]) -> None:
    query = PreparedQuery(
        lambda shape, n: (
            AuditEvent.objects.filter(partnership_id=n)
            if n % 2
            else AuditEvent.objects.filter(partnership_id=n, action="joined")
        )
    )
    with pytest.raises(ImproperlyConfigured, match="shape"):
        query(n=1)


def test_select_related_and_prefetch_are_refused(events: list[AuditEvent]) -> None:
    related = PreparedQuery(lambda shape, n: AuditEvent.objects.filter(partnership_id=n).select_related("actor"))
    with pytest.raises(ImproperlyConfigured, match="one model"):
        related(n=1)
    prefetched = PreparedQuery(lambda shape, n: AuditEvent.objects.filter(partnership_id=n).values("id"))  # type: ignore[type-var]  # on purpose
    with pytest.raises(ImproperlyConfigured, match="model instances"):
        prefetched(n=1)


# --- Every prepared query the apps define, held to its ORM query ------------------------------------------


def _loaded(obj: Any) -> tuple[Any, ...]:
    deferred = obj.get_deferred_fields()
    return tuple((f.attname, getattr(obj, f.attname)) for f in obj._meta.concrete_fields if f.attname not in deferred)


def test_the_apps_prepared_queries_give_what_their_orm_queries_give(db: Any) -> None:
    from django.utils import timezone

    from coproduce.demo_data import load_demo
    from coproduce.fund.selectors import OPEN_ROUND_LINKS
    from coproduce.improvement.selectors import RUNNING_TEST_LINKS, WAITING_TEST_LINKS
    from coproduce.partnerships.models import Membership
    from coproduce.support.selectors import OWN_PLAN
    from coproduce.voice.models import Idea
    from coproduce.voice.selectors import OPEN_CHALLENGE_LINKS, RECENTLY_ACTIVE_IDEAS

    load_demo()
    # A hidden idea and a withdrawn one, so that what a coordinator sees differs from what others see.
    ideas = list(Idea.objects.order_by("id")[:2])
    Idea.objects.filter(pk=ideas[0].pk).update(hidden_at=timezone.now(), last_activity_at=timezone.now())
    Idea.objects.filter(pk=ideas[1].pk).update(withdrawn_at=timezone.now(), last_activity_at=timezone.now())
    now = timezone.now()
    non_empty = set()
    for membership in Membership.objects.order_by("id"):
        partnership_id = membership.partnership_id
        cases: list[tuple[PreparedQuery[Any], Any, dict[str, Any]]] = [
            (
                RECENTLY_ACTIVE_IDEAS,
                (membership.is_coordinator, 3),
                {"partnership_id": partnership_id, "user_id": membership.user_id},
            ),
            (RECENTLY_ACTIVE_IDEAS, (False, 50), {"partnership_id": partnership_id, "user_id": membership.user_id}),
            (RECENTLY_ACTIVE_IDEAS, (True, 50), {"partnership_id": partnership_id, "user_id": membership.user_id}),
            (OPEN_CHALLENGE_LINKS, 3, {"partnership_id": partnership_id, "now": now}),
            (OPEN_ROUND_LINKS, 3, {"partnership_id": partnership_id, "now": now}),
            (RUNNING_TEST_LINKS, 3, {"partnership_id": partnership_id}),
            (WAITING_TEST_LINKS, 3, {"partnership_id": partnership_id}),
            (OWN_PLAN, (), {"partnership_id": partnership_id, "membership_id": membership.pk}),
        ]
        for index, (query, shape, values) in enumerate(cases):
            got = [_loaded(obj) for obj in query(shape, **values)]
            assert got == [_loaded(obj) for obj in query.orm(shape, **values)], (index, membership)
            if got:
                non_empty.add(index)
    # The demo gives every query something to find, so the comparison is not of two empty lists.
    assert non_empty == set(range(8)) - {6} or non_empty == set(range(8))
