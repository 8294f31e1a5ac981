"""Permission predicates for partnership pages. Each takes the acting person's membership
(``None`` for someone outside the partnership) and, where relevant, a target object."""

from __future__ import annotations

from typing import Any

import rules

from coproduce.partnerships.roles import STAFF_ROLES


@rules.predicate
def is_in_partnership(membership: Any, target: Any = None) -> bool:
    return membership is not None


@rules.predicate
def is_coordinator(membership: Any, target: Any = None) -> bool:
    return membership is not None and membership.is_coordinator


@rules.predicate
def is_staff(membership: Any, target: Any = None) -> bool:
    return membership is not None and membership.is_staff_role


rules.add_rule("partnerships.view", is_in_partnership)
rules.add_rule("partnerships.view_people", is_in_partnership)
rules.add_rule("partnerships.view_organisations", is_in_partnership)
rules.add_rule("partnerships.leave", is_in_partnership)
rules.add_rule("partnerships.invite", is_coordinator)
rules.add_rule("partnerships.manage_roles", is_coordinator)
rules.add_rule("partnerships.view_audit", is_coordinator)


def needs_organisation(roles: set[str]) -> bool:
    return any(role in STAFF_ROLES for role in roles)
