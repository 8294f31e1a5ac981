"""Permission predicates for voice. Each takes the acting membership and, where relevant, the target."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import rules
from django.utils import timezone

from coproduce.partnerships.rules import in_partnership, is_coordinator, is_worker, takes_part

EDIT_WINDOW = timedelta(hours=24)


@rules.predicate
def is_author(membership: Any, target: Any) -> bool:
    return membership is not None and target is not None and target.author_id == membership.user_id


@rules.predicate
def is_challenge_creator(membership: Any, challenge: Any) -> bool:
    return membership is not None and challenge is not None and challenge.created_by_id == membership.user_id


@rules.predicate
def idea_still_editable(membership: Any, idea: Any) -> bool:
    return (
        idea is not None
        and idea.withdrawn_at is None
        and idea.hidden_at is None
        and idea.status == "new"
        and timezone.now() - idea.created_at < EDIT_WINDOW
    )


@rules.predicate
def idea_recorded_with_author(membership: Any, idea: Any) -> bool:
    """Recorded with her by a keyworker and not yet confirmed: she may change it whenever she sees it."""
    return (
        idea is not None
        and idea.withdrawn_at is None
        and idea.hidden_at is None
        and idea.channel != "self"
        and idea.confirmed_at is None
    )


rules.add_rule("voice.view", in_partnership)
rules.add_rule("voice.take_part", takes_part)
rules.add_rule("voice.add_challenge", takes_part)
rules.add_rule("voice.change_challenge", is_coordinator | (takes_part & is_challenge_creator))
rules.add_rule("voice.add_idea", takes_part)
rules.add_rule("voice.change_idea", takes_part & is_author & (idea_still_editable | idea_recorded_with_author))
# Recording an idea with a member (partnerships/assisted.py says who may, with whom).
rules.add_rule("voice.record_with", is_worker | is_coordinator)
rules.add_rule("voice.withdraw_idea", is_author)
rules.add_rule("voice.support", takes_part)
rules.add_rule("voice.comment", takes_part)
rules.add_rule("voice.change_comment", is_author)
rules.add_rule("voice.flag", takes_part)
rules.add_rule("voice.moderate", is_coordinator)
rules.add_rule("voice.respond", is_coordinator)
