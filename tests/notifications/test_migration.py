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


SUPPORT_BEFORE = [
    ("support", "0003_delete_erasurerequest"),
    ("notifications", "0001_initial"),
    ("dataprotection", "0001_initial"),
]
SUPPORT_AFTER = [("support", "0004_notices_to_the_inbox")]


@pytest.mark.django_db(transaction=True)
def test_support_notices_move_agreed_check_ins_arrive_done_and_repeats_are_grouped() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(SUPPORT_BEFORE)
    apps = executor.loader.project_state(SUPPORT_BEFORE).apps
    user = apps.get_model("accounts", "User").objects.create(email="aisha@example.org", display_name="Aisha")
    partnership = apps.get_model("partnerships", "Partnership").objects.create(slug="old", name="Old")
    member = apps.get_model("partnerships", "Membership").objects.create(
        partnership=partnership, user=user, is_member=True
    )
    plan = apps.get_model("support", "SupportPlan").objects.create(partnership=partnership, member=member)
    checkin = apps.get_model("support", "CheckIn")
    when = timezone.make_aware(datetime.datetime(2026, 11, 1, 10, 0))
    agreed = checkin.objects.create(plan=plan, date=when.date(), agreed_at=when)
    waiting = checkin.objects.create(plan=plan, date=when.date())
    old = apps.get_model("support", "SupportNotification")
    text = "Jamie Reid recorded a check-in. Look it over and agree it."
    for c, times in ((agreed, 1), (waiting, 2)):
        for i in range(times):
            old.objects.create(
                partnership=partnership,
                user=user,
                text=text,
                url=f"/p/old/support/check-ins/{c.pk}/",
                created_at=when + datetime.timedelta(hours=i),
            )
    old.objects.create(partnership=partnership, user=user, text="Something else", url="", created_at=when)

    executor = MigrationExecutor(connection)
    executor.migrate(SUPPORT_AFTER)
    notice = executor.loader.project_state(SUPPORT_AFTER).apps.get_model("notifications", "Notice")
    open_ = notice.objects.filter(done_at__isnull=True).order_by("kind")
    assert [(n.kind, n.subject_key, n.count) for n in open_] == [
        ("support.checkin", f"support.checkin:{waiting.pk}", 2),
        ("support.notice", "", 1),
    ]
    assert open_[0].latest_at == when + datetime.timedelta(hours=1)
    assert notice.objects.get(subject_key=f"support.checkin:{agreed.pk}").done_at is not None

    MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
