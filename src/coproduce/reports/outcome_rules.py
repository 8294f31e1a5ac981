"""Who may reach the employability outcomes pages. Whose outcomes a person sees is not a rule here but the
selectors' (``selectors/outcomes.py``): hers to her, and to her keyworker."""

from __future__ import annotations

import rules

from coproduce.partnerships.rules import is_member, is_staff

rules.add_rule("reports.outcomes", is_member | is_staff)
rules.add_rule("reports.own_outcomes", is_member)
rules.add_rule("reports.keywork_outcomes", is_staff)
