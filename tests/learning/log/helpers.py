"""What the learning log's tests share: an entry's fields, and an entry written by a worker."""

from __future__ import annotations

from typing import Any

from coproduce.learning.models import LogEntry
from coproduce.learning.services import log as services


def log_fields(**overrides: Any) -> services.LogFields:
    values: dict[str, Any] = {
        "title": "Crèche in the same room",
        "what_we_tried": "We ran the session with the crèche in the *same* room.",
        "what_we_learned": "Parents with babies stayed to the end.",
        "what_next": "Ask the college for the bigger room.",
    }
    values.update(overrides)
    return services.LogFields(**values)


def entry_by(author: Any, **overrides: Any) -> LogEntry:
    return services.log_entry_create(actor=author, fields=log_fields(**overrides))
