"""Evaluation's My data, leaving, erasure and retention."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db.models import Count
from django.utils import timezone

from coproduce.evaluation import services
from coproduce.evaluation.departure import DEPARTURE
from coproduce.evaluation.models import (
    Answer,
    HealthCheck,
    HealthRating,
    HealthReply,
    Offer,
    PanelComment,
    PanelMember,
    Question,
    QuestionAnswer,
    Remark,
    Review,
    Subject,
)
from coproduce.evaluation.personal_data import TABLES, evaluation_export
from coproduce.evaluation.retention import purge_hidden_remarks, purge_offers
from coproduce.partnerships.models import Membership
from coproduce.partnerships.personal_data import Fate, retention_kinds
from tests.evaluation.conftest import scores
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def her_world(member: Membership, subject: Subject, coordinator: Membership, mark: str) -> dict[str, Any]:
    """An answer with three remarks (one shown, one hidden, one waiting), an answer to a question, an offer,
    her place on the panel, a panel comment and a health check reply."""
    question = Question.objects.get_or_create(subject=subject, position=1, defaults={"text": "Warm?"})[0]
    answer = services.answer_give(
        actor=member,
        subject_id=subject.pk,
        scores=scores(4),
        keep=f"{mark} keep",
        change=f"{mark} change",
        question_answers={question.pk: 2},
    )
    shown, hidden = answer.remarks.order_by("id")
    Remark.objects.create(answer=answer, kind="question", question=question, text=f"{mark} waiting")
    services.remark_show(actor=coordinator, remark_id=shown.pk, shown_text=f"{mark} shown")
    services.remark_hide(actor=coordinator, remark_id=hidden.pk)
    Offer.objects.create(
        partnership_id=member.partnership_id, user=member.user, subject=subject, moment="left", use_key=f"u:{mark}"
    )
    PanelMember.objects.create(partnership_id=member.partnership_id, user=member.user)
    review = Review.objects.get_or_create(
        subject=subject,
        quarter_start=dt.date(2026, 7, 1),
        defaults={"panel_until": timezone.now() + dt.timedelta(days=3)},
    )[0]
    PanelComment.objects.create(review=review, user=member.user, text=f"{mark} comment")
    check = HealthCheck.objects.get_or_create(
        partnership_id=member.partnership_id,
        title="Spring check",
        defaults={"opens_on": timezone.localdate(), "closes_on": timezone.localdate()},
    )[0]
    reply = HealthReply.objects.create(health_check=check, user=member.user, side="member")
    HealthRating.objects.create(reply=reply, standard="impact", score=3)
    return {"answer": answer, "review": review, "check": check}


@pytest.fixture
def two(
    member_who_used: Membership, subject: Subject, coordinator: Membership, partnership: Any, fake_source: Any
) -> dict[str, Membership]:
    other = MembershipFactory(partnership=partnership, is_member=True)
    fake_source.use(other, subject)
    her_world(member_who_used, subject, coordinator, "MINE")
    her_world(other, subject, coordinator, "THEIRS")
    return {"her": member_who_used, "other": other}


def test_my_data_holds_all_of_hers_and_nothing_else(two: dict[str, Membership]) -> None:
    document = evaluation_export(two["her"])
    assert set(document) == set(TABLES)
    assert all(document[table] for table in TABLES), document
    text = str(document)
    assert "MINE" in text and "THEIRS" not in text
    assert {r["your_words"] for r in document["free_text"]} == {"MINE keep", "MINE change", "MINE waiting"}
    assert {r["shown_to_the_service"] for r in document["free_text"]} == {"MINE shown", ""}
    assert document["answers"][0]["listened"] == 4
    assert document["question_answers"][0]["score"] == 2


def test_my_data_reads_a_fixed_number_of_queries(two: dict[str, Membership], django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(len(TABLES)):
        evaluation_export(two["her"])


def test_leaving_keeps_her_answers_unlinked_and_only_shown_words(two: dict[str, Membership]) -> None:
    her, other = two["her"], two["other"]
    lines = {line.what: (line.fate, line.count) for line in DEPARTURE.leaving(her)}
    assert lines["Your answers about services"] == (Fate.ANONYMISE, 1)
    assert lines["What you wrote that the service was shown"] == (Fate.ANONYMISE, 1)
    assert lines["What you wrote that was not yet checked, or was kept back"] == (Fate.DELETE, 2)
    before = Answer.objects.count()
    DEPARTURE.leave(her)
    assert Answer.objects.count() == before  # still counted
    assert not Answer.objects.filter(user=her.user).exists()
    kept = Remark.objects.exclude(answer__user=other.user)
    assert [(r.status, r.text, r.shown_text) for r in kept] == [("shown", "MINE shown", "MINE shown")]
    assert not Offer.objects.filter(user=her.user).exists()
    assert not PanelMember.objects.filter(user=her.user).exists()
    assert PanelComment.objects.filter(user__isnull=True, text="MINE comment").exists()
    assert HealthReply.objects.filter(user__isnull=True).count() == 1
    # The other person's things are untouched.
    assert Remark.objects.filter(answer__user=other.user).count() == 3
    assert Offer.objects.filter(user=other.user).exists()


def test_erasure_deletes_hers_from_every_figure(two: dict[str, Membership]) -> None:
    her, other = two["her"], two["other"]
    lines = {line.what: (line.fate, line.count) for line in DEPARTURE.erasure(her)}
    assert lines["Your answers about services, with everything you wrote in them"] == (Fate.DELETE, 1)
    DEPARTURE.erase(her)
    assert list(Answer.objects.values_list("user_id", flat=True)) == [other.user_id]
    assert not Remark.objects.filter(text__startswith="MINE").exists()
    assert QuestionAnswer.objects.count() == 1
    assert not PanelComment.objects.filter(text="MINE comment").exists()
    assert list(HealthReply.objects.values_list("user_id", flat=True)) == [other.user_id]
    assert HealthRating.objects.count() == 1
    assert not Offer.objects.filter(user=her.user).exists()
    assert not PanelMember.objects.filter(user=her.user).exists()


def test_staff_who_leave_are_taken_off_what_they_did(two: dict[str, Membership], coordinator: Membership) -> None:
    assert Remark.objects.filter(moderated_by=coordinator.user).exists()
    DEPARTURE.leave(coordinator)
    assert not Remark.objects.filter(moderated_by=coordinator.user).exists()
    assert Remark.objects.filter(status="shown").count() == 2  # the decisions stay


def test_retention_deletes_old_offers_and_old_hidden_words(two: dict[str, Membership]) -> None:
    partnership = two["her"].partnership
    keys = {kind.key: kind for kind in retention_kinds()}
    assert keys["evaluation.offers"].default_days == 365
    assert keys["evaluation.hidden_remarks"].default_days == 730
    now = timezone.now()
    Offer.objects.filter(use_key="u:MINE").update(offered_at=now - dt.timedelta(days=400))
    Remark.objects.filter(text="MINE change").update(moderated_at=now - dt.timedelta(days=800))
    year_ago, two_years_ago = now - dt.timedelta(days=365), now - dt.timedelta(days=730)
    assert purge_offers(partnership, year_ago, True) == 1
    assert Offer.objects.count() == 2
    assert purge_offers(partnership, year_ago, False) == 1
    assert list(Offer.objects.values_list("use_key", flat=True)) == ["u:THEIRS"]
    assert purge_hidden_remarks(partnership, two_years_ago, False) == 1
    assert Remark.objects.filter(status="hidden").count() == 1
    assert Answer.objects.aggregate(n=Count("id"))["n"] == 2  # answers stay
