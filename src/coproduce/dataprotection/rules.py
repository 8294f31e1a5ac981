"""Who may read and change a partnership's data protection: everyone in it reads the data sharing agreement and
the privacy notice; coordinators set the controllers, the contact, the retention periods and the agreement."""

from __future__ import annotations

import rules

from coproduce.partnerships.rules import in_partnership, is_coordinator

rules.add_rule("dataprotection.view", in_partnership)
rules.add_rule("dataprotection.manage", is_coordinator)
