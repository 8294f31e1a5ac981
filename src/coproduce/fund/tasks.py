"""Background work for the fund: a round's results, worked out away from any request."""

from __future__ import annotations

from django_tasks import task


@task()
def compute_results(snapshot_id: int) -> str:
    """Work out the results for one snapshot (see services.results_compute). Returns its status."""
    from coproduce.fund.services import results_compute

    return str(results_compute(snapshot_id=snapshot_id).status)
