"""Every write to the partnership agreement: keyword-only, the acting membership first, permission checked
(coordinators change the agreement; each person declares their own interests), one transaction, an audit
event (``governance.*``). Bad input raises ``ServiceError`` naming the field, before anything is saved.

One module per part (terms of reference, groups and seats, decision rules, interests); callers import from
here."""

from coproduce.governance.services.decision_rules import decision_rule_set
from coproduce.governance.services.interests import interest_declare, interest_update
from coproduce.governance.services.seats import (
    group_create,
    group_update,
    holding_end,
    holdings_end_for_departure,
    may_hold,
    seat_appoint,
    seat_create,
    seat_retire,
    seat_update,
)
from coproduce.governance.services.terms import terms_publish

__all__ = [
    "decision_rule_set",
    "group_create",
    "group_update",
    "holding_end",
    "holdings_end_for_departure",
    "interest_declare",
    "interest_update",
    "may_hold",
    "seat_appoint",
    "seat_create",
    "seat_retire",
    "seat_update",
    "terms_publish",
]
