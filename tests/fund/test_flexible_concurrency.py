"""The flexible pot under real concurrency on PostgreSQL: twenty approvals at once, each in its own
transaction and connection, lock the pot the way the support capability does (``flexible_pot_locked``, then
``pot_commit``); the pot never goes below zero and each request is committed once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.models import Count, Sum

from coproduce.core.exceptions import ServiceError
from coproduce.fund import api
from coproduce.fund.models import PotCommitment
from tests.factories import PartnershipFactory
from tests.fund.helpers import make_pot
from tests.fund.test_concurrency import run_concurrently

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL"),
]

THREADS = 20


def _approve(partnership_id: int, pence: int, key: str) -> Callable[[], Any]:
    def approve() -> str:
        with transaction.atomic():
            pot = api.flexible_pot_locked(partnership_id)
            assert pot is not None
            api.pot_commit(pot_id=pot.id, amount_pence=pence, category="travel", source_key=key)
        return key

    return approve


def test_20_approvals_at_once_never_take_the_pot_below_zero() -> None:
    partnership = PartnershipFactory()
    pot = make_pot(partnership, set_aside=1_000)  # room for 6 of 150
    results = run_concurrently(
        [_approve(partnership.pk, 150_00, f"support.barrier:{n}") for n in range(THREADS)], THREADS
    )
    committed = [r for r in results if isinstance(r, str)]
    refused = [r for r in results if isinstance(r, ServiceError)]
    assert len(committed) + len(refused) == THREADS, [r for r in results if not isinstance(r, str | ServiceError)]
    assert len(committed) == 6 and all(error.code == "over_pot" for error in refused)
    total = PotCommitment.objects.filter(pot=pot).aggregate(total=Sum("amount_pence"))["total"]
    assert total == 6 * 150_00 <= pot.set_aside_pence
    view = api.flexible_pot(partnership.pk)
    assert view is not None and view.remaining_pence == 100_00 >= 0


def test_one_request_approved_20_times_at_once_is_committed_once() -> None:
    partnership = PartnershipFactory()
    pot = make_pot(partnership, set_aside=1_000)
    results = run_concurrently(
        [_approve(partnership.pk, 150_00, "support.barrier:42") for _ in range(THREADS)], THREADS
    )
    assert all(r == "support.barrier:42" for r in results), [r for r in results if not isinstance(r, str)][:3]
    assert PotCommitment.objects.filter(pot=pot).count() == 1
    assert not PotCommitment.objects.values("source_key").annotate(n=Count("id")).filter(n__gt=1).exists()
    view = api.flexible_pot(partnership.pk)
    assert view is not None and view.committed_pence == 150_00
