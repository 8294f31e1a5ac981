"""What the report page shows (filled in below)."""

from __future__ import annotations

from typing import Any

from coproduce.conversations import selectors


def report_context(membership: Any, conversation: Any) -> dict[str, Any]:
    return {"lens": selectors.coproduction_lens(conversation), "snapshot": selectors.snapshot_for(conversation)}
