"""Support's "For you" notices move to the one inbox (ADR 29). Each gets a kind and a subject from its link and
words, and one about a thing already done arrives done: a check-in already agreed, a referral already answered,
a plan already accepted, a team place already agreed or ended. Repeats about one thing, unread, become one
notice with a count. A partnership's retention period for support notices now holds for every notice."""

import re

from django.db import migrations

CHECKIN = re.compile(r"/support/check-ins/(\d+)/$")
REFERRAL = re.compile(r"/support/referrals/(\d+)/$")
PLAN = re.compile(r"/support/plans/(\d+)/$")


def classify(n, apps):
    """(kind, subject key, done) for an old notice."""
    CheckIn = apps.get_model("support", "CheckIn")
    Referral = apps.get_model("support", "Referral")
    SupportPlan = apps.get_model("support", "SupportPlan")
    if m := CHECKIN.search(n.url):
        pk = int(m.group(1))
        agreed = CheckIn.objects.filter(pk=pk, agreed_at__isnull=False).exists() or not CheckIn.objects.filter(pk=pk).exists()
        return "support.checkin", f"support.checkin:{pk}", agreed
    if m := REFERRAL.search(n.url):
        pk = int(m.group(1))
        if n.text.startswith("New referral"):
            referral = Referral.objects.filter(pk=pk).first()
            answered = referral is None or referral.status != "sent" or referral.withdrawn_at is not None
            return "support.referral_new", f"support.referral:{pk}:new", answered
        return "support.referral_update", f"support.referral:{pk}", False
    if m := PLAN.search(n.url):
        pk = int(m.group(1))
        if "started a support plan" in n.text:
            accepted = not SupportPlan.objects.filter(pk=pk, status="proposed").exists()
            return "support.plan_offer", f"support.plan:{pk}:offer", accepted
        if "proposed for your team" in n.text:
            return "support.team", "", False
        if "no keyworker" in n.text:
            return "support.keyworker_left", f"support.plan:{pk}:keyworker", False
    if "need a new keyworker" in n.text:
        return "support.keyworker_left", "", False
    return "support.notice", "", False


def to_the_inbox(apps, schema_editor):
    SupportNotification = apps.get_model("support", "SupportNotification")
    Notice = apps.get_model("notifications", "Notice")
    grouped = {}  # (partnership, user, kind, subject) -> the unread notice standing for its repeats
    for n in SupportNotification.objects.order_by("created_at", "pk").iterator():
        kind, subject, done = classify(n, apps)
        key = (n.partnership_id, n.user_id, kind, subject)
        if subject and n.read_at is None and not done and key in grouped:
            notice = grouped[key]
            notice.count += 1
            notice.latest_at, notice.text, notice.url = n.created_at, n.text, n.url
            notice.save(update_fields=["count", "latest_at", "text", "url"])
            continue
        notice = Notice.objects.create(
            partnership_id=n.partnership_id,
            user_id=n.user_id,
            kind=kind,
            subject_key=subject,
            text=n.text,
            url=n.url,
            created_at=n.created_at,
            latest_at=n.created_at,
            read_at=n.read_at,
            done_at=n.created_at if done else None,
        )
        if subject and n.read_at is None and not done:
            grouped[key] = notice
    RetentionPeriod = apps.get_model("dataprotection", "RetentionPeriod")
    for period in RetentionPeriod.objects.filter(kind="support.notifications"):
        if not RetentionPeriod.objects.filter(partnership_id=period.partnership_id, kind="notifications.read").exists():
            RetentionPeriod.objects.filter(pk=period.pk).update(kind="notifications.read")


def back_to_support(apps, schema_editor):
    SupportNotification = apps.get_model("support", "SupportNotification")
    Notice = apps.get_model("notifications", "Notice")
    rows = Notice.objects.filter(kind__startswith="support.", done_at__isnull=True)
    SupportNotification.objects.bulk_create(
        SupportNotification(
            partnership_id=n.partnership_id,
            user_id=n.user_id,
            text=n.text,
            url=n.url,
            created_at=n.latest_at,
            read_at=n.read_at,
        )
        for n in rows
    )
    Notice.objects.filter(kind__startswith="support.").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("support", "0003_delete_erasurerequest"),
        ("notifications", "0001_initial"),
        ("dataprotection", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(to_the_inbox, back_to_support),
        migrations.DeleteModel(name="SupportNotification"),
    ]
