"""Permission predicates for the reports app, one section per part; each takes the acting membership.

Reports: coordinators build reports, save definitions and delete them; coordinators and observers (board
members, funders' contacts) read finished reports and download them. Partner leads, workers and members do
not see the builder: its figures are the whole partnership's, and a report scoped to one organisation is still
asked for by a coordinator (docs/reports.md).
"""

from __future__ import annotations

import rules

from coproduce.partnerships.rules import is_coordinator, is_observer

# --- reports: the builder, saved definitions and finished reports

rules.add_rule("reports.build", is_coordinator)
rules.add_rule("reports.read", is_coordinator | is_observer)
