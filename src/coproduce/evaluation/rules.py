"""Permission predicates for evaluation, in three sections: answers and results, the parents' panel and the
services' responses, the partnership health check. Each takes the acting membership and, where relevant, a
subject or a review.

Answers: members answer about the services they used (the "used it" check is the service's, since it reads the
registered uses); keyworkers (workers and coordinators) enter answers given on paper or read out; coordinators
manage the questions, moderate free text and download the export.

Results: coordinators and members of the parents' panel see every service's results; staff (workers and
partner leads) see their own organisation's services only (the overview is narrowed to them). Coordinators and
staff of a service's organisation start a test of change from its results.

The panel: any member may join; a panel member comments on a quarter's results while the panel's window is
open; then coordinators and staff of the service's organisation respond.

The health check: members and staff answer (observers do not take part); everyone in the partnership sees it.
"""

from __future__ import annotations

from typing import Any

import rules
from django.utils import timezone

from coproduce.partnerships.rules import (
    in_partnership,
    is_coordinator,
    is_member,
    is_worker,
    takes_part,
)

# --- Answers and results ---------------------------------------------------------------------------------


def is_panel_member(membership: Any) -> bool:
    """``membership``'s person opted in to the parents' panel of her partnership (one small query, kept on the
    membership for the rest of the request)."""
    if membership is None or not membership.is_member:
        return False
    known = getattr(membership, "_evaluation_panel", None)
    if known is None:
        from coproduce.evaluation.models import PanelMember

        known = PanelMember.objects.filter(
            partnership_id=membership.partnership_id, user_id=membership.user_id
        ).exists()
        membership._evaluation_panel = known
    return bool(known)


@rules.predicate
def panel_member(membership: Any, target: Any = None) -> bool:
    return is_panel_member(membership)


def _staff_of(membership: Any, organisation_id: int | None) -> bool:
    return bool(
        membership.is_staff_role and organisation_id is not None and organisation_id == membership.organisation_id
    )


@rules.predicate
def sees_results(membership: Any, subject: Any = None) -> bool:
    """Coordinators and panel members: every subject. Workers and partner leads: the overview (narrowed there to
    their organisation's services), and a subject of their own organisation."""
    if membership is None:
        return False
    if membership.is_coordinator or is_panel_member(membership):
        return True
    if not membership.is_staff_role:
        return False
    if subject is None:
        return True
    return _staff_of(membership, subject.organisation_id)


@rules.predicate
def staff_of_subject(membership: Any, subject: Any) -> bool:
    """Staff of the organisation providing ``subject``."""
    if membership is None or subject is None:
        return False
    return _staff_of(membership, subject.organisation_id)


rules.add_rule("evaluation.view", in_partnership)
rules.add_rule("evaluation.answer", is_member)
rules.add_rule("evaluation.enter", is_worker | is_coordinator)
rules.add_rule("evaluation.manage", is_coordinator)
rules.add_rule("evaluation.panel_member", panel_member)
rules.add_rule("evaluation.see_results", sees_results)
rules.add_rule("evaluation.start_test", is_coordinator | staff_of_subject)


# --- The parents' panel and the services' responses --------------------------------------------------------


def panel_window_open(review: Any, now: Any = None) -> bool:
    """The panel may still comment: not released early, and ``panel_until`` not reached."""
    now = now or timezone.now()
    return review.released_at is None and now < review.panel_until


@rules.predicate
def panel_window_over(membership: Any, review: Any) -> bool:
    return review is not None and not panel_window_open(review)


@rules.predicate
def panel_window_still_open(membership: Any, review: Any) -> bool:
    return review is not None and panel_window_open(review)


@rules.predicate
def staff_of_review(membership: Any, review: Any) -> bool:
    """Staff of the organisation providing the review's subject."""
    if membership is None or review is None:
        return False
    return _staff_of(membership, review.subject.organisation_id)


rules.add_rule("evaluation.join_panel", is_member)
rules.add_rule("evaluation.respond", (is_coordinator | staff_of_review) & panel_window_over)
rules.add_rule("evaluation.comment_review", panel_member & panel_window_still_open)


# --- The partnership health check ------------------------------------------------------------------------

rules.add_rule("evaluation.answer_health", takes_part)
rules.add_rule("evaluation.see_health", in_partnership)
