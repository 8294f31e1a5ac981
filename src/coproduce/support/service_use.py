"""What support tells evaluation about the services parents used (registered in ``apps.py``; see
``partnerships.service_use``): every directory service of the partnership can be evaluated, and a referral
that reached "completed", or was closed after the service had started, is a use of it by the plan's member.

A referral the member withdrew her agreement to is not offered for evaluation (``recent``), and a plan without
a member (erased, or she left) gives no use at all."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Exists, F, Min, OuterRef, Q
from django.db.models.functions import Coalesce

from coproduce.partnerships.service_use import EvaluatedThing, ServiceUse, ServiceUseSource
from coproduce.support.models import Referral, ReferralUpdate, Service

COMPLETED = Referral.Status.COMPLETED.value
CLOSED = Referral.Status.CLOSED.value
STARTED = Referral.Status.STARTED.value


def things(partnership_id: int) -> list[EvaluatedThing]:
    """Every directory service of the partnership, retired ones too (inactive: kept for their results)."""
    return [
        EvaluatedThing(key=f"support.service:{pk}", kind="service", name=name, organisation_id=org_id, active=active)
        for pk, name, org_id, active in Service.objects.filter(partnership_id=partnership_id)
        .order_by("name", "id")
        .values_list("id", "name", "organisation_id", "active")
    ]


def _uses(partnership_id: int) -> Any:
    """Referrals of the partnership whose plan still has its member, each with ``reached`` (when it reached
    its present status: the first update with that status, else ``updated_at``) and ``was_started``."""
    return (
        Referral.objects.filter(partnership_id=partnership_id, plan__member__isnull=False)
        .annotate(
            was_started=Exists(ReferralUpdate.objects.filter(referral_id=OuterRef("pk"), status=STARTED)),
            reached=Coalesce(Min("updates__at", filter=Q(updates__status=F("status"))), F("updated_at")),
        )
    )


COLUMNS = ("id", "status", "service_id", "plan__member__user_id", "reached", "was_started")


def _use(row: tuple[int, str, int, int, datetime, bool]) -> ServiceUse:
    pk, status, service_id, user_id, reached, _started = row
    return ServiceUse(
        key=f"support.referral:{pk}",
        user_id=user_id,
        thing_key=f"support.service:{service_id}",
        moment="left" if status == CLOSED else "completed",
        happened_at=reached,
    )


def recent(partnership_id: int, since: datetime) -> list[ServiceUse]:
    """Referrals completed, or closed after the service had started, at or after ``since`` (one query).
    Moment "completed" for a completed one, "left" for a closed one; withdrawn referrals are left out."""
    rows = (
        _uses(partnership_id)
        .filter(withdrawn_at__isnull=True, reached__gte=since)
        .filter(Q(status=COMPLETED) | Q(status=CLOSED, was_started=True))
        .order_by("reached", "id")
        .values_list(*COLUMNS)
    )
    return [_use(row) for row in rows]


def for_person(partnership_id: int, user_id: int) -> list[ServiceUse]:
    """Every service she has used or is using, newest first (one query): referrals started, completed, or
    closed after being started. A started one says "completed" too: this list only decides whether she may
    answer about a service (evaluation checks she used it); it makes no offers, so its moments do not time
    anything. A referral she later withdrew her agreement to still counts: she did use the service."""
    rows = (
        _uses(partnership_id)
        .filter(plan__member__user_id=user_id)
        .filter(Q(status__in=[STARTED, COMPLETED]) | Q(status=CLOSED, was_started=True))
        .order_by("-reached", "-id")
        .values_list(*COLUMNS)
    )
    return [_use(row) for row in rows]


SOURCE = ServiceUseSource(key="support", things=things, recent=recent, for_person=for_person)
