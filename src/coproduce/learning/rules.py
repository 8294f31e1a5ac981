"""Permission predicates for learning together. Each takes the acting membership and, where relevant, the
event.

Organisers of an event are the coordinators and the staff of the organisation hosting it. Everyone in the
partnership sees the events meant for them (an event for members, for staff, or for everyone); organisers see
every event they organise. Members and staff register for the events meant for them; observers see the events
for everyone but do not register. Only organisers see what people said would help them come (as totals and,
where they need it, one person's answers), mark attendance and change or cancel an event. Any member of staff
sets up events hosted by their own organisation; coordinators for any organisation."""

from __future__ import annotations

from typing import Any

import rules

from coproduce.partnerships.rules import in_partnership, is_staff, takes_part


@rules.predicate
def organises(membership: Any, event: Any) -> bool:
    """A coordinator, or staff of the organisation hosting ``event``."""
    if membership is None or event is None:
        return False
    if membership.is_coordinator:
        return True
    return bool(membership.is_staff_role and event.host_id is not None and event.host_id == membership.organisation_id)


@rules.predicate
def meant_for(membership: Any, event: Any) -> bool:
    """The event's audience includes this person (observers: events for everyone only)."""
    if membership is None or event is None:
        return False
    if event.audience == "everyone":
        return True
    if event.audience == "members":
        return bool(membership.is_member)
    return bool(membership.is_staff_role)


rules.add_rule("learning.view", in_partnership)
rules.add_rule("learning.see_event", organises | meant_for)
rules.add_rule("learning.create_event", is_staff)
rules.add_rule("learning.organise", organises)
rules.add_rule("learning.register", takes_part & meant_for)
