"""What parents evaluate: the subjects, kept up to date from every registered source of service use."""

from __future__ import annotations


def subjects_sync(*, partnership_id: int) -> int:
    """Create or update the partnership's subjects from every ``ServiceUseSource.things``; the number changed."""
    raise NotImplementedError
