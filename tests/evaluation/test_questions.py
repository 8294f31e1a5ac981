"""A coordinator's own questions: at most three live per service in positions 1..3, a warning for questions
that ask too much, retiring keeps the answers."""

from __future__ import annotations

from typing import Any

import pytest

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.models import AuditEvent
from coproduce.evaluation import selectors, services
from coproduce.evaluation.models import Question, Subject
from coproduce.partnerships.models import Membership
from tests.evaluation.conftest import make_subject, scores

pytestmark = pytest.mark.django_db


def add(actor: Membership, subject: Subject, text: str = "Was the room warm enough?", **kwargs: Any) -> Question:
    kwargs.setdefault("kind", "scale")
    return services.question_add(actor=actor, subject_id=subject.pk, text=text, **kwargs)


def test_up_to_three_live_questions_in_positions_1_to_3(coordinator: Membership, subject: Subject) -> None:
    made = [add(coordinator, subject, f"Question {i}?") for i in range(3)]
    assert [q.position for q in made] == [1, 2, 3]
    with pytest.raises(ServiceError) as refused:
        add(coordinator, subject, "A fourth?")
    assert refused.value.code == "too_many" and "Retire one" in refused.value.message
    services.question_retire(actor=coordinator, question_id=made[1].pk)
    again = add(coordinator, subject, "A new second?", kind="text")
    assert (again.position, again.kind) == (2, "text")
    assert [q.text for q in selectors.live_questions(subject)] == ["Question 0?", "A new second?", "Question 2?"]
    assert Question.objects.filter(subject=subject).count() == 4  # the retired one is kept


def test_each_subject_has_its_own_three(coordinator: Membership, subject: Subject, partnership: Any) -> None:
    other = make_subject(partnership, "Other")
    for _ in range(3):
        add(coordinator, subject)
    assert add(coordinator, other).position == 1


def test_a_question_asking_too_much_warns_then_saves_when_checked(coordinator: Membership, subject: Subject) -> None:
    with pytest.raises(services.QuestionWarning) as warned:
        add(coordinator, subject, "What is your postcode and do you have a disability?")
    assert len(warned.value.reasons) == 2
    assert warned.value.field == "text"
    assert not Question.objects.exists()
    question = add(coordinator, subject, "What is your postcode and do you have a disability?", override_warning=True)
    assert question.warning_overridden is True
    event = AuditEvent.objects.get(action="evaluation.question_added")
    assert event.detail["warned"] == ["address", "health"]
    assert add(coordinator, subject).warning_overridden is False


@pytest.mark.parametrize(
    ("text", "kind", "field"), [("", "scale", "text"), ("x" * 301, "scale", "text"), ("Fine?", "stars", "kind")]
)
def test_bad_questions_are_refused(coordinator: Membership, subject: Subject, text: str, kind: str, field: str) -> None:
    with pytest.raises(ServiceError) as refused:
        add(coordinator, subject, text, kind=kind)
    assert refused.value.field == field


def test_only_coordinators_manage_questions(request: pytest.FixtureRequest, subject: Subject) -> None:
    for role in ("member", "worker", "partner_lead", "observer"):
        with pytest.raises(NotPermitted):
            add(request.getfixturevalue(role), subject)
    question = add(request.getfixturevalue("coordinator"), subject)
    with pytest.raises(NotPermitted):
        services.question_retire(actor=request.getfixturevalue("worker"), question_id=question.pk)


def test_another_partnerships_subject_or_question_is_not_found(
    coordinator: Membership, subject: Subject, outsider: Membership
) -> None:
    from tests.factories import staff_membership

    elsewhere = staff_membership(outsider.partnership, role="coordinator")
    with pytest.raises(NotPermitted):
        add(elsewhere, subject)
    question = add(coordinator, subject)
    with pytest.raises(NotPermitted):
        services.question_retire(actor=elsewhere, question_id=question.pk)


def test_retiring_keeps_the_answers(coordinator: Membership, subject: Subject, member_who_used: Membership) -> None:
    question = add(coordinator, subject)
    services.answer_give(
        actor=member_who_used, subject_id=subject.pk, scores=scores(4), question_answers={question.pk: 5}
    )
    services.question_retire(actor=coordinator, question_id=question.pk)
    services.question_retire(actor=coordinator, question_id=question.pk)  # twice is once
    assert question.answers.get().score == 5
    assert selectors.live_questions(subject) == []
