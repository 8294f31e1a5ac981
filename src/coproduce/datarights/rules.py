"""Who may reach the data-rights pages (the services check again)."""

from __future__ import annotations

import rules

from coproduce.partnerships.rules import in_partnership, is_coordinator

rules.add_rule("datarights.leave", in_partnership)
rules.add_rule("datarights.ask_erasure", in_partnership)
rules.add_rule("datarights.remove_person", is_coordinator)
rules.add_rule("datarights.confirm_erasure", is_coordinator)
