"""Permission predicates for decisions. Each takes the acting membership and, where relevant, the decision.

Everyone in the partnership reads decisions, their discussion and their results (observers included).
Members and staff raise proposals and join the discussion (the service also applies the partnership's rule
for the kind of decision); the people the decision is for answer it; the proposer or a coordinator amends,
closes it and writes its outcome; coordinators hide comments and raise a decision from a ballot file."""

from __future__ import annotations

from typing import Any

import rules

from coproduce.decisions.eligibility import group_of
from coproduce.partnerships.models import Partnership
from coproduce.partnerships.rules import in_partnership, is_coordinator, is_worker, takes_part


@rules.predicate
def same_partnership(membership: Any, decision: Any = None) -> bool:
    """The decision (when there is one) is in the membership's partnership. A page's door
    (``partnership_view``) passes the partnership itself."""
    if membership is None:
        return False
    if decision is None:
        return True
    if isinstance(decision, Partnership):
        return bool(decision.pk == membership.partnership_id)
    return bool(decision.partnership_id == membership.partnership_id)


@rules.predicate
def is_proposer(membership: Any, decision: Any) -> bool:
    return membership is not None and decision is not None and decision.proposer_id == membership.user_id


@rules.predicate
def answers_it(membership: Any, decision: Any) -> bool:
    """One of the people the decision is for."""
    return decision is not None and group_of(membership, decision) is not None


here = in_partnership & same_partnership
rules.add_rule("decisions.view", here)
rules.add_rule("decisions.raise", here & takes_part)
rules.add_rule("decisions.answer", here & takes_part & answers_it)
rules.add_rule("decisions.comment", here & takes_part)
rules.add_rule("decisions.amend", here & takes_part & (is_proposer | is_coordinator))
rules.add_rule("decisions.close", here & takes_part & (is_proposer | is_coordinator))
rules.add_rule("decisions.outcome", here & takes_part & (is_proposer | is_coordinator))
rules.add_rule("decisions.hide_comment", here & is_coordinator)
rules.add_rule("decisions.import", here & is_coordinator)
# A worker or coordinator records a member's answer with her, or enters her paper form, and prints the forms.
rules.add_rule("decisions.record_with", here & (is_worker | is_coordinator))
