"""Permission predicates for calendars and paid time (registered from ``apps.py``).

A parent who came to a paid-time event claims for her time and costs; a coordinator sets the rates and
approves or refuses claims. Anyone who takes part (members and staff) keeps a private calendar link of the
events she registered for; every event's calendar file is for whoever may see the event (``learning.see_event``)."""

from __future__ import annotations

import rules

from coproduce.partnerships.rules import is_coordinator, is_member, takes_part

rules.add_rule("learning.calendar_feed", takes_part)
rules.add_rule("learning.claim", is_member)
rules.add_rule("learning.my_payments", is_member)
rules.add_rule("learning.manage_pay", is_coordinator)
rules.add_rule("learning.decide_claims", is_coordinator)
