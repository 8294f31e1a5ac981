"""What needs a coordinator's attention now, across capabilities: the moderation queue, invitations not yet
accepted, requests for data, reviews due. Each capability registers what it has (in its AppConfig.ready);
the partnership home shows a coordinator every kind with something waiting, with a link to deal with it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from coproduce.partnerships.models import Membership


@dataclass(frozen=True)
class AttentionItem:
    key: str
    # How many things of this kind wait for this coordinator (one small query).
    count: Callable[[Membership], int]
    # The line shown, for that number: "2 ideas or comments flagged for moderation".
    text: Callable[[int], str]
    url_name: str  # a URL name taking the partnership's slug
    order: int = 100


_ITEMS: dict[str, AttentionItem] = {}


def register_attention_item(item: AttentionItem) -> None:
    _ITEMS[item.key] = item


def attention_kinds() -> list[AttentionItem]:
    """Every kind registered, in order (each costs a coordinator's home one count)."""
    return sorted(_ITEMS.values(), key=lambda i: (i.order, i.key))


def attention_for(membership: Membership) -> list[dict[str, Any]] | None:
    """For a coordinator, each kind with something waiting (``text``, ``url_name``); None for anyone else."""
    if not membership.is_coordinator:
        return None
    waiting = []
    for item in attention_kinds():
        n = item.count(membership)
        if n:
            waiting.append({"key": item.key, "text": item.text(n), "url_name": item.url_name})
    return waiting
