"""The retention job: once a day (the scheduler calls it), every partnership's run. The work is the service's."""

from __future__ import annotations

from coproduce.core.background import reliable_task


@reliable_task()
def apply_retention() -> int:
    """Delete or anonymise, in every partnership, what has passed its retention period. Safe to run twice: a
    second run finds nothing more to remove. Returns how many partnerships it ran for."""
    from coproduce.dataprotection.services import retention_apply_everywhere

    return len(retention_apply_everywhere(dry_run=False))
