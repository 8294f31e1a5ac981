"""Voice's notifications and digest choices move to the one inbox (voice 0005)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("voice", "0004_digest_without_next_due"), ("notifications", "0001_initial")]
AFTER = [("voice", "0005_notices_to_the_inbox")]


@pytest.mark.django_db(transaction=True)
def test_voice_notifications_become_notices_and_a_digest_choice_carries_over() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    user_model = apps.get_model("accounts", "User")
    partnership = apps.get_model("partnerships", "Partnership").objects.create(slug="old", name="Old")
    idea = apps.get_model("voice", "Idea").objects.create(
        partnership=partnership, title="T", body="B", author_kind="member"
    )
    notification = apps.get_model("voice", "Notification")
    digest = apps.get_model("voice", "DigestPreference")
    when = timezone.make_aware(datetime.datetime(2026, 11, 30, 10, 0))
    reader, quiet = (user_model.objects.create(email=f"p{i}@example.org", display_name=f"P{i}") for i in range(2))
    digest.objects.create(user=reader, frequency="weekly", last_sent_at=when)
    digest.objects.create(user=quiet, frequency="never")
    notification.objects.create(
        user=reader, partnership=partnership, kind="comment", idea=idea, text="New comment", created_at=when
    )
    notification.objects.create(
        user=quiet, partnership=partnership, kind="moderation", text="Hidden", created_at=when, read_at=when
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    notices = {n.user_id: n for n in apps.get_model("notifications", "Notice").objects.all()}
    assert set(notices) == {reader.pk, quiet.pk}
    moved = notices[reader.pk]
    assert (moved.kind, moved.subject_key, moved.url, moved.text) == (
        "voice.comment",
        f"voice.idea:{idea.pk}",
        f"/p/old/ideas/{idea.pk}/",
        "New comment",
    )
    assert moved.delivery == "digest" and moved.read_at is None and moved.latest_at == when
    assert notices[quiet.pk].kind == "voice.moderation" and notices[quiet.pk].read_at == when
    assert notices[quiet.pk].delivery == "site"
    chosen = apps.get_model("notifications", "NoticePreference").objects.filter(user_id=reader.pk)
    assert sorted(chosen.values_list("kind", "delivery")) == [
        ("voice.comment", "digest"),
        ("voice.moderation", "digest"),
        ("voice.response", "digest"),
    ]
    assert not apps.get_model("notifications", "NoticePreference").objects.filter(user_id=quiet.pk).exists()
    assert apps.get_model("notifications", "EmailSettings").objects.get(user_id=reader.pk).last_digest_at == when

    MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
