"""Background work for the fund: a round's results, worked out away from any request."""

from __future__ import annotations

from coproduce.core.background import reliable_task


def results_failed(snapshot_id: int) -> None:
    """The computation failed for good: the results page says so (see services.results_failed)."""
    from coproduce.fund.services import results_failed as record

    record(snapshot_id=snapshot_id)


@reliable_task(on_failure=results_failed)
def compute_results(snapshot_id: int) -> str:
    """Work out the results for one snapshot (see services.results_compute). Returns its status. Safe to
    run again: a snapshot that is ready is left as it is. Run again if its worker stops."""
    from coproduce.fund.services import results_compute

    return str(results_compute(snapshot_id=snapshot_id).status)
