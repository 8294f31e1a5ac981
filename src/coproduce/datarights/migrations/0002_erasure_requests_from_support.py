"""Support's erasure requests (which covered the plan only) become data-rights erasure requests (ADR 24).

An open request names the member whose plan it was and is due one month after it was asked for; a confirmed
one keeps only its dates and who confirmed it, as before."""

from django.db import migrations

from coproduce.datarights.models import one_month_after


def forwards(apps, schema_editor):
    Old = apps.get_model("support", "ErasureRequest")
    New = apps.get_model("datarights", "ErasureRequest")
    for old in Old.objects.select_related("plan").order_by("pk"):
        is_open = old.confirmed_at is None and old.plan.member_id is not None and old.plan.erased_at is None
        New.objects.create(
            partnership_id=old.partnership_id,
            membership_id=old.plan.member_id if is_open else None,
            requested_by_id=old.requested_by_id if is_open else None,
            requested_at=old.requested_at,
            due_on=one_month_after(old.requested_at.date()),
            confirmed_at=None if is_open else (old.confirmed_at or old.requested_at),
            confirmed_by_id=old.confirmed_by_id,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("datarights", "0001_initial"),
        ("support", "0002_plan_member_left"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
