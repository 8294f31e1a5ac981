"""Results: asked for by the page, worked out in the background, asked for again when lost or failed."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from coproduce.fund.models import Ballot, ResultSnapshot, Round


def ballots_digest(round_id: int) -> tuple[str, int]:
    """A fingerprint of the ballots as they are: their receipts, which change with their content."""
    receipts = sorted(Ballot.objects.filter(round_id=round_id).values_list("receipt", flat=True))
    return hashlib.sha256("\n".join(receipts).encode()).hexdigest(), len(receipts)


def results_request(*, round_: Round) -> ResultSnapshot | None:
    """Make sure results for the round's ballots as they are now exist or are being worked out; never
    computes them here. None before voting has closed."""
    if not round_.is_closed_for_voting:
        return None
    # After the close no ballot can change, so results already asked for answer for these ballots: the
    # page does not fingerprint every ballot again on each visit.
    latest = (
        ResultSnapshot.objects.filter(
            round_id=round_.pk, completion=round_.completion, requested_at__gte=round_.results_from
        )
        .order_by("-requested_at", "-id")
        .first()
    )
    if latest is not None:
        now = timezone.now()
        failed = latest.status == ResultSnapshot.Status.FAILED
        if (failed and (latest.computed_at is None or now - latest.computed_at > RETRY_FAILED_AFTER)) or (
            latest.status == ResultSnapshot.Status.PENDING and now - latest.requested_at > PENDING_LOST_AFTER
        ):
            _retry(latest)
        return latest
    digest, count = ballots_digest(round_.pk)
    existing = ResultSnapshot.objects.filter(
        round_id=round_.pk, completion=round_.completion, ballots_digest=digest
    ).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic(durable=True):
            snapshot = ResultSnapshot.objects.create(
                round_id=round_.pk, completion=round_.completion, ballots_digest=digest, ballot_count=count
            )
            from coproduce.fund.tasks import compute_results

            transaction.on_commit(lambda: compute_results.enqueue(snapshot.pk))
    except IntegrityError:  # requested at the same moment by someone else
        return ResultSnapshot.objects.get(round_id=round_.pk, completion=round_.completion, ballots_digest=digest)
    return snapshot


RETRY_FAILED_AFTER = timedelta(minutes=5)
# Results pending this long have lost their task before it was enqueued (once enqueued, the worker runs
# again a task it lost, within the stale timeout): the page asks again.
PENDING_LOST_AFTER = timedelta(minutes=30)
# Results normally take seconds; pending this long, the page says it is taking longer than it should.
PENDING_LATE_AFTER = timedelta(minutes=5)


def results_late(snapshot: ResultSnapshot | None) -> bool:
    """Whether results still being worked out should have been ready long ago (no worker is running)."""
    return (
        snapshot is not None
        and snapshot.status == ResultSnapshot.Status.PENDING
        and timezone.now() - snapshot.requested_at > PENDING_LATE_AFTER
    )


def _retry(snapshot: ResultSnapshot) -> None:
    """Queue a failed or lost computation again (at most once per RETRY_FAILED_AFTER or PENDING_LOST_AFTER,
    however often the page is seen: the change is conditional on the state read)."""
    with transaction.atomic(durable=True):
        updated = ResultSnapshot.objects.filter(
            pk=snapshot.pk, status=snapshot.status, requested_at=snapshot.requested_at
        ).update(status=ResultSnapshot.Status.PENDING, computed_at=None, data={}, requested_at=timezone.now())
        if updated:
            from coproduce.fund.tasks import compute_results

            transaction.on_commit(lambda: compute_results.enqueue(snapshot.pk))
    snapshot.refresh_from_db()


def results_compute(*, snapshot_id: int) -> ResultSnapshot:
    """Work out a snapshot's results (called by the background task)."""
    from coproduce.fund.results import compute

    snapshot = ResultSnapshot.objects.select_related("round").get(pk=snapshot_id)
    if snapshot.status == ResultSnapshot.Status.READY:
        return snapshot
    started = timezone.now()
    # A failure is raised for the task to retry; when it fails for good, results_failed records it.
    data, seconds = compute(snapshot.round, snapshot.completion)
    ResultSnapshot.objects.filter(pk=snapshot.pk).update(
        status=ResultSnapshot.Status.READY, data=data, seconds=seconds, computed_at=max(started, timezone.now())
    )
    snapshot.refresh_from_db()
    return snapshot


def results_failed(*, snapshot_id: int) -> None:
    """Record that working out a snapshot's results failed for good (called by the background task), so
    the page says so instead of waiting for ever; the page asks again after RETRY_FAILED_AFTER."""
    ResultSnapshot.objects.filter(pk=snapshot_id).exclude(status=ResultSnapshot.Status.READY).update(
        status=ResultSnapshot.Status.FAILED, computed_at=timezone.now()
    )
