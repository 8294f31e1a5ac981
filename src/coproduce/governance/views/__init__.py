"""The partnership agreement's pages: short views that resolve, call a selector or a service, and render."""

from coproduce.governance.views.agreement import agreement, terms_new, terms_version
from coproduce.governance.views.decision_rules import rule_edit
from coproduce.governance.views.interests import interest_edit, interest_new
from coproduce.governance.views.seats import (
    group_edit,
    group_new,
    holding_end,
    seat,
    seat_appoint,
    seat_edit,
    seat_new,
    seat_retire,
)

__all__ = [
    "agreement",
    "group_edit",
    "group_new",
    "holding_end",
    "interest_edit",
    "interest_new",
    "rule_edit",
    "seat",
    "seat_appoint",
    "seat_edit",
    "seat_new",
    "seat_retire",
    "terms_new",
    "terms_version",
]
