"""Who may do what with the learning log. Each predicate takes the acting membership and, where relevant, the
entry. Staff (the organisers of sessions) start entries; the author and co-authors write them; a draft is
theirs alone; the parents named in an entry see it once they are asked, and answer; a published entry is
read by everyone in the partnership. Uses ``entry.co_author_ids`` and ``entry.named_ids`` when a selector
loaded them."""

from __future__ import annotations

from typing import Any

import rules

from coproduce.partnerships.rules import in_partnership, is_member, is_staff, takes_part


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
