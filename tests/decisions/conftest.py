from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from coproduce.decisions import services
from coproduce.decisions.models import Decision

LABELS = {
    "score": ["Park", "Library", "Cafe"],
    "dot": ["Park", "Library", "Cafe"],
    "ranked_irv": ["Aisha", "Ben", "Cara"],
    "ranked_schulze": ["Aisha", "Ben", "Cara"],
    "stv": ["Aisha", "Ben", "Cara", "Dev"],
}
SETTINGS: dict[str, dict[str, Any]] = {
    "yes_no": {"threshold_percent": 50},
    "score": {"max_score": 5},
    "dot": {"dots": 5},
    "stv": {"seats": 2},
}


def raise_decision(actor: Any, method: str = "consent", **overrides: Any) -> Decision:
    if method == "time_poll":
        start = timezone.now() + timedelta(days=7)
        options: list[Any] = [(start + timedelta(days=i), start + timedelta(days=i, hours=1)) for i in range(3)]
    else:
        options = list(LABELS.get(method, []))
    values: dict[str, Any] = {
        "kind": "everyday",
        "method": method,
        "title": "Open the hub on Saturdays",
        "background": "Parents asked for **weekend** hours.",
        "options": options,
        "closes_at": timezone.now() + timedelta(days=3),
        "participants": "everyone",
        "anonymous": False,
        **SETTINGS.get(method, {}),
    }
    values.update(overrides)
    return services.decision_raise(actor=actor, **values)


def option_ids(decision: Decision) -> list[int]:
    return list(decision.options.filter(withdrawn_at__isnull=True).order_by("position").values_list("pk", flat=True))


@pytest.fixture
def consent(worker: Any) -> Decision:
    return raise_decision(worker, "consent")
