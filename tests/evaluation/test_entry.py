"""Entering answers given on paper or read out (``answer_enter``): a paper form is counted once by its number,
even when two keyworkers enter it at the same moment; a read-out answer needs her agreement and is her own
answer for the month; only keyworkers (workers and coordinators) enter answers; the audit never holds them."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections
from django.utils import formats, timezone

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.models import AuditEvent
from coproduce.evaluation.models import Answer, Question, QuestionAnswer, Remark, Subject
from coproduce.evaluation.services import AlreadyAnswered
from coproduce.evaluation.services.entry import answer_enter
from coproduce.partnerships.models import Membership, Partnership
from tests.factories import MembershipFactory, PartnershipFactory, staff_membership

SCORES = {"listened": 5, "had_say": 4, "respect": 5, "fitted": 2, "needed": None, "control": 3}


def a_subject(partnership: Partnership, name: str = "Job club", key: str = "support.service:1") -> Subject:
    return Subject.objects.create(partnership=partnership, kind=Subject.Kind.SERVICE, source_key=key, name=name)


@pytest.fixture
def subject(partnership: Partnership) -> Subject:
    return a_subject(partnership)


def paper(actor: Membership, subject: Subject, ref: str = "B-017", **kwargs: Any) -> Answer:
    return answer_enter(actor=actor, subject_id=subject.pk, mode="paper", scores=SCORES, paper_ref=ref, **kwargs)


def read_out(actor: Membership, subject: Subject, member: Membership, *, agreed: bool = True, **kwargs: Any) -> Answer:
    return answer_enter(
        actor=actor,
        subject_id=subject.pk,
        mode="read_out",
        scores=SCORES,
        member_id=member.pk,
        member_agreed=agreed,
        **kwargs,
    )


# --- paper ---------------------------------------------------------------------------------------------------


def test_a_paper_form_is_anonymous_entered_by_the_keyworker_and_marked_paper(
    worker: Membership, subject: Subject
) -> None:
    answer = paper(worker, subject, keep="The crèche.", change="Evening sessions.")
    answer.refresh_from_db()
    assert answer.mode == Answer.Mode.PAPER
    assert answer.user_id is None
    assert answer.entered_by_id == worker.user_id
    assert answer.paper_ref == "B-017"
    assert answer.partnership_id == subject.partnership_id
    assert answer.period == timezone.localdate().replace(day=1)
    assert {key: getattr(answer, key) for key in SCORES} == SCORES
    assert sorted(Remark.objects.filter(answer=answer).values_list("kind", "text")) == [
        ("change", "Evening sessions."),
        ("keep", "The crèche."),
    ]


def test_the_same_form_number_again_is_refused_saying_when_and_nothing_is_saved_twice(
    worker: Membership, coordinator: Membership, subject: Subject, partnership: Partnership
) -> None:
    first = paper(worker, subject, "B-017")
    other = a_subject(partnership, "Money advice", "support.service:2")
    # Typed again by someone else, a little differently, even about another service: the same form.
    for actor, ref, about in [(worker, "B-017", subject), (coordinator, " b-017 ", other), (worker, "B- 017", subject)]:
        with pytest.raises(ServiceError) as refused:
            paper(actor, about, ref)
        assert refused.value.field == "paper_ref"
        day = formats.date_format(first.created_at, "j F")
        assert refused.value.message == f"Form B-017 was entered on {day}; it is counted already."
    assert Answer.objects.count() == 1
    assert Remark.objects.count() == 0


def test_a_form_number_is_needed_and_kept_once_per_partnership(worker: Membership, subject: Subject) -> None:
    with pytest.raises(ServiceError) as refused:
        paper(worker, subject, "   ")
    assert refused.value.field == "paper_ref"
    assert refused.value.code == "required"
    with pytest.raises(ServiceError):
        paper(worker, subject, "X" * 41)
    assert not Answer.objects.exists()
    # Another partnership's form B-017 is another form.
    elsewhere = PartnershipFactory()
    paper(staff_membership(elsewhere, role="worker"), a_subject(elsewhere), "B-017")
    paper(worker, subject, "B-017")
    assert Answer.objects.filter(paper_ref="B-017").count() == 2


def test_paper_forms_are_not_limited_to_one_a_month(worker: Membership, subject: Subject) -> None:
    for number in range(1, 4):
        paper(worker, subject, f"B-{number:03d}")
    assert Answer.objects.filter(subject=subject, mode="paper").count() == 3


def test_the_services_own_questions_are_saved_with_a_paper_form(worker: Membership, subject: Subject) -> None:
    scale = Question.objects.create(subject=subject, text="The room was easy to get to", kind="scale", position=1)
    words = Question.objects.create(subject=subject, text="What time of day suits you?", kind="text", position=2)
    answer = paper(worker, subject, question_answers={scale.pk: 4, words.pk: "Mornings after drop-off"})
    assert list(QuestionAnswer.objects.filter(answer=answer).values_list("question_id", "score")) == [(scale.pk, 4)]
    assert Remark.objects.get(answer=answer, kind="question").text == "Mornings after drop-off"


# --- read out ------------------------------------------------------------------------------------------------


def test_a_read_out_answer_needs_her_agreement(worker: Membership, member: Membership, subject: Subject) -> None:
    with pytest.raises(ServiceError) as refused:
        read_out(worker, subject, member, agreed=False)
    assert refused.value.field == "member_agreed"
    assert not Answer.objects.exists()


def test_a_read_out_answer_is_hers_and_counts_as_her_answer_for_the_month(
    worker: Membership, coordinator: Membership, member: Membership, subject: Subject
) -> None:
    answer = read_out(worker, subject, member)
    answer.refresh_from_db()
    assert answer.mode == Answer.Mode.READ_OUT
    assert answer.user_id == member.user_id
    assert answer.entered_by_id == worker.user_id
    assert answer.paper_ref == ""
    # A second answer about the same service this month, by anyone entering it, is refused.
    with pytest.raises(AlreadyAnswered):
        read_out(coordinator, subject, member)
    assert Answer.objects.filter(user_id=member.user_id).count() == 1


def test_a_read_out_answer_is_for_a_member_of_this_partnership(
    worker: Membership, coordinator: Membership, outsider: Membership, subject: Subject
) -> None:
    for not_a_member in (outsider, coordinator):
        with pytest.raises(ServiceError) as refused:
            read_out(worker, subject, not_a_member)
        assert refused.value.field == "member"
    with pytest.raises(ServiceError):
        answer_enter(actor=worker, subject_id=subject.pk, mode="read_out", scores=SCORES, member_agreed=True)
    assert not Answer.objects.exists()


def test_only_paper_and_read_out_are_entered(worker: Membership, subject: Subject) -> None:
    with pytest.raises(ServiceError):
        answer_enter(actor=worker, subject_id=subject.pk, mode="online", scores=SCORES, paper_ref="B-1")
    assert not Answer.objects.exists()


# --- who may enter -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["worker", "coordinator"])
def test_keyworkers_enter_answers(role: str, partnership: Partnership, subject: Subject) -> None:
    paper(staff_membership(partnership, role=role), subject)
    assert Answer.objects.count() == 1


@pytest.mark.parametrize("role", ["member", "observer", "partner_lead", "outsider"])
def test_nobody_else_enters_answers(role: str, request: pytest.FixtureRequest, subject: Subject) -> None:
    actor = request.getfixturevalue(role)
    with pytest.raises(NotPermitted):
        paper(actor, subject)
    with pytest.raises(NotPermitted):
        read_out(actor, subject, MembershipFactory(partnership=subject.partnership, is_member=True))
    assert not Answer.objects.exists()


def test_a_service_of_another_partnership_or_retired_is_out_of_reach(worker: Membership, subject: Subject) -> None:
    with pytest.raises(NotPermitted):
        paper(worker, a_subject(PartnershipFactory()))
    subject.active = False
    subject.save()
    with pytest.raises(NotPermitted):
        paper(worker, subject)
    assert not Answer.objects.exists()


def test_the_audit_names_the_way_never_the_answers(worker: Membership, subject: Subject) -> None:
    paper(worker, subject, keep="Kerry on reception is lovely.")
    event = AuditEvent.objects.get(action="evaluation.answer_entered")
    assert event.partnership_id == subject.partnership_id
    assert event.detail == {"mode": "paper"}
    assert "Kerry" not in str(event.__dict__)


# --- at the same moment, on PostgreSQL -----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrency is tested on PostgreSQL")
def test_the_same_form_entered_by_many_keyworkers_at_once_is_counted_once() -> None:
    partnership = PartnershipFactory()
    subject = a_subject(partnership)
    keyworkers = [staff_membership(partnership, role="worker") for _ in range(8)]
    barrier = threading.Barrier(len(keyworkers))
    results: list[Any] = [None] * len(keyworkers)

    def enter(index: int) -> None:
        try:
            actor = Membership.objects.select_related("partnership", "user").get(pk=keyworkers[index].pk)
            barrier.wait()
            results[index] = paper(actor, subject, "B-017")
        except Exception as error:
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=enter, args=(i,)) for i in range(len(keyworkers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    saved = [r for r in results if isinstance(r, Answer)]
    refused = [r for r in results if isinstance(r, ServiceError)]
    assert len(saved) == 1, results
    assert len(refused) == len(keyworkers) - 1, results
    assert all(r.code == "paper_counted" for r in refused)
    assert Answer.objects.filter(partnership=partnership, paper_ref="B-017").count() == 1
