"""Money for barriers, the support side: asked from an action in the plan, agreed by the member, approved
within the delegated limits, refused with a reason she reads, paid into the fund's ledger; every POST as every
role; bad input refused with a clear message and nothing half-saved; the coordinators' pages."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from coproduce.core.audit import AuditEvent
from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.fund import api as fund
from coproduce.fund.models import InterestDeclaration, Spending
from coproduce.support import services
from coproduce.support.models import BarrierApproval, BarrierRequest, PlanRead
from tests.conftest import signed_in
from tests.support.money import ask, money_world

pytestmark = pytest.mark.django_db
Status = BarrierRequest.Status


@pytest.fixture
def world() -> dict[str, Any]:
    return money_world()


def url(world: dict[str, Any], name: str, **kwargs: Any) -> str:
    return reverse(f"support:{name}", kwargs={"slug": world["partnership"].slug, **kwargs})


def as_(world: dict[str, Any], who: str) -> Any:
    return signed_in(world["people"][who].user)


def pay(world: dict[str, Any], request: BarrierRequest, who: str = "keyworker") -> BarrierRequest:
    return services.barrier_mark_paid(
        actor=world["people"][who],
        asked=request,
        method="supplier",
        paid_on=timezone.localdate(),
        reference="RCPT-1",
    )


def remaining(world: dict[str, Any]) -> int:
    pot = fund.flexible_pot(world["partnership"].pk)
    assert pot is not None
    return pot.remaining_pence


# --- The journey ----------------------------------------------------------------------------------------


def test_asked_by_the_member_approved_by_her_keyworker_and_paid_into_the_ledger(world: dict[str, Any]) -> None:
    request = ask(world, 84_00)
    assert request.status == Status.AGREED and request.level == "keyworker"
    assert request.goal_id == world["goal"].pk  # the action's goal
    approved = services.barrier_approve(actor=world["people"]["keyworker"], asked=request)
    assert approved.status == Status.APPROVED
    assert remaining(world) == 5000_00 - 84_00
    paid = pay(world, approved)
    assert paid.status == Status.PAID and paid.ledger_entry_id
    entry = Spending.objects.get(pk=paid.ledger_entry_id)
    assert entry.amount_pence == 84_00 and entry.category == "barrier" and entry.subcategory == "travel"
    member_name = world["people"]["member"].user.display_name
    assert member_name not in entry.description and member_name not in entry.reference
    assert remaining(world) == 5000_00 - 84_00  # paid: still counted once
    actions = set(AuditEvent.objects.filter(target_id=str(request.pk)).values_list("action", flat=True))
    assert {"support.barrier_asked", "support.barrier_approved", "support.barrier_paid"} <= actions


def test_asked_by_the_keyworker_waits_for_the_member_who_alone_agrees(world: dict[str, Any]) -> None:
    request = ask(world, 60_00, who="keyworker", category="clothes")
    assert request.status == Status.ASKED and request.agreed_at is None
    with pytest.raises(ServiceError):
        services.barrier_approve(actor=world["people"]["keyworker"], asked=request)
    with pytest.raises(NotPermitted):
        services.barrier_agree(actor=world["people"]["keyworker"], asked=request)
    agreed = services.barrier_agree(actor=world["people"]["member"], asked=request)
    assert agreed.status == Status.AGREED and agreed.agreed_at is not None


def test_above_the_keyworker_limit_a_coordinator_approves(world: dict[str, Any]) -> None:
    request = ask(world, 320_00, category="learning")
    assert request.level == "coordinator"
    with pytest.raises(ServiceError) as refused:
        services.barrier_approve(actor=world["people"]["keyworker"], asked=request)
    assert refused.value.code == "over_limit"
    assert BarrierRequest.objects.get(pk=request.pk).status == Status.AGREED
    approved = services.barrier_approve(actor=world["people"]["coordinator"], asked=request)
    assert approved.status == Status.APPROVED


def test_above_the_coordinator_limit_two_different_coordinators_approve(world: dict[str, Any]) -> None:
    request = ask(world, 600_00, category="learning")
    assert request.level == "two_coordinators"
    first = services.barrier_approve(actor=world["people"]["coordinator"], asked=request)
    assert first.status == Status.AGREED and remaining(world) == 5000_00
    again = services.barrier_approve(actor=world["people"]["coordinator"], asked=request)
    assert again.status == Status.AGREED  # the same coordinator twice is still one approval
    assert BarrierApproval.objects.filter(request=request).count() == 1
    second = services.barrier_approve(actor=world["people"]["coordinator2"], asked=request)
    assert second.status == Status.APPROVED and remaining(world) == 5000_00 - 600_00


def test_a_refusal_needs_a_reason_that_the_member_reads(world: dict[str, Any]) -> None:
    request = ask(world, 84_00)
    with pytest.raises(ServiceError):
        services.barrier_refuse(actor=world["people"]["keyworker"], asked=request, reason="  ")
    services.barrier_refuse(
        actor=world["people"]["keyworker"], asked=request, reason="The college pays for the bus pass."
    )
    page = as_(world, "member").get(url(world, "plan-money", plan_id=world["plan"].pk)).content.decode()
    assert "The college pays for the bus pass." in page and "Refused" in page


def test_an_approved_request_cannot_change_and_a_cancelled_one_gives_the_money_back(world: dict[str, Any]) -> None:
    request = services.barrier_approve(actor=world["people"]["keyworker"], asked=ask(world, 84_00))
    for step in (
        lambda: services.barrier_approve(actor=world["people"]["coordinator"], asked=request),
        lambda: services.barrier_refuse(actor=world["people"]["coordinator"], asked=request, reason="No"),
        lambda: services.barrier_agree(actor=world["people"]["member"], asked=request),
    ):
        with pytest.raises(ServiceError):
            step()
    services.barrier_cancel(actor=world["people"]["member"], asked=request)
    assert remaining(world) == 5000_00
    with pytest.raises(ServiceError):
        pay(world, BarrierRequest.objects.get(pk=request.pk))


def test_a_paid_request_is_paid_once(world: dict[str, Any]) -> None:
    request = services.barrier_approve(actor=world["people"]["keyworker"], asked=ask(world, 84_00))
    pay(world, request)
    with pytest.raises(ServiceError):
        pay(world, BarrierRequest.objects.get(pk=request.pk), who="coordinator")
    assert Spending.objects.filter(category="barrier").count() == 1


def test_a_declared_interest_stops_that_person_approving(world: dict[str, Any]) -> None:
    coordinator = world["people"]["coordinator"]
    InterestDeclaration.objects.create(
        partnership=world["partnership"], membership=coordinator, supplier="Smith's Shoes", supplier_key="smith's shoes"
    )
    request = ask(world, 200_00, category="clothes", supplier="SMITH'S  shoes")
    with pytest.raises(ServiceError) as refused:
        services.barrier_approve(actor=coordinator, asked=request)
    assert refused.value.code == "interest"
    assert services.barrier_approve(actor=world["people"]["coordinator2"], asked=request).status == Status.APPROVED


def test_the_yearly_cap_counts_approved_and_paid_requests(world: dict[str, Any]) -> None:
    for amount in (400_00, 450_00):
        request = ask(world, amount, category="learning")
        services.barrier_approve(actor=world["people"]["coordinator"], asked=request)
    with pytest.raises(ServiceError) as over:
        ask(world, 150_01)
    assert over.value.code == "over_cap" and "£150 of £1,000" in over.value.message
    assert ask(world, 150_00).status == Status.AGREED


def test_a_duplicate_is_a_warning_for_the_asker_and_the_approver(world: dict[str, Any]) -> None:
    ask(world, 20_00)
    response = as_(world, "keyworker").post(
        url(world, "plan-money", plan_id=world["plan"].pk),
        {
            "action": world["money_action"].pk,
            "category": "travel",
            "what_for": "Bus pass again",
            "amount": "20",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "in the last 30 days" in html  # warned, not blocked
    assert BarrierRequest.objects.filter(plan=world["plan"]).count() == 2


# --- Bad input ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "category", "words"),
    [
        ("-5", "travel", "more than £0"),
        ("0", "travel", "more than £0"),
        ("1000.01", "learning", "yearly limit"),
        ("abc", "travel", "pounds and pence"),
        ("20", "holidays", "kinds of cost"),
    ],
)
def test_bad_amounts_and_categories_are_refused_plainly_and_nothing_is_saved(
    world: dict[str, Any], amount: str, category: str, words: str
) -> None:
    response = as_(world, "member").post(
        url(world, "plan-money", plan_id=world["plan"].pk),
        {"action": world["money_action"].pk, "category": category, "what_for": "Laptop", "amount": amount},
    )
    assert response.status_code == 200 and words in response.content.decode()
    assert not BarrierRequest.objects.exists()


def test_more_than_the_pot_has_left_is_refused() -> None:
    world = money_world(set_aside=100_00)
    with pytest.raises(ServiceError) as over:
        ask(world, 120_00, category="childcare")
    assert over.value.code == "over_pot"
    assert not BarrierRequest.objects.exists()


def test_another_partnerships_staff_and_other_workers_get_404(world: dict[str, Any]) -> None:
    request = ask(world, 84_00)
    for who in ("other_partnership_staff", "colleague", "other_worker", "shared_worker", "observer"):
        client = as_(world, who)
        assert client.get(url(world, "barrier", request_id=request.pk)).status_code == 404, who
        assert client.get(url(world, "plan-money", plan_id=world["plan"].pk)).status_code == 404, who


# --- Every POST as every role ---------------------------------------------------------------------------

ROLES = ("member", "keyworker", "colleague", "coordinator", "observer", "other_partnership_staff")

# What each role gets posting each step to a request waiting at the keyworker's level (asked by the member),
# or, for "agree", to one asked by the keyworker; "paid" and "cancel" to an approved one.
EXPECTED = {
    "agree": {"member": "agreed", "keyworker": 404, "colleague": 404, "coordinator": 404, "observer": 404},
    "approve": {"member": 404, "keyworker": "approved", "colleague": 404, "coordinator": "approved", "observer": 404},
    "refuse": {"member": 404, "keyworker": "refused", "colleague": 404, "coordinator": "refused", "observer": 404},
    "paid": {"member": 404, "keyworker": "paid", "colleague": 404, "coordinator": "paid", "observer": 404},
    "cancel": {"member": "cancelled", "keyworker": "cancelled", "colleague": 404, "coordinator": 404, "observer": 404},
}


@pytest.mark.parametrize("do", sorted(EXPECTED))
def test_every_step_as_every_role(world: dict[str, Any], do: str) -> None:
    data = {
        "do": do,
        "reason": "Paid by the college instead.",
        "method": "voucher",
        "paid_on": timezone.localdate().isoformat(),
        "reference": "V-77",
    }
    for who in ROLES:
        if do == "agree":
            request = ask(world, 20_00, who="keyworker")
        else:
            request = ask(world, 20_00)
            if do in ("paid", "cancel"):
                request = services.barrier_approve(actor=world["people"]["keyworker"], asked=request)
        before = BarrierRequest.objects.get(pk=request.pk).status
        response = as_(world, who).post(url(world, "barrier", request_id=request.pk), data)
        expected = EXPECTED[do].get(who, 404)
        after = BarrierRequest.objects.get(pk=request.pk).status
        if isinstance(expected, int):
            assert response.status_code == expected, (do, who)
            assert after == before, (do, who)
        else:
            assert response.status_code == 302, (do, who, response.content.decode()[:300])
            assert after == expected, (do, who)


def test_asking_as_every_role(world: dict[str, Any]) -> None:
    data = {"action": world["money_action"].pk, "category": "travel", "what_for": "Bus pass", "amount": "84"}
    outcomes = {}
    for who in ROLES:
        response = as_(world, who).post(url(world, "plan-money", plan_id=world["plan"].pk), data)
        outcomes[who] = response.status_code
    assert outcomes == {
        "member": 302,
        "keyworker": 302,
        "colleague": 404,
        "coordinator": 404,
        "observer": 404,
        "other_partnership_staff": 404,
    }
    statuses = sorted(BarrierRequest.objects.values_list("status", flat=True))
    assert statuses == ["agreed", "asked"]


def test_a_keyworker_posting_an_approval_above_her_limit_gets_a_clear_message(world: dict[str, Any]) -> None:
    request = ask(world, 320_00, category="learning")
    response = as_(world, "keyworker").post(url(world, "barrier", request_id=request.pk), {"do": "approve"})
    assert response.status_code == 400 and "above your limit" in response.content.decode()
    assert BarrierRequest.objects.get(pk=request.pk).status == Status.AGREED


def test_marking_paid_checks_the_form(world: dict[str, Any]) -> None:
    request = services.barrier_approve(actor=world["people"]["keyworker"], asked=ask(world, 84_00))
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    for data in (
        {"method": "", "paid_on": future, "reference": "x"},
        {"method": "cash", "paid_on": future, "reference": "x"},
    ):
        response = as_(world, "keyworker").post(url(world, "barrier", request_id=request.pk), {"do": "paid", **data})
        assert response.status_code == 400
    assert BarrierRequest.objects.get(pk=request.pk).status == Status.APPROVED
    assert not Spending.objects.filter(category="barrier").exists()


# --- The coordinators' pages ----------------------------------------------------------------------------


def test_the_queue_shows_only_what_a_decision_needs_and_opening_one_is_a_recorded_read(world: dict[str, Any]) -> None:
    request = ask(world, 320_00, category="learning", supplier="Computer Shop")
    BarrierRequest.objects.filter(pk=request.pk).update(agreed_at=timezone.now() - datetime.timedelta(hours=5))
    coordinator = as_(world, "coordinator")
    page = coordinator.get(url(world, "barrier-queue")).content.decode()
    assert "Computer Shop" in page and "£320" in page and "5 hours" in page
    assert world["people"]["keyworker"].user.display_name in page
    assert world["people"]["member"].user.display_name not in page
    reads = PlanRead.objects.filter(plan=world["plan"]).count()
    detail = coordinator.get(url(world, "barrier", request_id=request.pk)).content.decode()
    assert "Start the college course" not in detail  # the action's words stay in the plan
    assert PlanRead.objects.filter(plan=world["plan"]).count() == reads + 1
    assert AuditEvent.objects.filter(action="support.plan_read", actor=world["people"]["coordinator"].user).exists()
    for who in ("member", "keyworker", "observer"):
        assert as_(world, who).get(url(world, "barrier-queue")).status_code == 404, who


@pytest.mark.parametrize("payments", [1, 4, 5, 6])
def test_what_it_achieved_merges_groups_under_five(world: dict[str, Any], payments: int) -> None:
    for _ in range(payments):
        request = services.barrier_approve(
            actor=world["people"]["keyworker"], asked=ask(world, 10_00, category="clothes")
        )
        pay(world, request)
    one = services.barrier_approve(actor=world["people"]["keyworker"], asked=ask(world, 10_00, category="travel"))
    pay(world, one)
    page = as_(world, "coordinator").get(url(world, "barrier-outcomes")).content.decode()
    if payments >= 5:
        assert "Clothes" in page and f'<td data-label="Payments">{payments}</td>' in page
    else:
        assert "<table" not in page or "Clothes" not in page
    assert "Travel" not in page  # one payment: never shown on its own
    assert world["people"]["member"].user.display_name not in page
