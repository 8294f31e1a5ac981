"""Moderating free text: waiting until a coordinator shows it (with details taken out) or keeps it back."""

from __future__ import annotations

import pytest

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.models import AuditEvent
from coproduce.evaluation import selectors, services
from coproduce.evaluation.models import Remark, Subject
from coproduce.partnerships.models import Membership
from tests.evaluation.conftest import scores

pytestmark = pytest.mark.django_db


@pytest.fixture
def remark(member_who_used: Membership, subject: Subject) -> Remark:
    services.answer_give(
        actor=member_who_used, subject_id=subject.pk, scores=scores(4), keep="Sarah helped. Call 07700 900123"
    )
    return Remark.objects.get()


def test_waiting_remarks_for_coordinators_only(
    request: pytest.FixtureRequest, remark: Remark, coordinator: Membership
) -> None:
    assert list(selectors.remarks_waiting(coordinator)) == [remark]
    assert selectors.waiting_remarks_count(coordinator) == 1
    assert selectors.remark_for(coordinator, remark.pk).flags == "phone"
    for role in ("member", "worker", "partner_lead", "observer"):
        person = request.getfixturevalue(role)
        assert selectors.waiting_remarks_count(person) == 0
        with pytest.raises(NotPermitted):
            selectors.remarks_waiting(person)
        with pytest.raises(NotPermitted):
            selectors.remark_for(person, remark.pk)


def test_showing_with_details_taken_out(remark: Remark, coordinator: Membership) -> None:
    services.remark_show(actor=coordinator, remark_id=remark.pk, shown_text="[A worker] helped.")
    remark.refresh_from_db()
    assert (remark.status, remark.shown_text) == ("shown", "[A worker] helped.")
    assert remark.moderated_by_id == coordinator.user_id
    assert remark.text == "Sarah helped. Call 07700 900123"  # her words, for her alone
    assert selectors.waiting_remarks_count(coordinator) == 0
    event = AuditEvent.objects.get(action="evaluation.remark_shown")
    assert "Sarah" not in str(event.detail) and "Sarah" not in event.target_label
    assert event.detail == {"edited": True, "still_flagged": []}


def test_showing_needs_words(remark: Remark, coordinator: Membership) -> None:
    with pytest.raises(ServiceError) as refused:
        services.remark_show(actor=coordinator, remark_id=remark.pk, shown_text="  ")
    assert refused.value.field == "shown_text"
    assert Remark.objects.get().status == "waiting"


def test_keeping_back_and_changing_ones_mind(remark: Remark, coordinator: Membership) -> None:
    services.remark_show(actor=coordinator, remark_id=remark.pk, shown_text="helped")
    services.remark_hide(actor=coordinator, remark_id=remark.pk)
    remark.refresh_from_db()
    assert (remark.status, remark.shown_text) == ("hidden", "")
    services.remark_show(actor=coordinator, remark_id=remark.pk, shown_text="helped")
    assert Remark.objects.get().status == "shown"


def test_only_coordinators_of_the_partnership_moderate(
    remark: Remark, worker: Membership, outsider: Membership
) -> None:
    from tests.factories import staff_membership

    for actor in (worker, staff_membership(outsider.partnership, role="coordinator")):
        with pytest.raises(NotPermitted):
            services.remark_show(actor=actor, remark_id=remark.pk, shown_text="x")
        with pytest.raises(NotPermitted):
            services.remark_hide(actor=actor, remark_id=remark.pk)
    assert Remark.objects.get().status == "waiting"
