"""Permission predicates for support pages. Which parts of which plan a person sees is not a rule here but
the one selector ``selectors.plan_access``; these rules only say who may reach each kind of page."""

from __future__ import annotations

import rules

from coproduce.partnerships.rules import (
    in_partnership,
    is_coordinator,
    is_member,
    is_observer,
    is_partner_lead,
    is_staff,
    is_worker,
)

rules.add_rule("support.view", in_partnership)
rules.add_rule("support.take_part", is_member | is_staff)
rules.add_rule("support.own_plan", is_member)
rules.add_rule("support.start_plan", is_member | is_worker)
rules.add_rule("support.caseload", is_staff)
rules.add_rule("support.aggregates", is_coordinator | is_observer)
rules.add_rule("support.settings", is_coordinator)
rules.add_rule("support.barrier_decide", is_coordinator)


rules.add_rule("support.manage_services", is_partner_lead | is_coordinator)
