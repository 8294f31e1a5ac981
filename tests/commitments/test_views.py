"""The pages: the board for every role, its filters as plain GET forms, an item's review history, and a review
posted as a plain form (no JavaScript), with bad input shown on the page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from coproduce.commitments.models import CommitmentReview
from tests.commitments.conftest import award
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db
ROLES = ["member", "observer", "worker", "partner_lead", "coordinator"]
STAFF = {"worker", "partner_lead", "coordinator"}


def board_url(partnership: Any, **query: str) -> str:
    url = reverse("commitments:board", kwargs={"slug": partnership.slug})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def item_url(partnership: Any, source: str, object_id: int) -> str:
    return reverse("commitments:review", kwargs={"slug": partnership.slug, "source": source, "object_id": object_id})


@pytest.mark.parametrize("role", ROLES)
def test_everyone_in_the_partnership_sees_the_board_with_overdue_in_words(
    role: str, request: pytest.FixtureRequest, partnership: Any, one_of_each: Any
) -> None:
    actor: Any = request.getfixturevalue(role)
    page = signed_in(actor.user).get(board_url(partnership)).content.decode()
    assert "4 commitments, 1 overdue" in page
    assert ">Overdue</span>" in page
    for made in (one_of_each["adopted"].title, one_of_each["idea"].title, "Saturday football for dads"):
        assert made in page
    assert 'href="/p/riverside-test/commitments/fund.award/' in page


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_see_the_review_form(
    role: str, request: pytest.FixtureRequest, partnership: Any, one_of_each: Any
) -> None:
    actor: Any = request.getfixturevalue(role)
    page = signed_in(actor.user).get(item_url(partnership, "fund.award", one_of_each["award"].pk)).content.decode()
    assert "Saturday football for dads" in page
    assert "No review has been recorded yet." in page
    assert ("Record the review" in page) is (role in STAFF)


@pytest.mark.parametrize("role", ["member", "observer"])
def test_a_review_posted_by_someone_not_staff_is_refused(
    role: str, request: pytest.FixtureRequest, partnership: Any, one_of_each: Any
) -> None:
    actor: Any = request.getfixturevalue(role)
    response = signed_in(actor.user).post(
        item_url(partnership, "fund.award", one_of_each["award"].pk), {"what_happened": "Hm", "verdict": "keep"}
    )
    assert response.status_code == 404
    assert not CommitmentReview.objects.exists()


def test_filters_work_as_a_plain_get_form(partnership: Any, member: Any, one_of_each: Any) -> None:
    client = signed_in(member.user)
    page = client.get(board_url(partnership, kind="improvement.stopped")).content.decode()
    assert "1 commitment" in page and "The paper sign-in book" in page and "Saturday football" not in page
    assert "Clear filters" in page
    page = client.get(board_url(partnership, overdue="on")).content.decode()
    assert "1 commitment, 1 overdue" in page and "Saturday football for dads" in page
    assert one_of_each["adopted"].title not in page
    # Nonsense in the address is ignored, never an error.
    page = client.get(board_url(partnership, kind="<script>", overdue="maybe")).content.decode()
    assert "4 commitments" in page


def test_a_review_is_recorded_without_javascript_and_shown_in_the_history(
    partnership: Any, coordinator: Any, one_of_each: Any
) -> None:
    client = signed_in(coordinator.user)
    url = item_url(partnership, "fund.award", one_of_each["award"].pk)
    next_review = timezone.localdate() + timedelta(days=30)
    response = client.post(
        url,
        {
            "what_happened": "The first payment went late.",
            "verdict": "change",
            "reviewed_on": "",
            "next_review_on": next_review.strftime("%d/%m/%Y"),
        },
    )
    assert response.status_code == 302 and response["Location"] == url
    review = CommitmentReview.objects.get()
    assert (review.verdict, review.next_review_on, review.reviewed_by) == ("change", next_review, coordinator.user)
    page = client.get(url).content.decode()
    assert "The first payment went late." in page
    assert "Change it" in page
    assert f"Recorded by {coordinator.user.name}." in page


def test_bad_input_is_shown_on_the_page(partnership: Any, worker: Any, one_of_each: Any) -> None:
    url = item_url(partnership, "fund.award", one_of_each["award"].pk)
    client = signed_in(worker.user)
    page = client.post(url, {"what_happened": "", "verdict": ""}).content.decode()
    assert "Say what happened." in page and "Choose whether to keep it, change it or stop it." in page
    assert "<title>Error:" in page
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    page = client.post(url, {"what_happened": "Fine", "verdict": "keep", "reviewed_on": tomorrow}).content.decode()
    assert "The review date is in the future." in page
    assert not CommitmentReview.objects.exists()


def test_an_unknown_or_foreign_commitment_is_not_found(partnership: Any, member: Any, outsider: Any) -> None:
    other = award(outsider.partnership)
    client = signed_in(member.user)
    assert client.get(item_url(partnership, "fund.award", other.pk)).status_code == 404
    assert client.get(item_url(partnership, "no.such", 1)).status_code == 404


def test_the_nav_and_the_coordinators_attention_list_name_the_board(
    partnership: Any, coordinator: Any, member: Any, one_of_each: Any
) -> None:
    home = reverse("partnerships:home", kwargs={"slug": partnership.slug})
    page = signed_in(coordinator.user).get(home).content.decode()
    assert "1 commitment overdue" in page
    assert board_url(partnership) in page
    member_page = signed_in(member.user).get(home).content.decode()
    assert "Commitments" in member_page
    assert "commitment overdue" not in member_page
