"""The evaluation demo: a year of answers for five services with one clear improvement after a test of change, a
paper batch entered by a keyworker, the parents' panel with a review and a response, and two health checks where
staff rate "Working Together" higher than members do; loading it twice adds nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from coproduce.demo_data import load_demo
from coproduce.evaluation import demo as evaluation_demo
from coproduce.evaluation import selectors
from coproduce.evaluation.models import (
    Answer,
    HealthCheck,
    HealthReply,
    Offer,
    PanelComment,
    PanelMember,
    Remark,
    Response,
    Review,
    Subject,
)
from coproduce.evaluation.selectors import health as health_selectors
from coproduce.improvement import api as improvement_api
from coproduce.partnerships.demo import DEMO_SLUG
from coproduce.partnerships.models import Membership

pytestmark = pytest.mark.django_db

MODELS = (Answer, Remark, Offer, PanelMember, Review, PanelComment, Response, HealthCheck, HealthReply)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def member(key: str) -> Membership:
    return Membership.objects.get(partnership__slug=DEMO_SLUG, user__email=f"{key}@riverside.example")


def test_the_demo_tells_each_story_and_loads_twice_the_same(django_capture_on_commit_callbacks: Any) -> None:
    """One test (the whole demo takes a while to load): each story below, after loading it twice."""
    with django_capture_on_commit_callbacks(execute=True):
        load_demo()
    first = counts()
    with django_capture_on_commit_callbacks(execute=True):
        load_demo()
    assert counts() == first
    assert first["Answer"] > 300
    a_year_of_answers_for_five_services()
    the_childcare_test_of_change_shows_a_clear_rise()
    a_paper_batch_and_a_read_out_answer_entered_by_jamie()
    aisha_can_see_her_answer_and_gemmas_words_wait_for_morag()
    the_panel_reviewed_and_little_steps_promised()
    staff_rate_working_together_higher_than_members_in_both_checks()


def a_year_of_answers_for_five_services() -> None:
    today = timezone.localdate()
    for name in evaluation_demo.LEVELS:
        months = set(Answer.objects.filter(subject__name=name).values_list("period", flat=True))
        assert len(months) >= 12, name
    first = Answer.objects.order_by("period").values_list("period", flat=True).first()
    assert first is not None and (today.year - first.year) * 12 + today.month - first.month == 12


def the_childcare_test_of_change_shows_a_clear_rise() -> None:
    morag = member("morag")
    childcare = Subject.objects.get(partnership__slug=DEMO_SLUG, name=evaluation_demo.CHILDCARE)
    results = selectors.subject_results(morag, childcare.pk, quarter=selectors.quarter_of(timezone.localdate()))
    fitted = next(s for s in results.statements if s.key == "fitted")
    assert fitted.chart.rising  # a shift upwards: six or more months above the median at the end
    points = [p.mean for p in fitted.chart.points]
    assert sum(points[-6:]) / 6 - sum(points[:6]) / 6 > 1
    [test] = [t for t in improvement_api.tests_visible_to(morag) if t.title == evaluation_demo.TEST_TITLE]
    assert test.stage == "Plan"


def a_paper_batch_and_a_read_out_answer_entered_by_jamie() -> None:
    paper = Answer.objects.filter(paper_ref__startswith="PM-", mode=Answer.Mode.PAPER)
    assert paper.count() == 6
    assert set(paper.values_list("user", flat=True)) == {None}
    assert set(paper.values_list("entered_by__email", flat=True)) == {"jamie@riverside.example"}
    read_out = Answer.objects.get(mode=Answer.Mode.READ_OUT, user__email="chloe@riverside.example")
    assert read_out.entered_by is not None
    assert read_out.entered_by.email == "jamie@riverside.example"


def aisha_can_see_her_answer_and_gemmas_words_wait_for_morag() -> None:
    assert [a.subject.name for a in selectors.my_answers(member("aisha"))] == [evaluation_demo.COURSE]
    flagged = Remark.objects.get(answer__user__email="gemma@riverside.example")
    assert flagged.status == Remark.Status.WAITING
    assert "phone" in flagged.flags
    assert Offer.objects.filter(user__email="aisha@riverside.example", answered_at__isnull=True).exists()


def the_panel_reviewed_and_little_steps_promised() -> None:
    assert PanelMember.objects.count() == len(evaluation_demo.PANEL)
    response = Response.objects.get()
    assert response.promise and response.promise_due is not None
    assert response.review.subject.name == evaluation_demo.CHILDCARE
    assert PanelComment.objects.filter(review__released_at__isnull=True).count() == 1


def staff_rate_working_together_higher_than_members_in_both_checks() -> None:
    morag = member("morag")
    checks = HealthCheck.objects.filter(partnership__slug=DEMO_SLUG)
    assert checks.count() == 2
    for check in checks:
        results = health_selectors.health_results(morag, check.pk)
        assert results.ready
        [row] = [r for r in results.rows if r.standard.key == "working_together"]
        assert row.staff.mean is not None and row.members.mean is not None
        assert row.staff.mean > row.members.mean
