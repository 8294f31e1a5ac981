"""The commitments demo: a board with at least one overdue commitment and one recorded review, loaded twice
the same."""

from __future__ import annotations

from typing import Any

import pytest

from coproduce.commitments import selectors
from coproduce.commitments.models import CommitmentReview
from coproduce.demo_data import load_demo
from coproduce.partnerships.demo import DEMO_SLUG

pytestmark = pytest.mark.django_db


def test_the_demo_board_has_an_overdue_commitment_and_a_review(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        ctx = load_demo()
    with django_capture_on_commit_callbacks(execute=True):
        load_demo()
    assert CommitmentReview.objects.count() == 1
    morag = ctx.memberships[(DEMO_SLUG, "morag")]
    items = selectors.board_for(morag)
    statuses = {item.status for item in items}
    assert "overdue" in statuses
    assert {i.commitment.source for i in items if i.status == "overdue"} == {"decisions.outcome"}
    reviewed = [i for i in items if i.latest_review is not None]
    assert [i.commitment.source for i in reviewed] == ["improvement.adopted"]
    assert {i.commitment.source for i in items} >= {"voice.response", "improvement.stopped", "fund.award"}
