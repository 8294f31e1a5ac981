"""The health check's pages, as each role: the list (a coordinator opens a check there), giving one's view,
and the results with members and staff side by side beside the equal-voice figures."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coproduce.evaluation.instrument import STANDARD_KEYS, STANDARDS
from coproduce.evaluation.models import HealthCheck, HealthReply
from coproduce.evaluation.services import health as services
from coproduce.partnerships.models import Membership, Partnership
from tests.conftest import signed_in
from tests.factories import MembershipFactory, staff_membership

pytestmark = pytest.mark.django_db


def url(partnership: Partnership, name: str, **kwargs: int) -> str:
    return reverse(f"evaluation:{name}", kwargs={"slug": partnership.slug, **kwargs})


def open_today(coordinator: Membership) -> HealthCheck:
    today = timezone.localdate()
    return services.health_check_open(
        actor=coordinator, title="Spring check", opens_on=today, closes_on=today + timedelta(days=14)
    )


def closed_check(coordinator: Membership, member_score: int, staff_score: int, *, staff_count: int = 5) -> HealthCheck:
    """A check that closed yesterday, answered by five members and ``staff_count`` staff."""
    opens = timezone.localdate() - timedelta(days=15)
    check = services.health_check_open(
        actor=coordinator, title="Autumn check", opens_on=opens, closes_on=opens + timedelta(days=14), today=opens
    )
    partnership = coordinator.partnership
    people = [MembershipFactory(partnership=partnership, is_member=True) for _ in range(5)]
    people += [staff_membership(partnership, role="worker") for _ in range(staff_count)]
    for person in people:
        score = staff_score if person.is_staff_role else member_score
        services.health_answer(actor=person, check_id=check.pk, scores=dict.fromkeys(STANDARD_KEYS, score), today=opens)
    return check


def answers(score: str = "4") -> dict[str, str]:
    return dict.fromkeys(STANDARD_KEYS, score)


# --- the list, and opening a check ------------------------------------------------------------------------


def test_a_coordinator_sees_the_form_with_a_default_name_and_two_weeks(
    partnership: Partnership, coordinator: Membership
) -> None:
    html = signed_in(coordinator.user).get(url(partnership, "health")).content.decode()
    today = timezone.localdate()
    assert "Open a health check" in html
    assert 'value="Partnership health check, spring 2027"' in html
    assert f'value="{today:%Y-%m-%d}"' in html
    assert f'value="{today + timedelta(days=14):%Y-%m-%d}"' in html
    assert "There has not been one yet." in html
    assert "twice a year" in html


def test_the_form_says_when_the_last_check_was(partnership: Partnership, coordinator: Membership) -> None:
    check = closed_check(coordinator, 3, 4)
    html = signed_in(coordinator.user).get(url(partnership, "health")).content.decode()
    assert f"The last one, “Autumn check”, opened on {check.opens_on.day} {check.opens_on:%B %Y}." in html
    assert url(partnership, "health-results", check_id=check.pk) in html


def test_a_coordinator_opens_a_check(partnership: Partnership, coordinator: Membership) -> None:
    today = timezone.localdate()
    response = signed_in(coordinator.user).post(
        url(partnership, "health"),
        {
            "title": "Spring check",
            "opens_on": f"{today:%d/%m/%Y}",
            "closes_on": f"{today + timedelta(days=10):%Y-%m-%d}",
        },
        follow=True,
    )
    assert "“Spring check” is open." in response.content.decode()
    check = HealthCheck.objects.get()
    assert (check.title, check.opens_on, check.closes_on) == ("Spring check", today, today + timedelta(days=10))


def test_an_overlapping_check_is_refused_on_the_form(partnership: Partnership, coordinator: Membership) -> None:
    open_today(coordinator)
    today = timezone.localdate()
    response = signed_in(coordinator.user).post(
        url(partnership, "health"),
        {
            "title": "Another",
            "opens_on": f"{today + timedelta(days=3):%Y-%m-%d}",
            "closes_on": f"{today + timedelta(days=20):%Y-%m-%d}",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and 'href="#id_opens_on"' in html
    assert "Choose days after it closes." in html
    assert HealthCheck.objects.count() == 1


@pytest.mark.parametrize("role", ["member", "observer", "worker", "partner_lead"])
def test_only_coordinators_see_the_form_and_may_open(
    partnership: Partnership, role: str, request: pytest.FixtureRequest
) -> None:
    person = request.getfixturevalue(role)
    client = signed_in(person.user)
    html = client.get(url(partnership, "health")).content.decode()
    assert "Open a health check" not in html
    today = timezone.localdate()
    response = client.post(
        url(partnership, "health"),
        {"title": "Mine", "opens_on": f"{today:%Y-%m-%d}", "closes_on": f"{today + timedelta(days=3):%Y-%m-%d}"},
    )
    assert response.status_code == 404
    assert not HealthCheck.objects.exists()


@pytest.mark.parametrize(
    ("role", "button"), [("member", True), ("worker", True), ("partner_lead", True), ("observer", False)]
)
def test_an_open_check_invites_those_taking_part(
    partnership: Partnership, coordinator: Membership, role: str, button: bool, request: pytest.FixtureRequest
) -> None:
    check = open_today(coordinator)
    html = signed_in(request.getfixturevalue(role).user).get(url(partnership, "health")).content.decode()
    assert (url(partnership, "health-answer", check_id=check.pk) in html) is button
    assert "Open now" in html


# --- giving one's view ------------------------------------------------------------------------------------


def test_the_form_asks_each_standard_in_its_own_group(
    partnership: Partnership, coordinator: Membership, member: Membership
) -> None:
    check = open_today(coordinator)
    html = signed_in(member.user).get(url(partnership, "health-answer", check_id=check.pk)).content.decode()
    assert html.count("<fieldset") == len(STANDARDS)
    for standard in STANDARDS:
        assert f"<legend>{standard.name}</legend>" in html
        assert str(standard.text) in html
    assert html.count("I’d rather not say") == len(STANDARDS)
    assert "Nobody sees who said what" in html
    assert "Your answers count with the members’." in html


def test_staff_are_told_they_count_with_the_staff(partnership: Partnership, coordinator: Membership) -> None:
    check = open_today(coordinator)
    both = staff_membership(partnership, role="worker", is_member=True)
    html = signed_in(both.user).get(url(partnership, "health-answer", check_id=check.pk)).content.decode()
    assert "You hold a staff role, so your answers count with the staff’s." in html


@pytest.mark.parametrize(
    ("role", "side"), [("member", "member"), ("worker", "staff"), ("partner_lead", "staff"), ("coordinator", "staff")]
)
def test_each_person_taking_part_answers_once(
    partnership: Partnership, coordinator: Membership, role: str, side: str, request: pytest.FixtureRequest
) -> None:
    check = open_today(coordinator)
    client = signed_in(request.getfixturevalue(role).user)
    address = url(partnership, "health-answer", check_id=check.pk)
    response = client.post(address, {**answers("4"), "impact": "none"}, follow=True)
    assert "Thank you. Your view is counted." in response.content.decode()
    reply = HealthReply.objects.get()
    assert reply.side == side
    assert reply.ratings.get(standard="impact").score is None
    # the back button, or a second tab: nothing more is saved, and she is told why
    again = client.post(address, answers("1"), follow=True)
    assert "already given your view" in again.content.decode()
    assert HealthReply.objects.count() == 1
    assert "You have given your view. Thank you." in client.get(url(partnership, "health")).content.decode()


def test_a_missing_answer_is_named_and_linked(
    partnership: Partnership, coordinator: Membership, member: Membership
) -> None:
    check = open_today(coordinator)
    data = answers("4")
    del data["planning"]
    response = signed_in(member.user).post(url(partnership, "health-answer", check_id=check.pk), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_planning_0"' in html
    assert "Choose an answer, or “I’d rather not say”." in html
    assert not HealthReply.objects.exists()


def test_observers_cannot_answer(partnership: Partnership, coordinator: Membership, observer: Membership) -> None:
    check = open_today(coordinator)
    response = signed_in(observer.user).post(url(partnership, "health-answer", check_id=check.pk), answers())
    assert response.status_code == 404
    assert not HealthReply.objects.exists()


def test_a_closed_check_sends_people_to_its_results(
    partnership: Partnership, coordinator: Membership, member: Membership
) -> None:
    check = closed_check(coordinator, 3, 4)
    response = signed_in(member.user).get(url(partnership, "health-answer", check_id=check.pk))
    assert response.status_code == 302
    assert response["Location"] == url(partnership, "health-results", check_id=check.pk)


# --- the results ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["member", "observer", "worker", "partner_lead", "coordinator"])
def test_everyone_reads_the_results_side_by_side(
    partnership: Partnership, coordinator: Membership, role: str, request: pytest.FixtureRequest
) -> None:
    check = closed_check(coordinator, 3, 4)
    html = (
        signed_in(request.getfixturevalue(role).user)
        .get(url(partnership, "health-results", check_id=check.pk))
        .content.decode()
    )
    assert html.count("Staff rate this higher than members do, by 1.0.") == len(STANDARDS)
    assert html.count(">Gap</strong>") == len(STANDARDS)  # in words, not by colour alone
    assert "3.0 out of 5" in html and "4.0 out of 5" in html
    assert "at least 5 people on that side" in html
    assert reverse("voice:equal-voice", kwargs={"slug": partnership.slug}) in html
    assert "Ideas from members" in html
    assert "style=" not in html.split("<main", 1)[1]


def test_a_side_with_fewer_than_five_is_not_shown(partnership: Partnership, coordinator: Membership) -> None:
    check = closed_check(coordinator, 3, 4, staff_count=4)
    html = signed_in(coordinator.user).get(url(partnership, "health-results", check_id=check.pk)).content.decode()
    assert "4.0 out of 5" not in html
    assert html.count("Not shown: fewer than 5 gave a score.") == len(STANDARDS)
    assert "rate this higher" not in html
    assert not re.search(r"\(9 scores\)|\(4 scores\)", html)  # no combined count, no small count


def test_an_open_check_shows_no_results_yet(
    partnership: Partnership, coordinator: Membership, member: Membership
) -> None:
    check = open_today(coordinator)
    html = signed_in(member.user).get(url(partnership, "health-results", check_id=check.pk)).content.decode()
    assert "shown once the health check has closed" in html
    assert "out of 5" not in html


def test_another_partnerships_check_is_missing(coordinator: Membership, outsider: Membership) -> None:
    check = open_today(coordinator)
    client = signed_in(outsider.user)
    slug = outsider.partnership.slug
    for name in ("health-results", "health-answer"):
        address = reverse(f"evaluation:{name}", kwargs={"slug": slug, "check_id": check.pk})
        assert client.get(address).status_code == 404


def test_the_coordinators_home_says_a_check_is_due(partnership: Partnership, coordinator: Membership) -> None:
    home = reverse("partnerships:home", kwargs={"slug": partnership.slug})
    html = signed_in(coordinator.user).get(home).content.decode()
    assert "A health check is due" in html and url(partnership, "health") in html
    open_today(coordinator)
    assert "A health check is due" not in signed_in(coordinator.user).get(home).content.decode()
