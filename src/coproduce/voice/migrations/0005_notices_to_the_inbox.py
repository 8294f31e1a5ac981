"""Voice's notifications move to the one inbox (ADR 29): each becomes a notice of kind "voice.<kind>" linking
to its idea, with the subject "voice.idea:<id>"; a daily or weekly digest becomes "in my daily email" for
voice's kinds, and the last digest's time carries over, and so does a partnership's retention period. Then voice's own tables go."""

from django.db import migrations

VOICE_KINDS = ("voice.response", "voice.comment", "voice.moderation")


def to_the_inbox(apps, schema_editor):
    Notification = apps.get_model("voice", "Notification")
    DigestPreference = apps.get_model("voice", "DigestPreference")
    Notice = apps.get_model("notifications", "Notice")
    NoticePreference = apps.get_model("notifications", "NoticePreference")
    EmailSettings = apps.get_model("notifications", "EmailSettings")
    digest_users = set()
    for preference in DigestPreference.objects.filter(frequency__in=["daily", "weekly"]).iterator():
        digest_users.add(preference.user_id)
        for kind in VOICE_KINDS:
            NoticePreference.objects.get_or_create(
                user_id=preference.user_id, kind=kind, defaults={"delivery": "digest"}
            )
        EmailSettings.objects.update_or_create(
            user_id=preference.user_id, defaults={"last_digest_at": preference.last_sent_at}
        )
    batch = []
    rows = Notification.objects.select_related("partnership").order_by("pk")
    for n in rows.iterator(chunk_size=2000):
        batch.append(
            Notice(
                partnership_id=n.partnership_id,
                user_id=n.user_id,
                kind=f"voice.{n.kind}",
                subject_key=f"voice.idea:{n.idea_id}" if n.idea_id else "",
                text=n.text,
                url=f"/p/{n.partnership.slug}/ideas/{n.idea_id}/" if n.idea_id else "",
                created_at=n.created_at,
                latest_at=n.created_at,
                read_at=n.read_at,
                delivery="digest" if n.user_id in digest_users else "site",
                emailed_at=n.emailed_at,
            )
        )
        if len(batch) >= 2000:
            Notice.objects.bulk_create(batch)
            batch = []
    Notice.objects.bulk_create(batch)
    # A partnership's retention period for voice's notifications now holds for every notice.
    RetentionPeriod = apps.get_model("dataprotection", "RetentionPeriod")
    for period in RetentionPeriod.objects.filter(kind="voice.notifications"):
        if not RetentionPeriod.objects.filter(partnership_id=period.partnership_id, kind="notifications.read").exists():
            RetentionPeriod.objects.filter(pk=period.pk).update(kind="notifications.read")


def back_to_voice(apps, schema_editor):
    Notification = apps.get_model("voice", "Notification")
    Notice = apps.get_model("notifications", "Notice")
    for n in Notice.objects.filter(kind__in=VOICE_KINDS).iterator():
        idea_id = int(n.subject_key.split(":")[1]) if n.subject_key.startswith("voice.idea:") else None
        Notification.objects.create(
            partnership_id=n.partnership_id,
            user_id=n.user_id,
            kind=n.kind.removeprefix("voice."),
            idea_id=idea_id,
            text=n.text,
            created_at=n.latest_at,
            read_at=n.read_at,
            emailed_at=n.emailed_at,
        )
    Notice.objects.filter(kind__in=VOICE_KINDS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("voice", "0004_digest_without_next_due"),
        ("notifications", "0001_initial"),
        ("dataprotection", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(to_the_inbox, back_to_voice),
        migrations.DeleteModel(name="DigestPreference"),
        migrations.DeleteModel(name="Notification"),
    ]
