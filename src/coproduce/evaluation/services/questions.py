"""A coordinator's own questions about a service (at most three live), asked after the six."""

from __future__ import annotations

from coproduce.evaluation.models import Question
from coproduce.partnerships.models import Membership


def question_add(
    *, actor: Membership, subject_id: int, text: str, kind: str, override_warning: bool = False
) -> Question:
    raise NotImplementedError


def question_retire(*, actor: Membership, question_id: int) -> None:
    raise NotImplementedError
