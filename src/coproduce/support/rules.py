"""Permission predicates for support pages. Which parts of which plan a person sees is not a rule here but
the one selector ``selectors.plan_access``; these rules only say who may reach each kind of page."""

from __future__ import annotations

from typing import Any

import rules


@rules.predicate
def in_partnership(membership: Any, target: Any = None) -> bool:
    return membership is not None


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
def is_observer(membership: Any, target: Any = None) -> bool:
    return membership is not None and membership.is_observer


rules.add_rule("support.view", in_partnership)
rules.add_rule("support.take_part", is_member | is_staff)
rules.add_rule("support.own_plan", is_member)
rules.add_rule("support.start_plan", is_member | is_worker)
rules.add_rule("support.caseload", is_staff)
rules.add_rule("support.aggregates", is_coordinator | is_observer)
rules.add_rule("support.confirm_erasure", is_coordinator)
rules.add_rule("support.settings", is_coordinator)


@rules.predicate
def is_partner_lead(membership: Any, target: Any = None) -> bool:
    return membership is not None and membership.is_partner_lead


rules.add_rule("support.manage_services", is_partner_lead | is_coordinator)
