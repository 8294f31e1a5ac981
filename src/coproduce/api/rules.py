"""Who may make API tokens: everyone in the partnership, for themselves; observers' tokens only read."""

import rules

from coproduce.partnerships.rules import in_partnership, takes_part

rules.add_rule("api.make_token", in_partnership)
rules.add_rule("api.make_write_token", takes_part)
