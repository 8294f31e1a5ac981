"""Who may do what on the commitments board. Everyone in the partnership reads it (observers included):
what the partnership promised is everyone's business. Staff (workers, coordinators, partner leads) record
reviews, since they answer for delivering the promises."""

from __future__ import annotations

import rules

from coproduce.partnerships.rules import in_partnership, is_staff

rules.add_rule("commitments.view", in_partnership)
rules.add_rule("commitments.review", is_staff)
