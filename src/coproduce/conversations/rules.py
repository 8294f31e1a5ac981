"""Permission predicates for conversations. Each takes the acting membership and, where relevant, the target."""

from __future__ import annotations

import rules

from coproduce.partnerships.rules import in_partnership, is_coordinator, is_worker, takes_part

rules.add_rule("conversations.view", in_partnership)
rules.add_rule("conversations.vote", takes_part)
rules.add_rule("conversations.add_statement", takes_part)
rules.add_rule("conversations.manage", is_coordinator)
rules.add_rule("conversations.moderate", is_coordinator)
rules.add_rule("conversations.export", is_coordinator)
# Recording a member's votes with her (partnerships/assisted.py says who may, with whom).
rules.add_rule("conversations.record_with", is_worker | is_coordinator)
