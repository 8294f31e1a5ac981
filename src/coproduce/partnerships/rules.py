"""Permission predicates for partnership pages. Each takes the acting person's membership
(``None`` for someone outside the partnership) and, where relevant, a target object.

The role predicates here are the ones every capability builds its rules from (import them rather than
writing them again); a capability adds only the predicates about its own objects."""

from __future__ import annotations

from typing import Any

import rules

from coproduce.partnerships.roles import STAFF_ROLES


@rules.predicate
def in_partnership(membership: Any, target: Any = None) -> bool:
    return membership is not None


@rules.predicate
def takes_part(membership: Any, target: Any = None) -> bool:
    """Members and staff take part; someone who is only an observer reads."""
    return membership is not None and (membership.is_member or membership.is_staff_role)


@rules.predicate
def is_member(membership: Any, target: Any = None) -> bool:
    return membership is not None and membership.is_member


@rules.predicate
def is_staff(membership: Any, target: Any = None) -> bool:
    return membership is not None and membership.is_staff_role


@rules.predicate
def is_worker(membership: Any, target: Any = None) -> bool:
    return membership is not None and membership.is_worker


@rules.predicate
def is_coordinator(membership: Any, target: Any = None) -> bool:
    return membership is not None and membership.is_coordinator


@rules.predicate
def is_partner_lead(membership: Any, target: Any = None) -> bool:
    return membership is not None and membership.is_partner_lead


@rules.predicate
def is_observer(membership: Any, target: Any = None) -> bool:
    return membership is not None and membership.is_observer


rules.add_rule("partnerships.view", in_partnership)
rules.add_rule("partnerships.view_people", in_partnership)
rules.add_rule("partnerships.view_organisations", in_partnership)
rules.add_rule("partnerships.my_data", in_partnership)
# A member's own page of what keyworkers recorded with her, and her switch (partnerships/assisted.py).
rules.add_rule("partnerships.assisted", is_member)
# Partner leads invite staff of their own organisation (the service checks which roles and organisation).
rules.add_rule("partnerships.invite", is_coordinator | is_partner_lead)
rules.add_rule("partnerships.manage_roles", is_coordinator)
rules.add_rule("partnerships.view_audit", is_coordinator)
rules.add_rule("partnerships.manage_settings", is_coordinator)
rules.add_rule("partnerships.manage_organisations", is_coordinator)


def needs_organisation(roles: set[str]) -> bool:
    return any(role in STAFF_ROLES for role in roles)
