"""Permission predicates for the fund. Each takes the acting membership and, where relevant, a target."""

from __future__ import annotations

from typing import Any

import rules

from coproduce.partnerships.rules import (
    in_partnership,
    is_coordinator,
    is_partner_lead,
    is_staff,
    is_worker,
    takes_part,
)


@rules.predicate
def is_proposer(membership: Any, proposal: Any) -> bool:
    return membership is not None and proposal is not None and proposal.proposer_id == membership.user_id


@rules.predicate
def is_award_holder(membership: Any, award: Any) -> bool:
    if membership is None or award is None:
        return False
    if award.holder_id == membership.user_id:
        return True
    return bool(
        award.organisation_id and membership.is_staff_role and membership.organisation_id == award.organisation_id
    )


@rules.predicate
def may_vote(membership: Any, round_: Any) -> bool:
    """Who votes is set per round: members only, or members and staff with equal weight."""
    if membership is None or round_ is None:
        return False
    if membership.is_member:
        return True
    return round_.voters == "members_and_staff" and membership.is_staff_role


rules.add_rule("fund.view", in_partnership)
rules.add_rule("fund.take_part", takes_part)
rules.add_rule("fund.add_contribution", is_partner_lead | is_coordinator)
rules.add_rule("fund.manage_rounds", is_coordinator)
rules.add_rule("fund.propose", takes_part)
rules.add_rule("fund.change_proposal", takes_part & is_proposer)
rules.add_rule("fund.review", is_staff)
rules.add_rule("fund.vote", may_vote)
# A worker or coordinator records a member's ballot with her, or enters her paper form, and prints the forms.
rules.add_rule("fund.record_with", is_worker | is_coordinator)
rules.add_rule("fund.record_payment", is_coordinator)
rules.add_rule("fund.report_spend", is_award_holder | is_coordinator)
rules.add_rule("fund.record_spending", is_coordinator)
# The flexible pot: a coordinator sets it up; staff declare their own interests in suppliers; a keyworker or a
# coordinator records a barrier payment agreed in a parent's plan (the support capability has checked the
# request may be marked paid by them).
rules.add_rule("fund.manage_pot", is_coordinator)
rules.add_rule("fund.declare_interest", is_staff)
rules.add_rule("fund.record_barrier_payment", is_worker | is_coordinator)
