"""The parents' panel's pages, for every role: joining and leaving; a review for the panel (comment while it
is theirs), for the service's staff (respond once it is theirs), for coordinators (release early, hide a
comment); the errors shown beside the fields; the service's results page and the evaluation home page."""

from __future__ import annotations

import html
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coproduce.evaluation.models import PanelComment, PanelMember, Response, Review
from tests.conftest import signed_in
from tests.evaluation.panel_support import make_answers, make_review, make_subject, panel_member
from tests.factories import MembershipFactory, staff_membership

pytestmark = pytest.mark.django_db


def url(name: str, partnership: Any, **kwargs: Any) -> str:
    return reverse(f"evaluation:{name}", kwargs={"slug": partnership.slug, **kwargs})


@pytest.fixture
def world(partnership: Any) -> dict[str, Any]:
    worker = staff_membership(partnership, role="worker")
    subject = make_subject(partnership, worker.organisation, "Job club")
    quarter = timezone.localdate().replace(day=1)
    quarter = quarter.replace(month=(quarter.month - 1) // 3 * 3 + 1)
    make_answers(subject, quarter, 6)
    return {
        "worker": worker,
        "lead": staff_membership(partnership, role="partner_lead", organisation=worker.organisation),
        "other_lead": staff_membership(partnership, role="partner_lead"),
        "coordinator": staff_membership(partnership, role="coordinator"),
        "member": MembershipFactory(partnership=partnership, is_member=True),
        "observer": MembershipFactory(partnership=partnership, is_member=False, is_observer=True),
        "panel": panel_member(partnership, "Aisha"),
        "subject": subject,
        "quarter": quarter,
    }


def read(response: Any) -> str:
    """The page as a person reads it (&#x27; turned back into an apostrophe)."""
    return html.unescape(response.content.decode())


def client(world: dict[str, Any], who: str) -> Client:
    return signed_in(world[who].user)


# --- the panel page -----------------------------------------------------------------------------------------


def test_a_member_joins_and_leaves_the_panel_from_its_page(world: dict[str, Any], partnership: Any) -> None:
    browser = client(world, "member")
    page = browser.get(url("panel", partnership))
    assert "Join the parents' panel" in read(page)
    joined = browser.post(url("panel", partnership), {"action": "join"}, follow=True)
    assert "You are on the parents' panel" in read(joined)
    assert PanelMember.objects.filter(user=world["member"].user).exists()
    assert "Leave the parents' panel" in read(joined)
    browser.post(url("panel", partnership), {"action": "leave"})
    assert not PanelMember.objects.filter(user=world["member"].user).exists()


@pytest.mark.parametrize("who", ["observer", "worker", "coordinator"])
def test_only_members_join(world: dict[str, Any], partnership: Any, who: str) -> None:
    browser = client(world, who)
    assert "Join the parents" not in read(browser.get(url("panel", partnership)))
    assert browser.post(url("panel", partnership), {"action": "join"}).status_code == 404
    assert PanelMember.objects.count() == 1  # Aisha


def test_the_panel_and_coordinators_see_every_review_open_ones_first(world: dict[str, Any], partnership: Any) -> None:
    done = make_review(world["subject"], quarter_start=date(2026, 1, 1), released=True)
    reading = make_review(make_subject(partnership, world["other_lead"].organisation, "Drop-in"))
    for who in ("panel", "coordinator"):
        body = read(client(world, who).get(url("panel", partnership)))
        assert body.index(url("review", partnership, review_id=reading.pk)) < body.index(
            url("review", partnership, review_id=done.pk)
        )
        assert "the panel is reading these until" in body
    worker = read(client(world, "worker").get(url("panel", partnership)))
    assert url("review", partnership, review_id=done.pk) in worker
    assert url("review", partnership, review_id=reading.pk) not in worker  # not hers, and not released
    member = read(client(world, "member").get(url("panel", partnership)))
    assert "/reviews/" not in member


# --- a review: who sees it ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("panel", 200),
        ("coordinator", 200),
        ("worker", 404),
        ("lead", 404),
        ("other_lead", 404),
        ("member", 404),
        ("observer", 404),
    ],
)
def test_while_the_panel_reads_a_review_only_they_and_coordinators_see_it(
    world: dict[str, Any], partnership: Any, who: str, status: int
) -> None:
    review = make_review(world["subject"], quarter_start=world["quarter"])
    assert client(world, who).get(url("review", partnership, review_id=review.pk)).status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("panel", 200),
        ("coordinator", 200),
        ("worker", 200),
        ("lead", 200),
        ("other_lead", 404),
        ("member", 404),
        ("observer", 404),
    ],
)
def test_once_released_the_service_s_staff_see_it(
    world: dict[str, Any], partnership: Any, who: str, status: int
) -> None:
    review = make_review(world["subject"], quarter_start=world["quarter"], released=True)
    assert client(world, who).get(url("review", partnership, review_id=review.pk)).status_code == status


def test_the_review_shows_the_quarter_s_results_by_the_small_groups_rule(
    world: dict[str, Any], partnership: Any
) -> None:
    review = make_review(world["subject"], quarter_start=world["quarter"])
    body = read(client(world, "panel").get(url("review", partnership, review_id=review.pk)))
    assert "groups of at least 5 answers" in body
    assert "<td>4.0</td>" in body
    # a service with fewer than five answers shows no figure
    small = make_subject(partnership, world["other_lead"].organisation, "Drop-in")
    make_answers(small, world["quarter"], 3, score=2)
    small_review = make_review(small, quarter_start=world["quarter"])
    body = read(client(world, "panel").get(url("review", partnership, review_id=small_review.pk)))
    assert "too few answers in the quarter" in body
    assert "<td>2.0</td>" not in body


# --- a review: comments ---------------------------------------------------------------------------------------


def test_a_panel_member_comments_and_the_service_reads_it_without_her_name(
    world: dict[str, Any], partnership: Any
) -> None:
    review = make_review(world["subject"], quarter_start=world["quarter"])
    address = url("review", partnership, review_id=review.pk)
    panel = client(world, "panel")
    assert "Add my comment" in read(panel.get(address))
    answered = panel.post(address, {"action": "comment", "comment-text": "The 9am start is hard."}, follow=True)
    assert "Your comment is added" in read(answered)
    assert "You," in read(answered)
    client(world, "coordinator").post(address, {"action": "release"})
    staff = read(client(world, "worker").get(address))
    assert "The 9am start is hard." in staff
    assert "A member of the parents' panel" in staff
    assert "Aisha" not in staff
    assert "Add my comment" not in read(panel.get(address))  # the panel's time is over


def test_an_empty_comment_is_shown_beside_the_field(world: dict[str, Any], partnership: Any) -> None:
    review = make_review(world["subject"], quarter_start=world["quarter"])
    page = client(world, "panel").post(
        url("review", partnership, review_id=review.pk), {"action": "comment", "comment-text": "  "}
    )
    assert page.status_code == 200
    body = read(page)
    assert "There is a problem" in body and 'href="#id_comment-text"' in body
    assert not PanelComment.objects.exists()


@pytest.mark.parametrize("who", ["coordinator", "worker"])
def test_only_the_panel_comments(world: dict[str, Any], partnership: Any, who: str) -> None:
    review = make_review(world["subject"], quarter_start=world["quarter"], released=who == "worker")
    answer = client(world, who).post(
        url("review", partnership, review_id=review.pk), {"action": "comment", "comment-text": "Hello"}
    )
    assert answer.status_code == 404
    assert not PanelComment.objects.exists()


def test_a_coordinator_hides_a_comment(world: dict[str, Any], partnership: Any) -> None:
    review = make_review(world["subject"], quarter_start=world["quarter"], released=True)
    comment = PanelComment.objects.create(review=review, user=world["panel"].user, text="Sarah was rude")
    address = url("review", partnership, review_id=review.pk)
    assert client(world, "worker").post(address, {"action": "hide", "comment": comment.pk}).status_code == 404
    client(world, "coordinator").post(address, {"action": "hide", "comment": comment.pk})
    comment.refresh_from_db()
    assert comment.hidden_at is not None
    assert "Sarah was rude" not in read(client(world, "worker").get(address))
    assert "only coordinators see it" in read(client(world, "coordinator").get(address))


# --- a review: releasing and responding -------------------------------------------------------------------------


def test_only_a_coordinator_releases_early(world: dict[str, Any], partnership: Any) -> None:
    review = make_review(world["subject"], quarter_start=world["quarter"])
    address = url("review", partnership, review_id=review.pk)
    assert "Release to the service now" not in read(client(world, "panel").get(address))
    assert client(world, "panel").post(address, {"action": "release"}).status_code == 404
    assert Review.objects.get().released_at is None
    assert "Release to the service now" in read(client(world, "coordinator").get(address))
    client(world, "coordinator").post(address, {"action": "release"})
    assert Review.objects.get().released_at is not None


def test_staff_respond_after_the_panel_with_a_promise(world: dict[str, Any], partnership: Any) -> None:
    review = make_review(world["subject"], quarter_start=world["quarter"], released=True)
    address = url("review", partnership, review_id=review.pk)
    lead = client(world, "lead")
    assert "Write the service's response" in read(lead.get(address))
    due = timezone.localdate() + timedelta(days=30)
    page = lead.post(
        address,
        {
            "action": "respond",
            "response-text": "We will try a later start.",
            "response-promise": "Start at 10am",
            "response-promise_due": due.isoformat(),
        },
        follow=True,
    )
    body = read(page)
    assert "Your response is published" in body
    assert "Start at 10am" in body
    assert Response.objects.get().promise_due == due
    lead.post(address, {"action": "done"})
    assert Response.objects.get().done_at is not None


def test_a_promise_without_a_date_is_shown_beside_the_date(world: dict[str, Any], partnership: Any) -> None:
    review = make_review(world["subject"], quarter_start=world["quarter"], released=True)
    page = client(world, "worker").post(
        url("review", partnership, review_id=review.pk),
        {"action": "respond", "response-text": "Thanks", "response-promise": "Start at 10am"},
    )
    body = read(page)
    assert page.status_code == 200
    assert "Say by when you will do it." in body and 'href="#id_response-promise_due"' in body
    assert not Response.objects.exists()


def test_staff_cannot_respond_while_the_panel_reads(world: dict[str, Any], partnership: Any) -> None:
    review = make_review(world["subject"], quarter_start=world["quarter"])
    address = url("review", partnership, review_id=review.pk)
    assert "Write the service" not in read(client(world, "coordinator").get(address))
    answer = client(world, "coordinator").post(address, {"action": "respond", "response-text": "Early"})
    assert answer.status_code == 404
    assert not Response.objects.exists()


# --- the other pages the panel fills ------------------------------------------------------------------------------


def test_the_service_s_results_page_shows_the_review_and_the_response(world: dict[str, Any], partnership: Any) -> None:
    review = make_review(world["subject"], quarter_start=world["quarter"], released=True)
    PanelComment.objects.create(review=review, user=world["panel"].user, text="Friendly staff")
    Response.objects.create(review=review, text="Thank you, we are glad.", organisation=world["worker"].organisation)
    body = client(world, "worker").get(url("subject-results", partnership, subject_id=world["subject"].pk))
    text = read(body)
    assert "Friendly staff" in text and "Thank you, we are glad." in text
    assert "A member of the parents' panel" in text


def test_everyone_reads_the_published_responses_on_the_evaluation_home_page(
    world: dict[str, Any], partnership: Any
) -> None:
    review = make_review(world["subject"], quarter_start=world["quarter"], released=True)
    Response.objects.create(
        review=review,
        text="We moved the job club to the afternoon.",
        promise="Try a Saturday session",
        promise_due=timezone.localdate() + timedelta(days=20),
        organisation=world["worker"].organisation,
    )
    for who in ("observer", "member", "other_lead"):
        body = read(client(world, who).get(url("index", partnership)))
        assert "You said, they did" in body
        assert "We moved the job club to the afternoon." in body
        assert "Try a Saturday session" in body


def test_the_commitments_board_shows_the_service_s_promise(world: dict[str, Any], partnership: Any) -> None:
    review = make_review(world["subject"], quarter_start=world["quarter"], released=True)
    due = timezone.localdate() + timedelta(days=30)
    client(world, "worker").post(
        url("review", partnership, review_id=review.pk),
        {
            "action": "respond",
            "response-text": "We will try a later start.",
            "response-promise": "Start the job club at 10am",
            "response-promise_due": due.isoformat(),
        },
    )
    board = read(client(world, "member").get(reverse("commitments:board", kwargs={"slug": partnership.slug})))
    assert "Start the job club at 10am" in board
    assert "What services said they will do" in board
    assert world["worker"].organisation.name in board
