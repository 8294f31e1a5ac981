"""Who may do what with a decision: every action as every role (a table, as in tests/improvement/access.py).

The decision is raised by the worker for everyone (members and staff). "member_both" holds the member and
worker roles; "other_worker" is staff who did not raise it."""

from __future__ import annotations

from typing import Any

import pytest
import rules

from coproduce.decisions.models import Decision
from tests.decisions.conftest import raise_decision
from tests.factories import MembershipFactory, staff_membership

ROLES = ["member", "worker", "other_worker", "coordinator", "partner_lead", "observer", "member_both", "outsider"]


def allowed(*roles: str) -> dict[str, bool]:
    return {role: role in roles for role in ROLES}


TAKING_PART = ("member", "worker", "other_worker", "coordinator", "partner_lead", "member_both")

TABLE: dict[str, dict[str, bool]] = {
    "decisions.view": allowed(*TAKING_PART, "observer"),
    # Raising names no decision: the outsider may raise one in her own partnership, never in this one (the
    # service puts it in the acting membership's partnership).
    "decisions.raise": allowed(*TAKING_PART, "outsider"),
    "decisions.answer": allowed(*TAKING_PART),
    "decisions.comment": allowed(*TAKING_PART),
    "decisions.amend": allowed("worker", "coordinator"),
    "decisions.close": allowed("worker", "coordinator"),
    "decisions.outcome": allowed("worker", "coordinator"),
    "decisions.hide_comment": allowed("coordinator"),
    "decisions.import": allowed("coordinator"),
    # Recording a member's answer with her, or from her paper form: any worker or coordinator here.
    "decisions.record_with": allowed("worker", "other_worker", "coordinator", "member_both"),
}

# Who answers, by who the decision is for.
ANSWERING: dict[str, dict[str, bool]] = {
    "everyone": allowed(*TAKING_PART),
    "members": allowed("member", "member_both"),
    "staff": allowed("worker", "other_worker", "coordinator", "partner_lead", "member_both"),
}


@pytest.fixture
def people(
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


def test_the_table_covers_every_decisions_rule() -> None:
    import coproduce.decisions.rules  # noqa: F401

    registered = {name for name in rules.permissions.permissions if name.startswith("decisions.")} | {
        name for name in rules.rulesets.default_rules if name.startswith("decisions.")
    }
    assert registered == set(TABLE)


@pytest.mark.parametrize("rule", sorted(TABLE))
@pytest.mark.parametrize("role", ROLES)
def test_each_role_may_do_what_the_table_says(people: dict[str, Any], rule: str, role: str) -> None:
    decision = raise_decision(people["worker"])
    target = None if rule in ("decisions.raise", "decisions.import") else decision  # these name no decision
    assert rules.test_rule(rule, people[role], target) is TABLE[rule][role]


@pytest.mark.parametrize("participants", sorted(ANSWERING))
@pytest.mark.parametrize("role", ROLES)
def test_who_answers_follows_who_the_decision_is_for(people: dict[str, Any], participants: str, role: str) -> None:
    decision = raise_decision(people["worker"], participants=participants)
    assert rules.test_rule("decisions.answer", people[role], decision) is ANSWERING[participants][role]


def test_no_one_outside_the_partnership_passes_any_rule(partnership: Any, worker: Any) -> None:
    decision = raise_decision(worker)
    stranger = MembershipFactory(is_member=True)
    assert not any(rules.test_rule(rule, stranger, decision) for rule in TABLE if rule != "decisions.raise")
    assert isinstance(decision, Decision)
