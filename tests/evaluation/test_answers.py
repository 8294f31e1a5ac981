"""Giving and withdrawing answers: only about a service she used, once a month, free text flagged, nothing
lost, the audit silent about which service and what was said."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Avg, Count

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.models import AuditEvent
from coproduce.evaluation import selectors, services
from coproduce.evaluation.models import Answer, Offer, Question, QuestionAnswer, Remark, Subject
from coproduce.partnerships.models import Membership
from tests.evaluation.conftest import FakeSource, make_subject, scores
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def give(actor: Membership, subject: Subject, **kwargs: Any) -> Answer:
    kwargs.setdefault("scores", scores(4))
    return services.answer_give(actor=actor, subject_id=subject.pk, **kwargs)


def test_a_member_answers_about_a_service_she_used(member_who_used: Membership, subject: Subject) -> None:
    answer = give(member_who_used, subject, scores=scores(4, respect=5, control=None), keep="The kind staff")
    answer.refresh_from_db()
    assert answer.user_id == member_who_used.user_id
    assert answer.mode == "online"
    assert answer.period.day == 1
    assert (answer.listened, answer.respect, answer.control) == (4, 5, None)
    assert [(r.kind, r.text, r.flags, r.status) for r in answer.remarks.all()] == [
        ("keep", "The kind staff", "", "waiting")
    ]
    assert answer.flagged is False  # type: ignore[attr-defined]


def test_never_used_is_refused_with_a_clear_message(member: Membership, subject: Subject) -> None:
    with pytest.raises(services.NotUsed) as refused:
        give(member, subject)
    assert "only about services you have used" in refused.value.message
    assert isinstance(refused.value, ServiceError) and isinstance(refused.value, ValidationError)
    assert not Answer.objects.exists()


def test_a_use_of_another_service_is_not_enough(
    member: Membership, subject: Subject, partnership: Any, fake_source: FakeSource
) -> None:
    other = make_subject(partnership, "Housing advice", fake=fake_source)
    fake_source.use(member, other)
    with pytest.raises(services.NotUsed):
        give(member, subject)
    assert give(member, other).subject_id == other.pk


def test_an_offer_is_enough(member: Membership, subject: Subject) -> None:
    offer = Offer.objects.create(
        partnership_id=member.partnership_id, user=member.user, subject=subject, moment="left", use_key="x:1"
    )
    answer = give(member, subject, offer_id=offer.pk)
    offer.refresh_from_db()
    assert answer.offer_id == offer.pk and offer.answered_at is not None


def test_someone_elses_offer_is_not_found(member_who_used: Membership, subject: Subject, partnership: Any) -> None:
    other = MembershipFactory(partnership=partnership, is_member=True)
    offer = Offer.objects.create(
        partnership_id=partnership.pk, user=other.user, subject=subject, moment="left", use_key="x:1"
    )
    with pytest.raises(NotPermitted):
        give(member_who_used, subject, offer_id=offer.pk)


def test_a_second_answer_in_the_month_names_the_first(member_who_used: Membership, subject: Subject) -> None:
    first = give(member_who_used, subject)
    with pytest.raises(services.AlreadyAnswered) as refused:
        give(member_who_used, subject, scores=scores(1), change="Everything")
    assert subject.name in refused.value.message
    assert f"{first.created_at:%-d}" in refused.value.message
    assert "withdraw" in refused.value.message
    assert Answer.objects.count() == 1 and not Remark.objects.exists()


def test_answered_last_month_she_answers_again(member_who_used: Membership, subject: Subject) -> None:
    give(member_who_used, subject)
    Answer.objects.update(period=dt.date(2020, 1, 1))
    give(member_who_used, subject)
    assert Answer.objects.count() == 2


def test_the_constraint_catches_what_the_check_did_not_see(member_who_used: Membership, subject: Subject) -> None:
    """Two tabs: the first answer lands between the second's check and its insert. Only the constraint can
    refuse it; the service turns that into the same clear message."""
    from unittest import mock

    from coproduce.evaluation.services import _common

    give(member_who_used, subject)
    real = _common.already_answered
    calls = {"n": 0}

    def blind_first_time(**kwargs: Any) -> None:
        calls["n"] += 1
        if calls["n"] > 1:
            real(**kwargs)

    with mock.patch.object(_common, "already_answered", blind_first_time), pytest.raises(services.AlreadyAnswered):
        give(member_who_used, subject)
    assert calls["n"] == 2
    assert Answer.objects.count() == 1


@pytest.mark.parametrize(
    ("bad", "field"),
    [({"listened": 6}, "listened"), ({"respect": 0}, "respect"), ({"had_say": "4"}, "had_say")],
)
def test_bad_scores_are_refused(member_who_used: Membership, subject: Subject, bad: Any, field: str) -> None:
    with pytest.raises(ServiceError) as refused:
        give(member_who_used, subject, scores={**scores(3), **bad})
    assert refused.value.field == field
    assert not Answer.objects.exists()


def test_an_unknown_statement_is_refused(member_who_used: Membership, subject: Subject) -> None:
    with pytest.raises(ServiceError):
        give(member_who_used, subject, scores={**scores(3), "happiness": 5})


def test_an_empty_answer_is_refused(member_who_used: Membership, subject: Subject) -> None:
    with pytest.raises(ServiceError) as refused:
        give(member_who_used, subject, scores=scores(None), keep="   ")
    assert refused.value.code == "empty"
    # Rather not say to all six, but words: kept.
    answer = give(member_who_used, subject, scores=scores(None), change="Later opening hours")
    assert answer.remarks.get().kind == "change"


def test_too_long_text_is_refused(member_who_used: Membership, subject: Subject) -> None:
    with pytest.raises(ServiceError) as refused:
        give(member_who_used, subject, keep="x" * 2001)
    assert refused.value.field == "keep"


def test_a_phone_number_or_email_is_saved_and_flagged(member_who_used: Membership, subject: Subject) -> None:
    answer = give(
        member_who_used,
        subject,
        keep="Sarah was great, ring her on 07700 900123",
        change="email me at jo@example.org",
    )
    assert answer.flagged is True  # type: ignore[attr-defined]
    flags = dict(Remark.objects.values_list("kind", "flags"))
    assert flags == {"keep": "phone", "change": "email"}
    assert Remark.objects.filter(status="waiting").count() == 2  # nothing lost, nothing shown yet


def test_answers_to_the_coordinators_questions(member_who_used: Membership, subject: Subject) -> None:
    scale = Question.objects.create(subject=subject, text="Was the room warm?", position=1)
    words = Question.objects.create(subject=subject, text="What one thing?", position=2, kind="text")
    answer = give(member_who_used, subject, question_answers={scale.pk: 2, words.pk: "More chairs"})
    assert list(QuestionAnswer.objects.values_list("question_id", "score")) == [(scale.pk, 2)]
    remark = answer.remarks.get()
    assert (remark.kind, remark.question_id, remark.text) == ("question", words.pk, "More chairs")


def test_a_retired_or_foreign_question_is_refused(
    member_who_used: Membership, subject: Subject, partnership: Any
) -> None:
    from django.utils import timezone

    retired = Question.objects.create(subject=subject, text="Old", position=1, retired_at=timezone.now())
    elsewhere = Question.objects.create(subject=make_subject(partnership, "Other"), text="Q", position=1)
    for question in (retired, elsewhere):
        with pytest.raises(ServiceError) as refused:
            give(member_who_used, subject, question_answers={question.pk: 3})
        assert refused.value.field == f"question_{question.pk}"
    bad_score = Question.objects.create(subject=subject, text="Warm?", position=2)
    with pytest.raises(ServiceError):
        give(member_who_used, subject, question_answers={bad_score.pk: 9})
    assert not Answer.objects.exists()


def test_only_members_answer(request: pytest.FixtureRequest, subject: Subject, fake_source: FakeSource) -> None:
    for role in ("worker", "coordinator", "partner_lead", "observer"):
        person = request.getfixturevalue(role)
        fake_source.use(person, subject)
        with pytest.raises(NotPermitted):
            give(person, subject)


def test_a_subject_of_another_partnership_is_not_found(outsider: Membership, subject: Subject) -> None:
    with pytest.raises(NotPermitted):
        give(outsider, subject)


def test_answering_clears_her_waiting_offers_for_it(member_who_used: Membership, subject: Subject) -> None:
    Offer.objects.create(
        partnership_id=subject.partnership_id, user=member_who_used.user, subject=subject, moment="left", use_key="a"
    )
    give(member_who_used, subject)
    assert not selectors.offers_waiting(member_who_used).exists()


def test_the_audit_says_nothing_of_the_service_or_the_words(member_who_used: Membership, subject: Subject) -> None:
    answer = give(member_who_used, subject, keep="SECRET WORDS")
    services.answer_withdraw(actor=member_who_used, answer_id=answer.pk)
    events = AuditEvent.objects.filter(action__startswith="evaluation.answer_")
    assert [e.action for e in events.order_by("pk")] == ["evaluation.answer_given", "evaluation.answer_withdrawn"]
    for event in events:
        text = f"{event.target_type} {event.target_id} {event.target_label} {event.detail}"
        assert "SECRET" not in text and subject.name not in text and str(subject.pk) not in event.target_id
        assert event.target_type == ""


# --- withdrawing ----------------------------------------------------------------------------------------


def test_withdrawing_deletes_it_from_every_figure(
    member_who_used: Membership, subject: Subject, partnership: Any, fake_source: FakeSource
) -> None:
    others = [MembershipFactory(partnership=partnership, is_member=True) for _ in range(4)]
    for other in others:
        fake_source.use(other, subject)
        give(other, subject, scores=scores(2))
    mine = give(
        member_who_used,
        subject,
        scores=scores(5),
        keep="words",
        question_answers={Question.objects.create(subject=subject, text="Q", position=1).pk: 5},
    )
    figures = Answer.objects.filter(subject=subject).aggregate(n=Count("id"), mean=Avg("listened"))
    assert figures == {"n": 5, "mean": pytest.approx(2.6)}
    services.answer_withdraw(actor=member_who_used, answer_id=mine.pk)
    figures = Answer.objects.filter(subject=subject).aggregate(n=Count("id"), mean=Avg("listened"))
    assert figures == {"n": 4, "mean": 2.0}
    assert not Remark.objects.exists() and not QuestionAnswer.objects.exists()
    # ... and she may answer again this month.
    give(member_who_used, subject)


def test_only_her_own_answer_is_withdrawn(
    member_who_used: Membership, subject: Subject, coordinator: Membership, partnership: Any
) -> None:
    answer = give(member_who_used, subject)
    other = MembershipFactory(partnership=partnership, is_member=True)
    for actor in (other, coordinator):
        with pytest.raises(NotPermitted):
            services.answer_withdraw(actor=actor, answer_id=answer.pk)
    services.answer_withdraw(actor=member_who_used, answer_id=answer.pk)
    with pytest.raises(NotPermitted):  # twice: gone
        services.answer_withdraw(actor=member_who_used, answer_id=answer.pk)


def test_my_answers_are_hers_alone(member_who_used: Membership, subject: Subject, partnership: Any) -> None:
    mine = give(member_who_used, subject, keep="mine")
    other = MembershipFactory(partnership=partnership, is_member=True)
    assert list(selectors.my_answers(member_who_used)) == [mine]
    assert list(selectors.my_answers(other)) == []
    assert selectors.my_answer(member_who_used, mine.pk) == mine
    with pytest.raises(NotPermitted):
        selectors.my_answer(other, mine.pk)


def test_subjects_used_come_from_uses_and_offers(
    member_who_used: Membership, subject: Subject, partnership: Any, fake_source: FakeSource
) -> None:
    offered = make_subject(partnership, "A — offered", fake=fake_source)
    make_subject(partnership, "Never used", fake=fake_source)
    retired = make_subject(partnership, "Closed", fake=fake_source, active=False)
    fake_source.use(member_who_used, retired)
    Offer.objects.create(
        partnership=partnership, user=member_who_used.user, subject=offered, moment="attended", use_key="u"
    )
    give(member_who_used, subject)
    used = selectors.subjects_used(member_who_used)
    assert [(s.name, s.__dict__["answered_this_month"]) for s in used] == [("A — offered", False), (subject.name, True)]
    assert selectors.subjects_used(MembershipFactory(partnership=partnership, is_member=True)) == []


def test_subject_lookups_stay_in_the_partnership(member: Membership, outsider: Membership, subject: Subject) -> None:
    assert selectors.subject_for(member, subject.pk) == subject
    with pytest.raises(NotPermitted):
        selectors.subject_for(outsider, subject.pk)
    assert list(selectors.subjects_in(member)) == [subject]
    assert list(selectors.subjects_in(outsider)) == []
