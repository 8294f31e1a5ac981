"""Permission predicates for conversations. Each takes the acting membership and, where relevant, the target."""

from __future__ import annotations

from typing import Any

import rules


@rules.predicate
def in_partnership(membership: Any, target: Any = None) -> bool:
    return membership is not None


@rules.predicate
def takes_part(membership: Any, target: Any = None) -> bool:
    """Members and staff vote and add statements; someone who is only an observer reads the reports."""
    return membership is not None and (membership.is_member or membership.is_staff_role)


@rules.predicate
def is_coordinator(membership: Any, target: Any = None) -> bool:
    return membership is not None and membership.is_coordinator


rules.add_rule("conversations.view", in_partnership)
rules.add_rule("conversations.vote", takes_part)
rules.add_rule("conversations.add_statement", takes_part)
rules.add_rule("conversations.manage", is_coordinator)
rules.add_rule("conversations.moderate", is_coordinator)
rules.add_rule("conversations.export", is_coordinator)
