"""Every action a page can post, through its service, as every role: done, or refused with NotPermitted
(a 404) and nothing changed. The decision is the worker's, for members and staff."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from coproduce.core.audit import AuditEvent
from coproduce.core.exceptions import NotPermitted
from coproduce.decisions import services
from coproduce.decisions.models import Decision
from tests.decisions.conftest import raise_decision
from tests.decisions.test_rules import ROLES, TABLE
from tests.decisions.test_services import BLT
from tests.factories import staff_membership


def _closed(worker: Any) -> Decision:
    decision = raise_decision(worker)
    services.decision_close(actor=worker, decision=decision)
    decision.refresh_from_db()
    return decision


def _outcome(actor: Any, worker: Any) -> Any:
    today = timezone.localdate()
    return services.outcome_record(
        actor=actor,
        decision=_closed(worker),
        statement="Done.",
        owner_membership_id=None,
        due_on=today + timedelta(days=3),
        review_on=today + timedelta(days=30),
    )


ACTIONS: dict[str, tuple[str, Callable[[Any, Any], Any]]] = {
    "raise": ("decisions.raise", lambda actor, worker: raise_decision(actor)),
    "answer": (
        "decisions.answer",
        lambda actor, worker: services.answer_give(actor=actor, decision=raise_decision(worker), position="agree"),
    ),
    "comment": (
        "decisions.comment",
        lambda actor, worker: services.comment_add(actor=actor, decision=raise_decision(worker), body="Hello"),
    ),
    "amend": (
        "decisions.amend",
        lambda actor, worker: services.decision_amend(
            actor=actor, decision=raise_decision(worker), title="New", background="", options=[], change_note="Why"
        ),
    ),
    "close": (
        "decisions.close",
        lambda actor, worker: services.decision_close(actor=actor, decision=raise_decision(worker)),
    ),
    "outcome": ("decisions.outcome", _outcome),
    "hide": (
        "decisions.hide_comment",
        lambda actor, worker: services.comment_hide(
            actor=actor, comment=services.comment_add(actor=worker, decision=raise_decision(worker), body="Hi")
        ),
    ),
    "import": (
        "decisions.import",
        lambda actor, worker: services.decision_import_blt(
            actor=actor, kind="poll", method="stv", data=BLT, closes_at=timezone.now() + timedelta(days=1)
        ),
    ),
}


AUDITED = {
    "raise": "decisions.raised",
    "answer": "decisions.answered",
    "comment": "decisions.comment_added",
    "amend": "decisions.amended",
    "close": "decisions.closed",
    "outcome": "decisions.outcome_recorded",
    "hide": "decisions.comment_hidden",
    "import": "decisions.imported",
}


@pytest.fixture
def everyone(
    partnership: Any, member: Any, worker: Any, coordinator: Any, partner_lead: Any, observer: Any, outsider: Any
) -> dict[str, Any]:
    return {
        "member": member,
        "worker": worker,
        "other_worker": staff_membership(partnership, role="worker"),
        "coordinator": coordinator,
        "partner_lead": partner_lead,
        "observer": observer,
        "member_both": staff_membership(partnership, role="worker", is_member=True),
        "outsider": outsider,
    }


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_every_action_as_every_role(everyone: dict[str, Any], action: str, role: str) -> None:
    rule, act = ACTIONS[action]
    actor, worker = everyone[role], everyone["worker"]
    if role == "outsider" and action == "raise":
        # An outsider raising a decision raises it in her own partnership, never in this one.
        assert act(actor, worker).partnership_id == actor.partnership_id
        return
    if TABLE[rule][role]:
        assert act(actor, worker) is not None
        assert AuditEvent.objects.filter(actor=actor.user, action=AUDITED[action]).exists()
    else:
        with pytest.raises(NotPermitted):
            act(actor, worker)
        assert not AuditEvent.objects.filter(action=AUDITED[action]).exclude(actor=worker.user).exists()
        if action not in ("raise", "comment", "close"):  # the worker's own setting up, for the others
            assert not AuditEvent.objects.filter(action=AUDITED[action]).exists()
