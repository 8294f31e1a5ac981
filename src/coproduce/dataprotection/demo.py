"""The demo partnership's data protection: the council and the charity as joint controllers, a contact and the
council's data protection officer, a data sharing agreement, and a retention period set for every kind."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from coproduce.dataprotection import services
from coproduce.dataprotection.models import DataItem, DataProtectionSettings, RetentionPeriod, SharingAgreement
from coproduce.partnerships.demo import DEMO_SLUG, DemoContext
from coproduce.partnerships.personal_data import retention_kinds

# Months for each kind (the demo sets every one; a real partnership starts from the suggested defaults).
PERIODS = {
    "partnerships.invitations": 3,
    "core.audit_events": 72,
    "support.closed_plans": 36,
    "support.plan_reads": 24,
    "support.closed_referrals": 24,
    "support.notifications": 6,
    "notifications.read": 6,
    "voice.removed_text": 12,
    "fund.ballot_voters": 12,
    "fund.proposers": 24,
    "improvement.member_checks": 24,
    "conversations.participants": 12,
}


def load(ctx: DemoContext) -> None:
    partnership = ctx.partnerships[DEMO_SLUG]
    coordinator = ctx.memberships[(DEMO_SLUG, "morag")]
    found = DataProtectionSettings.objects.filter(partnership=partnership).first()
    if found is None or not found.contact_name:
        services.data_protection_update(
            actor=coordinator,
            controllers=[ctx.organisations["council"], ctx.organisations["charity"]],
            arrangement="joint",
            contact_name="Riverside Partnership data protection team",
            contact_email="dataprotection@riverside.example",
            contact_address="Riverside Council, 1 High Street, Riverside RV1 1AA",
            dpo_name="Riverside Council Data Protection Officer",
            dpo_email="dpo@riverside.example",
        )
        ctx.say("Data protection: the council and the charity as joint controllers")
    if not RetentionPeriod.objects.filter(partnership=partnership).exists():
        services.retention_periods_update(
            actor=coordinator,
            choices={
                kind.key: services.PeriodChoice(PERIODS.get(kind.key, 24), RetentionPeriod.Unit.MONTHS)
                for kind in retention_kinds()
            },
        )
        ctx.say("Data protection: a retention period for every kind of data")
    if not SharingAgreement.objects.filter(partnership=partnership).exists():
        services.agreement_record(
            actor=coordinator,
            purposes=(
                "To give single parents in Riverside joined-up employability support: a support plan kept with a "
                "keyworker, referrals to partner services the parent agrees to, and counts and averages (never "
                "names) for the partnership's reports to its funders.\n"
                "To let parents and staff decide together: ideas, conversations, the pooled fund and tests of "
                "change."
            ),
            data_items=[
                DataItem.ACCOUNT,
                DataItem.ROLES,
                DataItem.PLAN,
                DataItem.CHECKINS,
                DataItem.REFERRALS,
                DataItem.SHARES,
                DataItem.IDEAS,
                DataItem.CONVERSATIONS,
                DataItem.FUND,
                DataItem.IMPROVEMENT,
                DataItem.NOTIFICATIONS,
                DataItem.AUDIT,
            ],
            data_items_other="",
            lawful_bases=["a", "e"],
            lawful_basis_explanation=(
                "Public task (e) for the council's employability service; consent (a) for sharing parts of a "
                "support plan with another organisation, which the parent can take back at any time."
            ),
            special_category=True,
            special_condition="g",
            schedule_1_condition="Part 2, paragraph 18: safeguarding of children and of individuals at risk",
            security=(
                "Staff sign in with a second factor. Each organisation sees only the parts of a plan the parent "
                "shared with it, and every read is recorded and shown to the parent."
            ),
            rights_contact=(
                "Ask the data protection team at dataprotection@riverside.example, or your coordinator. We answer "
                "within one month."
            ),
            review_date=timezone.localdate() + timedelta(days=365),
        )
        ctx.say("Data protection: the data sharing agreement")
