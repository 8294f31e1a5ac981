"""The one way services check a permission rule: refuse with a 404-shaped ``NotPermitted``."""

from __future__ import annotations

from typing import Any

import rules

from coproduce.core.exceptions import NotPermitted


def require_rule(rule: str, membership: Any, target: Any = None) -> Any:
    """Return ``membership`` if the rule allows it (with ``target``); raise NotPermitted otherwise."""
    if membership is None or not rules.test_rule(rule, membership, target):
        raise NotPermitted()
    return membership
