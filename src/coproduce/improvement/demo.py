"""Demo data for this capability (none yet). Idempotent: a second run adds nothing twice."""

from __future__ import annotations

from coproduce.partnerships.demo import DemoContext


def load(ctx: DemoContext) -> None:
    return None
