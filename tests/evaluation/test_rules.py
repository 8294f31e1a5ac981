"""Evaluation's permission rules, role by role."""

from __future__ import annotations

import datetime as dt

import pytest
import rules
from django.utils import timezone

from coproduce.evaluation.models import PanelMember, Review, Subject
from coproduce.evaluation.rules import is_panel_member
from coproduce.partnerships.models import Membership
from tests.evaluation.conftest import make_subject
from tests.factories import OrganisationFactory, staff_membership

pytestmark = pytest.mark.django_db

ROLES = ["member", "worker", "coordinator", "partner_lead", "observer"]


def who(request: pytest.FixtureRequest, role: str) -> Membership:
    return request.getfixturevalue(role)


@pytest.mark.parametrize(
    ("rule", "allowed"),
    [
        ("evaluation.view", {"member", "worker", "coordinator", "partner_lead", "observer"}),
        ("evaluation.answer", {"member"}),
        ("evaluation.enter", {"worker", "coordinator"}),
        ("evaluation.manage", {"coordinator"}),
        ("evaluation.join_panel", {"member"}),
        ("evaluation.answer_health", {"member", "worker", "coordinator", "partner_lead"}),
        ("evaluation.see_health", {"member", "worker", "coordinator", "partner_lead", "observer"}),
        ("evaluation.panel_member", set()),
    ],
)
def test_role_rules(request: pytest.FixtureRequest, rule: str, allowed: set[str]) -> None:
    for role in ROLES:
        assert rules.test_rule(rule, who(request, role)) is (role in allowed), (rule, role)
    assert rules.test_rule(rule, None) is False


def test_see_results_overview_and_subject(
    request: pytest.FixtureRequest, subject: Subject, worker: Membership, partnership
) -> None:
    other = make_subject(partnership, "Another service", organisation=OrganisationFactory(partnership=partnership))
    lead_same = staff_membership(partnership, role="partner_lead", organisation=worker.organisation)
    overview = {role: rules.test_rule("evaluation.see_results", who(request, role), None) for role in ROLES}
    assert overview == {"member": False, "worker": True, "coordinator": True, "partner_lead": True, "observer": False}
    assert rules.test_rule("evaluation.see_results", worker, subject)
    assert rules.test_rule("evaluation.see_results", lead_same, subject)
    assert not rules.test_rule("evaluation.see_results", worker, other)
    assert not rules.test_rule("evaluation.see_results", who(request, "partner_lead"), subject)
    assert rules.test_rule("evaluation.see_results", who(request, "coordinator"), other)
    # An events subject of the partnership itself (no organisation): coordinators and the panel only.
    own = make_subject(partnership, "The partnership's events")
    assert not rules.test_rule("evaluation.see_results", worker, own)
    assert rules.test_rule("evaluation.see_results", who(request, "coordinator"), own)


def test_panel_member_sees_every_result(member: Membership, subject: Subject) -> None:
    assert not rules.test_rule("evaluation.see_results", member, subject)
    PanelMember.objects.create(partnership_id=member.partnership_id, user=member.user)
    fresh = Membership.objects.get(pk=member.pk)
    assert is_panel_member(fresh)
    assert rules.test_rule("evaluation.panel_member", fresh)
    assert rules.test_rule("evaluation.see_results", fresh, subject)
    assert rules.test_rule("evaluation.see_results", fresh, None)


def test_panel_membership_is_of_this_partnership(member: Membership, outsider: Membership) -> None:
    PanelMember.objects.create(partnership_id=outsider.partnership_id, user=member.user)
    assert not is_panel_member(Membership.objects.get(pk=member.pk))


def test_start_test(request: pytest.FixtureRequest, subject: Subject) -> None:
    allowed = {role: rules.test_rule("evaluation.start_test", who(request, role), subject) for role in ROLES}
    # partner_lead fixture is of another organisation than the subject's
    assert allowed == {"member": False, "worker": True, "coordinator": True, "partner_lead": False, "observer": False}


def _review(subject: Subject, *, window_days: float, released: bool = False) -> Review:
    now = timezone.now()
    return Review.objects.create(
        subject=subject,
        quarter_start=dt.date(2026, 7, 1),
        opened_at=now - dt.timedelta(days=30),
        panel_until=now + dt.timedelta(days=window_days),
        released_at=now if released else None,
    )


def test_respond_only_after_the_panel_window(request: pytest.FixtureRequest, subject: Subject) -> None:
    worker, coordinator = who(request, "worker"), who(request, "coordinator")
    open_review = _review(subject, window_days=5)
    assert not rules.test_rule("evaluation.respond", worker, open_review)
    assert not rules.test_rule("evaluation.respond", coordinator, open_review)
    open_review.released_at = timezone.now()
    assert rules.test_rule("evaluation.respond", worker, open_review)
    assert rules.test_rule("evaluation.respond", coordinator, open_review)
    assert not rules.test_rule("evaluation.respond", who(request, "partner_lead"), open_review)
    assert not rules.test_rule("evaluation.respond", who(request, "member"), open_review)
    open_review.delete()
    over = _review(subject, window_days=-1)
    assert rules.test_rule("evaluation.respond", worker, over)


def test_comment_only_by_the_panel_while_open(member: Membership, subject: Subject) -> None:
    review = _review(subject, window_days=5)
    assert not rules.test_rule("evaluation.comment_review", member, review)
    PanelMember.objects.create(partnership_id=member.partnership_id, user=member.user)
    panel = Membership.objects.get(pk=member.pk)
    assert rules.test_rule("evaluation.comment_review", panel, review)
    review.released_at = timezone.now()
    assert not rules.test_rule("evaluation.comment_review", panel, review)
    review.released_at = None
    review.panel_until = timezone.now() - dt.timedelta(seconds=1)
    assert not rules.test_rule("evaluation.comment_review", panel, review)
