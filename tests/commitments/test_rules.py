"""Who may do what on the commitments board: every role × every action."""

from __future__ import annotations

from typing import Any

import pytest
import rules

EXPECTED = {
    # role: (view, review)
    "member": (True, False),
    "worker": (True, True),
    "coordinator": (True, True),
    "partner_lead": (True, True),
    "observer": (True, False),
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_roles(role: str, request: pytest.FixtureRequest) -> None:
    membership: Any = request.getfixturevalue(role)
    view, review = EXPECTED[role]
    assert rules.test_rule("commitments.view", membership) is view
    assert rules.test_rule("commitments.review", membership) is review


def test_someone_outside_the_partnership_may_do_nothing() -> None:
    assert not rules.test_rule("commitments.view", None)
    assert not rules.test_rule("commitments.review", None)
