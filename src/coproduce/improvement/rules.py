"""Permission predicates for tests of change and the stop-doing register. Each takes the acting membership
and, where relevant, the target.

Everyone in the partnership reads tests of change and the register (observers included). Members and staff
set up tests and enter stopped practices; a test's owner, the people involved in it and coordinators run it
(measures, observations, study notes, the decision); members answer the one-question check and co-sign
decisions."""

from __future__ import annotations

from typing import Any

import rules

from coproduce.partnerships.rules import in_partnership, is_coordinator, is_member, takes_part


@rules.predicate
def runs_the_test(membership: Any, test: Any) -> bool:
    """The owner or one of the people involved. Uses ``test.people_ids`` when a selector annotated it."""
    if membership is None or test is None:
        return False
    if test.owner_id == membership.user_id:
        return True
    people_ids = getattr(test, "people_ids", None)
    if people_ids is not None:
        return membership.pk in people_ids
    return bool(test.people.filter(pk=membership.pk).exists())


rules.add_rule("improvement.view", in_partnership)
rules.add_rule("improvement.take_part", takes_part)
rules.add_rule("improvement.add_test", takes_part)
rules.add_rule("improvement.run_test", takes_part & (runs_the_test | is_coordinator))
rules.add_rule("improvement.check", is_member)
rules.add_rule("improvement.cosign", is_member)
rules.add_rule("improvement.add_stopped", takes_part)
rules.add_rule("improvement.agree_stopped", takes_part)
rules.add_rule("improvement.settings", is_coordinator)
