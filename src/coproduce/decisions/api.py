"""What decisions offers the other apps, and the only module of decisions they import (an import-linter
contract). The learning log links to a decision by its id and shows its title: decisions cross as plain
``DecisionRef`` values.

Every decision of a partnership is visible to everyone in it for now (its proposal and result are the
partnership's record); when decisions gets its own selectors, these functions narrow through them."""

from __future__ import annotations

from dataclasses import dataclass

from coproduce.decisions.models import Decision
from coproduce.partnerships.models import Membership

__all__ = ["DecisionRef", "decision_visible_to", "decisions_visible_to"]


@dataclass(frozen=True)
class DecisionRef:
    id: int
    title: str
    status: str


def _ref(decision: Decision) -> DecisionRef:
    return DecisionRef(id=decision.pk, title=decision.title, status=str(decision.get_status_display()))


def decisions_visible_to(actor: Membership) -> list[DecisionRef]:
    """The decisions of ``actor``'s partnership, newest first."""
    found = Decision.objects.filter(partnership_id=actor.partnership_id).only("id", "title", "status")
    return [_ref(d) for d in found.order_by("-created_at", "-id")]


def decision_visible_to(actor: Membership, decision_id: int) -> DecisionRef | None:
    """The decision with this id if it is in ``actor``'s partnership, else ``None``."""
    found = (
        Decision.objects.filter(partnership_id=actor.partnership_id, pk=decision_id)
        .only("id", "title", "status")
        .first()
    )
    return _ref(found) if found else None
