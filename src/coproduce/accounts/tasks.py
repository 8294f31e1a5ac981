"""The daily clean-up of sign-in counts. The periodic job ``accounts.forgotten_sign_in_counts`` (registered in
``apps.py``, run by ``core.scheduler``) calls it; the work is ``limits.forgotten_purge``'s."""

from __future__ import annotations

from coproduce.core.background import reliable_task


@reliable_task()
def purge_forgotten_sign_in_counts() -> int:
    """Delete the sign-in failure counts past their quiet spell; how many went. Safe to run again."""
    from coproduce.accounts.limits import forgotten_purge

    return forgotten_purge()
