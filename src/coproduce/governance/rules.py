"""Permission predicates for the partnership agreement. Everyone in the partnership reads all of it
(observers included); coordinators change it; members and staff declare their own interests, and
coordinators record interests on someone's behalf."""

from __future__ import annotations

from typing import Any

import rules

from coproduce.partnerships.rules import in_partnership, is_coordinator, takes_part


@rules.predicate
def declared_it(membership: Any, interest: Any) -> bool:
    return membership is not None and interest is not None and interest.membership_id == membership.pk


rules.add_rule("governance.view", in_partnership)
rules.add_rule("governance.change", is_coordinator)
rules.add_rule("governance.declare", takes_part | is_coordinator)
rules.add_rule("governance.declare_for_others", is_coordinator)
rules.add_rule("governance.change_interest", (takes_part & declared_it) | is_coordinator)
