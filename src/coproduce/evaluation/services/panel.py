"""The parents' panel: a member joins or leaves it. Panel members see each quarter's results first and comment
on them before the service responds (``services.reviews``). Joining twice or leaving when not on it changes
nothing and records nothing."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from coproduce.core.audit import audit_record
from coproduce.core.permissions import require_rule
from coproduce.evaluation.models import PanelMember
from coproduce.partnerships.models import Membership


def panel_join(*, actor: Membership) -> PanelMember:
    """Put the member on the partnership's parents' panel (she is on it already: nothing changes)."""
    require_rule("evaluation.join_panel", actor)
    with transaction.atomic(durable=True):
        existing = PanelMember.objects.filter(partnership_id=actor.partnership_id, user_id=actor.user_id).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                joined = PanelMember.objects.create(partnership_id=actor.partnership_id, user_id=actor.user_id)
        except IntegrityError:  # she joined in another tab a moment ago
            return PanelMember.objects.get(partnership_id=actor.partnership_id, user_id=actor.user_id)
        audit_record(
            actor=actor.user, action="evaluation.panel_joined", partnership_id=actor.partnership_id, target=joined
        )
    return joined


def panel_leave(*, actor: Membership) -> bool:
    """Take the person off the panel; whether she was on it. Her comments stay, without her name (they never
    show it)."""
    require_rule("evaluation.join_panel", actor)
    with transaction.atomic(durable=True):
        deleted, _ = PanelMember.objects.filter(partnership_id=actor.partnership_id, user_id=actor.user_id).delete()
        if deleted:
            audit_record(
                actor=actor.user,
                action="evaluation.panel_left",
                partnership_id=actor.partnership_id,
            )
    return bool(deleted)
