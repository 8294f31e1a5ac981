"""The agreement's pages: what each person reads, every form posted as every role, bad input kept and
explained, constant query counts, and the register of interests beside fund proposals."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coproduce.fund.models import ProposalReview
from coproduce.governance import services
from coproduce.governance.models import DecisionRule, Group, Interest, Seat, SeatHolding, TermsVersion
from tests.conftest import signed_in
from tests.factories import MembershipFactory, staff_membership
from tests.fund.helpers import make_proposal, make_round

ROLES = ["member", "observer", "worker", "partner_lead", "coordinator"]


def _url(partnership: Any, name: str, **kwargs: Any) -> str:
    return reverse(f"governance:{name}", kwargs={"slug": partnership.slug, **kwargs})


@pytest.fixture
def agreement(coordinator: Any, group: Any, member_seat: Any, college_seat: Any, member: Any, today: Any) -> Any:
    services.terms_publish(actor=coordinator, text="# Purpose\n\nThe first words.", change_note="First version")
    services.terms_publish(actor=coordinator, text="# Purpose\n\nThe second words.", change_note="Two parent seats")
    services.seat_appoint(actor=coordinator, seat=member_seat, membership=member, term_starts_on=today)
    services.decision_rule_set(
        actor=coordinator, kind="fund", method="consent", quorum_percent=50, participants="group", group=group
    )
    services.interest_declare(actor=member, what="My sister works at the nursery", starts_on=today)
    return group


def test_everyone_reads_the_whole_agreement(agreement: Any, partnership: Any, observer: Any, member: Any) -> None:
    response = signed_in(observer.user).get(_url(partnership, "agreement"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "The second words." in page and "The first words." not in page
    assert "Version 1" in page and "Two parent seats" in page  # the earlier version is listed
    assert member.user.display_name in page and "Vacant" in page  # the member seat held, the college's vacant
    assert "Fund rules and budgets are decided by consent of the Steering group; at least half must take part." in page
    assert "Everyday decisions" in page and "Not agreed yet." in page
    assert "My sister works at the nursery" in page
    # An observer changes nothing: no links to the forms.
    assert _url(partnership, "terms-new") not in page and _url(partnership, "interest-new") not in page


def test_an_earlier_version_stays_readable(agreement: Any, partnership: Any, member: Any) -> None:
    client = signed_in(member.user)
    page = client.get(_url(partnership, "terms-version", number=1)).content.decode()
    assert "The first words." in page and "This is an earlier version" in page
    assert client.get(_url(partnership, "terms-version", number=3)).status_code == 404


def test_the_agreement_page_makes_the_same_queries_however_much_it_shows(
    agreement: Any, partnership: Any, coordinator: Any, member: Any, today: Any
) -> None:
    client = signed_in(member.user)
    url = _url(partnership, "agreement")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(3):
        group = services.group_create(actor=coordinator, name=f"Working group {n}")
        for k in range(3):
            seat = services.seat_create(actor=coordinator, group=group, title=f"Seat {k}", kind="member")
            holder = MembershipFactory(partnership=partnership, is_member=True)
            services.seat_appoint(actor=coordinator, seat=seat, membership=holder, term_starts_on=today)
            services.interest_declare(actor=holder, what=f"Interest {n}{k}", starts_on=today)
    services.decision_rule_set(
        actor=coordinator, kind="everyday", method="score", quorum_percent=0, participants="staff"
    )
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert "Interest 22" in response.content.decode()
    assert len(many.captured_queries) == len(few.captured_queries) <= 14


# Every form, posted as every role

COORDINATOR_FORMS = [
    ("terms-new", {}, {"text": "New words", "change_note": "Changed"}),
    ("group-new", {}, {"name": "Finance group", "purpose": ""}),
    ("group-edit", {"group_id": "group"}, {"name": "Board", "purpose": "Runs things"}),
    ("seat-new", {"group_id": "group"}, {"title": "Second parent", "kind": "member"}),
    ("seat-edit", {"seat_id": "seat"}, {"title": "Parent voice", "kind": "member"}),
    ("seat-appoint", {"seat_id": "college_seat"}, {"membership": "college_worker", "term_starts_on": "2026-01-05"}),
    ("holding-end", {"holding_id": "holding"}, {"ended_on": ""}),
    ("seat-retire", {"seat_id": "college_seat"}, {}),
    ("rule-edit", {"kind": "everyday"}, {"method": "consent", "quorum_percent": "0", "participants": "everyone"}),
]


def _state() -> tuple[Any, ...]:
    return (
        list(TermsVersion.objects.values_list("pk", flat=True)),
        list(Group.objects.values_list("name", "purpose")),
        list(Seat.objects.values_list("title", "kind", "retired_on")),
        list(SeatHolding.objects.values_list("membership", "ended_on")),
        list(DecisionRule.objects.values_list("kind", "method")),
    )


@pytest.mark.parametrize("role", [*ROLES, "outsider"])
@pytest.mark.parametrize(("name", "kwargs", "data"), COORDINATOR_FORMS, ids=[f[0] for f in COORDINATOR_FORMS])
def test_only_coordinators_post_the_agreements_forms(
    request: Any,
    role: str,
    name: str,
    kwargs: dict[str, str],
    data: dict[str, str],
    agreement: Any,
    partnership: Any,
    member_seat: Any,
    college_seat: Any,
    college_worker: Any,
) -> None:
    objects = {
        "group": agreement,
        "seat": member_seat,
        "college_seat": college_seat,
        "holding": SeatHolding.objects.get(seat=member_seat),
        "college_worker": college_worker,
    }
    url = _url(partnership, name, **{k: objects[v].pk if v in objects else v for k, v in kwargs.items()})
    posted = {k: str(objects[v].pk) if v in objects else v for k, v in data.items()}
    actor = request.getfixturevalue(role)
    before = _state()
    response = signed_in(actor.user).post(url, posted)
    if role == "coordinator":
        assert response.status_code == 302, response.content.decode()[:3000]
        assert _state() != before
        assert actor.partnership.pk == partnership.pk
    else:
        assert response.status_code == 404
        assert _state() == before


def test_a_form_with_errors_keeps_what_was_typed(partnership: Any, coordinator: Any) -> None:
    response = signed_in(coordinator.user).post(
        _url(partnership, "terms-new"), {"text": "Words I took ages over", "change_note": ""}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "Say in a few words what changed." in page
    assert "Words I took ages over" in page
    assert not TermsVersion.objects.exists()


def test_the_rule_form_explains_a_rule_that_cannot_work(partnership: Any, coordinator: Any) -> None:
    client = signed_in(coordinator.user)
    url = _url(partnership, "rule-edit", kind="service")
    page = client.post(url, {"method": "yes_no", "quorum_percent": "40", "participants": "members"}).content.decode()
    assert "Enter the share of votes that must be yes." in page
    page = client.post(
        url,
        {"method": "yes_no", "threshold_percent": "40", "quorum_percent": "140", "participants": "members"},
    ).content.decode()
    assert "The threshold must be between 50 and 100%." in page and "The quorum must be between 0 and 100%." in page
    page = client.post(
        url, {"method": "consent", "quorum_percent": "40", "participants": "members", "double_majority": "on"}
    ).content.decode()
    assert "Members and staff can only be counted separately when both take part." in page
    assert not DecisionRule.objects.exists()
    assert client.get(_url(partnership, "rule-edit", kind="nonsense")).status_code == 404


def test_the_appoint_form_offers_only_who_may_hold_the_seat(
    partnership: Any, coordinator: Any, college_seat: Any, college_worker: Any, worker: Any, member: Any
) -> None:
    client = signed_in(coordinator.user)
    url = _url(partnership, "seat-appoint", seat_id=college_seat.pk)
    page = client.get(url).content.decode()
    assert college_worker.user.display_name in page
    assert worker.user.display_name not in page and member.user.display_name not in page
    response = client.post(url, {"membership": str(worker.pk), "term_starts_on": "2026-01-05"})
    assert "Choose someone from the list." in response.content.decode()
    assert not SeatHolding.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_declaring_an_interest_as_every_role(request: Any, role: str, partnership: Any, member: Any) -> None:
    actor = request.getfixturevalue(role)
    # Someone else's id in the post: only a coordinator may record for another person.
    response = signed_in(actor.user).post(
        _url(partnership, "interest-new"),
        {"membership": str(member.pk), "what": "Trustee of a charity", "starts_on": "2025-03-01"},
    )
    if role == "observer":
        assert response.status_code == 404
        assert not Interest.objects.exists()
        return
    assert response.status_code == 302
    interest = Interest.objects.get()
    assert interest.membership == (member if role in ("coordinator", "member") else actor)
    assert interest.recorded_by == actor.user


@pytest.mark.parametrize("role", ROLES)
def test_changing_an_interest_as_every_role(request: Any, role: str, partnership: Any, member: Any, today: Any) -> None:
    interest = services.interest_declare(actor=member, what="My sister works at the nursery", starts_on=today)
    actor = request.getfixturevalue(role)
    response = signed_in(actor.user).post(
        _url(partnership, "interest-edit", interest_id=interest.pk),
        {"what": "My sister used to work at the nursery", "starts_on": today.isoformat(), "ends_on": today.isoformat()},
    )
    interest.refresh_from_db()
    if role in ("member", "coordinator"):
        assert response.status_code == 302
        assert interest.ends_on == today
    else:
        assert response.status_code == 404
        assert interest.ends_on is None


def test_the_seat_page_shows_its_history(
    agreement: Any, partnership: Any, coordinator: Any, member_seat: Any, member: Any
) -> None:
    holding = SeatHolding.objects.get(seat=member_seat)
    services.holding_end(actor=coordinator, holding=holding)
    page = signed_in(member.user).get(_url(partnership, "seat", seat_id=member_seat.pk)).content.decode()
    assert "Vacant" in page and member.user.display_name in page and "Who held this seat before" in page


# Beside fund proposals


def test_a_fund_proposal_shows_its_proposers_and_reviewers_declared_interests(
    partnership: Any, member: Any, coordinator: Any, today: Any
) -> None:
    services.interest_declare(actor=member, what="My sister works at the nursery", starts_on=today)
    services.interest_declare(
        actor=member, what="Ended long ago", starts_on=today - timedelta(days=90), ends_on=today - timedelta(days=30)
    )
    round_ = make_round(partnership, phase="review")
    proposal = make_proposal(round_, proposer=member.user)
    client = signed_in(coordinator.user)
    url = reverse("fund:proposal", kwargs={"slug": partnership.slug, "proposal_id": proposal.pk})
    client.get(url)
    with CaptureQueriesContext(connection) as one_review:
        page = client.get(url).content.decode()
    assert "The proposer&#x27;s declared interests" in page or "The proposer's declared interests" in page
    assert "My sister works at the nursery" in page and "Ended long ago" not in page
    for n in range(3):
        reviewer = staff_membership(partnership, role="worker")
        services.interest_declare(actor=reviewer, what=f"Reviewer interest {n}", starts_on=today)
        ProposalReview.objects.create(
            proposal=proposal, reviewer=reviewer.user, feasible=True, cost_pence=100, reason="Fine"
        )
    with CaptureQueriesContext(connection) as three_reviews:
        page = client.get(url).content.decode()
    assert "Reviewer interest 2" in page
    assert len(three_reviews.captured_queries) == len(one_review.captured_queries)


def test_a_proposer_with_no_interests_is_said_to_have_none(partnership: Any, member: Any) -> None:
    proposal = make_proposal(make_round(partnership, phase="review"), proposer=member.user)
    page = (
        signed_in(member.user)
        .get(reverse("fund:proposal", kwargs={"slug": partnership.slug, "proposal_id": proposal.pk}))
        .content.decode()
    )
    assert "None in the register of interests" in page
