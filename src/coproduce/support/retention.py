"""Support's kinds of data with a retention period. A referral still open is under a legal hold: no period may
remove it, and the job never does."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy, ngettext

from coproduce.partnerships.models import Partnership
from coproduce.partnerships.personal_data import Fate, RetentionKind, register_retention_kind
from coproduce.support.models import (
    FINAL_STATUSES,
    PlanRead,
    Referral,
    ReferralUpdate,
    SupportPlan,
)

# What a member's words become once their time is up (the record stays, so the figures stay right).
REMOVED = "(removed)"


def _open_referral() -> Q:
    return ~Q(status__in=FINAL_STATUSES) & Q(withdrawn_at__isnull=True)


def _closed_plans(partnership: Partnership, older_than: datetime) -> QuerySet[SupportPlan]:
    """Plans no longer tied to a member (she left or asked for erasure) since before the cut-off."""
    return SupportPlan.objects.filter(
        Q(erased_at__lt=older_than) | Q(erased_at__isnull=True, left_at__lt=older_than),
        partnership=partnership,
        member__isnull=True,
    )


def _with_open_referral() -> Exists:
    return Exists(Referral.objects.filter(_open_referral(), plan=OuterRef("pk")))


def purge_closed_plans(partnership: Partnership, older_than: datetime, dry_run: bool) -> int:
    rows = _closed_plans(partnership, older_than).filter(~_with_open_referral())
    if dry_run:
        return rows.count()
    ids = list(rows.values_list("pk", flat=True))
    # The plan goes with everything left of it: check-ins, consent records, referrals, history and reads.
    return SupportPlan.objects.filter(pk__in=ids).delete()[1].get(SupportPlan._meta.label, 0)


def held_closed_plans(partnership: Partnership, older_than: datetime) -> str | None:
    held = _closed_plans(partnership, older_than).filter(_with_open_referral()).count()
    if not held:
        return None
    return ngettext(
        "%(n)d of these plans still has an open referral: it must be closed first.",
        "%(n)d of these plans still have an open referral: they must be closed first.",
        held,
    ) % {"n": held}


def purge_plan_reads(partnership: Partnership, older_than: datetime, dry_run: bool) -> int:
    rows = PlanRead.objects.filter(plan__partnership=partnership, read_at__lt=older_than)
    if dry_run:
        return rows.count()
    return rows.delete()[1].get(PlanRead._meta.label, 0)


def _closed_referrals_to_anonymise(partnership: Partnership, older_than: datetime) -> list[int]:
    words = ReferralUpdate.objects.filter(referral=OuterRef("pk")).filter(
        ~Q(message="") | Q(by__isnull=False) | ~Q(by_label="")
    )
    return list(
        Referral.objects.filter(partnership=partnership, updated_at__lt=older_than)
        .exclude(_open_referral())
        .filter(
            ~Q(note="")
            | Q(referred_by__isnull=False)
            | (~Q(decline_reason="") & ~Q(decline_reason__in=[REMOVED, "—"]))
            | Exists(words)
        )
        .values_list("pk", flat=True)
    )


def purge_closed_referrals(partnership: Partnership, older_than: datetime, dry_run: bool) -> int:
    ids = _closed_referrals_to_anonymise(partnership, older_than)
    if dry_run or not ids:
        return len(ids)
    Referral.objects.filter(pk__in=ids, status="declined").update(decline_reason=REMOVED)
    Referral.objects.filter(pk__in=ids).exclude(status="declined").update(decline_reason="")
    Referral.objects.filter(pk__in=ids).update(note="", referred_by=None)
    ReferralUpdate.objects.filter(referral_id__in=ids).update(message="", by=None, by_label="")
    return len(ids)


def register() -> None:
    register_retention_kind(
        RetentionKind(
            key="support.closed_plans",
            label=gettext_lazy(
                "Support plans no longer tied to a member (the member left or asked for erasure), with their "
                "check-ins, consent records, referrals and reads: deleted"
            ),
            default_days=3 * 365,
            purge=purge_closed_plans,
            held=held_closed_plans,
        )
    )
    register_retention_kind(
        RetentionKind(
            key="support.plan_reads",
            label=gettext_lazy("Records of who read a support plan: deleted"),
            default_days=2 * 365,
            purge=purge_plan_reads,
        )
    )
    register_retention_kind(
        RetentionKind(
            key="support.closed_referrals",
            label=gettext_lazy(
                "Referrals, after they were completed, declined, closed or withdrawn: the notes and messages "
                "become “(removed)” and no one is named (the referral still counts)"
            ),
            default_days=2 * 365,
            purge=purge_closed_referrals,
            fate=Fate.ANONYMISE,
        )
    )
