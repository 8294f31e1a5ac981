"""Pol.is export and import (filled in below)."""

from __future__ import annotations

from typing import Any

EXPORT_FILES = ("comments", "votes", "participants-votes")


def export_file(conversation: Any, name: str) -> str:
    raise NotImplementedError


def conversation_import(**kwargs: Any) -> Any:
    raise NotImplementedError
