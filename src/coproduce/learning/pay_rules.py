"""Permission predicates for calendars and paid time (registered from ``apps.py``).

A parent who came to a paid-time event claims for her time and costs; a coordinator sets the rates and
approves or refuses claims. Anyone who takes part (members and staff) keeps a private calendar link of the
events she registered for; every event's calendar file is for whoever may see the event."""

from __future__ import annotations

from typing import Any

import rules

from coproduce.partnerships.rules import is_coordinator, is_member, takes_part


@rules.predicate
def sees_event(membership: Any, event: Any) -> bool:
    """The event is meant for this person (its audience), or she organises it (a coordinator, or staff of the
    host organisation); observers see the events for everyone."""
    if membership is None or event is None:
        return False
    if membership.is_coordinator:
        return True
    if membership.is_staff_role and event.host_id is not None and event.host_id == membership.organisation_id:
        return True
    if event.audience == "everyone":
        return True
    if event.audience == "members":
        return bool(membership.is_member)
    return bool(membership.is_staff_role)


rules.add_rule("learning.event_calendar", sees_event)
rules.add_rule("learning.calendar_feed", takes_part)
rules.add_rule("learning.claim", is_member)
rules.add_rule("learning.my_payments", is_member)
rules.add_rule("learning.manage_pay", is_coordinator)
rules.add_rule("learning.decide_claims", is_coordinator)
