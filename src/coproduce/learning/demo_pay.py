"""Paid time in the demo: the partnership's rates, and claims on the demo's paid co-design workshop — Aisha's
approved (and so in the fund's ledger), Hannah's waiting for Morag. Idempotent: a second run adds nothing.

It runs after the events' own demo loader, which makes the workshop and its register; on a demo without it, a
past paid workshop and its register are made here so the claims have something to be for."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from coproduce.core.exceptions import ServiceError
from coproduce.learning.models import Attendance, Claim, Event, PaySettings
from coproduce.learning.services import pay
from coproduce.partnerships.demo import DEMO_SLUG, DemoContext
from coproduce.partnerships.models import Membership


def _workshop(morag: Membership) -> Event:
    now = timezone.now()
    found = (
        Event.objects.filter(
            partnership_id=morag.partnership_id, paid_time=True, ends_at__lt=now, cancelled_at__isnull=True
        )
        .order_by("-ends_at")
        .first()
    )
    if found is not None:
        return found
    starts = (now - timedelta(days=9)).replace(hour=10, minute=0, second=0, microsecond=0)
    return Event.objects.create(
        partnership_id=morag.partnership_id,
        kind=Event.Kind.CODESIGN,
        title="Co-design workshop: the new drop-in",
        purpose="Parents and staff design the evening drop-in together. Parents are paid for their time.",
        place="One Parent Futures hub, Mill Street",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        host=morag.organisation,
        paid_time=True,
        created_by=morag.user,
    )


def _came(event: Event, member: Membership, marker: Membership) -> None:
    if not Attendance.objects.filter(event=event, user_id=member.user_id).exists():
        Attendance.objects.create(
            event=event,
            user_id=member.user_id,
            present=True,
            minutes=event.duration_minutes,
            is_member=True,
            marked_by_id=marker.user_id,
        )


def load_pay(ctx: DemoContext) -> None:
    if (DEMO_SLUG, "morag") not in ctx.memberships:
        return
    m = ctx.memberships
    morag, aisha, hannah = (m[(DEMO_SLUG, k)] for k in ("morag", "aisha", "hannah"))
    if not PaySettings.objects.filter(partnership_id=morag.partnership_id).exists():
        pay.pay_settings_update(
            actor=morag, hourly_rate_pence=15_00, covers_travel=True, covers_childcare=True, expense_ceiling_pence=50_00
        )
    event = _workshop(morag)
    for member in (aisha, hannah):
        _came(event, member, morag)
    if not Claim.objects.filter(event=event, user_id=aisha.user_id).exists():
        claim = pay.claim_make(
            actor=aisha,
            event=event,
            time_choice="cash",
            travel_pence=4_80,
            childcare_pence=12_00,
            receipt_reference="Bus day ticket 0417",
        )
        try:
            pay.claim_approve(actor=morag, claim=claim)
        except ServiceError as error:  # a demo fund with no money left: the claim waits instead
            ctx.say(f"Aisha's claim waits: {error.message}")
    if not Claim.objects.filter(event=event, user_id=hannah.user_id).exists():
        pay.claim_make(actor=hannah, event=event, time_choice="voucher", travel_pence=3_20)
    ctx.say("Paid time: rates, Aisha's approved claim and Hannah's waiting claim.")
