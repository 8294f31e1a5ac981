"""A member's own answers: giving one online, and withdrawing it."""

from __future__ import annotations

from coproduce.evaluation.models import Answer
from coproduce.partnerships.models import Membership


def answer_give(
    *,
    actor: Membership,
    subject_id: int,
    scores: dict[str, int | None],
    keep: str = "",
    change: str = "",
    question_answers: dict[int, int | str | None] | None = None,
    offer_id: int | None = None,
) -> Answer:
    raise NotImplementedError


def answer_withdraw(*, actor: Membership, answer_id: int) -> None:
    raise NotImplementedError
