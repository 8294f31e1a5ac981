"""Support's erasure requests become data-rights requests (datarights 0002): an open one keeps its member and
a one-month deadline; a confirmed one keeps only its dates and who confirmed it."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [
    ("datarights", "0001_initial"),
    ("support", "0002_plan_member_left"),
    ("partnerships", "0004_my_data_export"),  # the partnership tables as they are now
]
AFTER = [("datarights", "0002_erasure_requests_from_support")]


@pytest.mark.django_db(transaction=True)
def test_support_erasure_requests_are_moved() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    user_model = apps.get_model("accounts", "User")
    partnership = apps.get_model("partnerships", "Partnership").objects.create(slug="old", name="Old")
    membership_model = apps.get_model("partnerships", "Membership")
    plan_model = apps.get_model("support", "SupportPlan")
    old = apps.get_model("support", "ErasureRequest")
    asked = timezone.make_aware(datetime.datetime(2027, 1, 31, 10, 0))
    people = [user_model.objects.create(email=f"p{i}@example.org", display_name=f"P{i}") for i in range(3)]
    waiting = membership_model.objects.create(partnership=partnership, user=people[0], is_member=True)
    open_plan = plan_model.objects.create(partnership=partnership, member=waiting)
    done_plan = plan_model.objects.create(partnership=partnership, member=None, erased_at=asked)
    old.objects.create(partnership=partnership, plan=open_plan, requested_by=people[0], requested_at=asked)
    old.objects.create(
        partnership=partnership, plan=done_plan, requested_at=asked, confirmed_at=asked, confirmed_by=people[1]
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("datarights", "ErasureRequest")
    moved = {r.membership_id: r for r in new.objects.all()}
    assert set(moved) == {waiting.pk, None}
    assert moved[waiting.pk].confirmed_at is None and moved[waiting.pk].due_on == datetime.date(2027, 2, 28)
    assert moved[None].confirmed_at == asked and moved[None].confirmed_by_id == people[1].pk
    assert moved[None].requested_by_id is None

    MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
