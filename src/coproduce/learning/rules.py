"""Permission predicates for learning together, in three sections: events, calendars and paid time, and the
learning log. Each takes the acting membership and, where relevant, the event or the log entry.

Events: organisers of an event are the coordinators and the staff of the organisation hosting it. Everyone in the
partnership sees the events meant for them (an event for members, for staff, or for everyone); organisers see
every event they organise. Members and staff register for the events meant for them; observers see the events
for everyone but do not register. Only organisers see what people said would help them come (as totals and,
where they need it, one person's answers), mark attendance and change or cancel an event. Any member of staff
sets up events hosted by their own organisation; coordinators for any organisation.

Calendars and paid time: a parent who came to a paid-time event claims for her time and costs; a coordinator
sets the rates and approves or refuses claims. Anyone who takes part (members and staff) keeps a private
calendar link of the events she registered for; every event's calendar file is for whoever may see the event
(``learning.see_event``).

The learning log: staff (the organisers of sessions) start entries; the author and co-authors write them; a
draft is theirs alone; the parents named in an entry see it once they are asked, and answer; a published entry
is read by everyone in the partnership. Uses ``entry.co_author_ids`` and ``entry.named_ids`` when a selector
loaded them."""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q

from coproduce.partnerships.rules import in_partnership, is_coordinator, is_member, is_staff, takes_part

# --- Events ----------------------------------------------------------------------------------------------


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


# --- Calendars and paid time -----------------------------------------------------------------------------

rules.add_rule("learning.calendar_feed", takes_part)
rules.add_rule("learning.claim", is_member)
rules.add_rule("learning.my_payments", is_member)
rules.add_rule("learning.manage_pay", is_coordinator)
rules.add_rule("learning.decide_claims", is_coordinator)


# --- The learning log ------------------------------------------------------------------------------------

# Who takes part, as a query on memberships (members and staff; not observers).
TAKES_PART = Q(is_member=True) | Q(is_worker=True) | Q(is_coordinator=True) | Q(is_partner_lead=True)


def _ids(entry: Any, attribute: str, relation: str) -> set[int]:
    found = getattr(entry, attribute, None)
    if found is None:
        found = set(getattr(entry, relation).values_list("pk", flat=True))
        setattr(entry, attribute, found)
    return found


def co_author_ids(entry: Any) -> set[int]:
    return _ids(entry, "co_author_ids", "co_authors")


def named_ids(entry: Any) -> set[int]:
    return _ids(entry, "named_ids", "named_parents")


@rules.predicate
def writes_the_entry(membership: Any, entry: Any) -> bool:
    if membership is None or entry is None:
        return False
    return entry.author_id == membership.user_id or membership.user_id in co_author_ids(entry)


@rules.predicate
def is_named_and_asked(membership: Any, entry: Any) -> bool:
    if membership is None or entry is None or entry.status == "draft":
        return False
    return membership.user_id in named_ids(entry)


@rules.predicate
def is_published(membership: Any, entry: Any) -> bool:
    return entry is not None and entry.status == "published"


rules.add_rule("learning.log_view", in_partnership)
rules.add_rule("learning.log_add", is_staff)
rules.add_rule("learning.log_read", in_partnership & (is_published | writes_the_entry | is_named_and_asked))
rules.add_rule("learning.log_write", takes_part & writes_the_entry)
rules.add_rule("learning.log_answer", is_member & is_named_and_asked)
