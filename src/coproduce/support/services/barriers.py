"""Money for barriers: a member's request for flexible money from the pooled fund's pot, from an action in
her plan, through her agreement, an approval within the pot's delegated limits, to payment.

The steps: asked (by the member or her keyworker; asked by the member it is agreed at once) → agreed → approved
(or refused, with a reason the member reads) → paid; cancelled before payment releases what it held in the pot.
An approval runs in one transaction: the pot's row is locked first (``fund.api.flexible_pot_locked``, which
serialises every approval in the partnership), then the request's row; so two approvals at once commit the
money once and the pot never goes below zero. A request is never changed after approval; a new one is made."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.audit import audit_record
from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.money import format_pence
from coproduce.fund import api as fund
from coproduce.partnerships.models import Membership
from coproduce.support import selectors
from coproduce.support.models import (
    SHORT_MAX,
    TEXT_MAX,
    Action,
    BarrierApproval,
    BarrierRequest,
    Goal,
    Part,
    SupportPlan,
    TeamMember,
)
from coproduce.support.services._common import (
    clean_text,
    lock_plan,
    notices_done,
    notify,
    person_label,
    record_change,
)

Status = BarrierRequest.Status
Level = BarrierRequest.Level
HELD = (Status.APPROVED, Status.PAID)
OPEN = (Status.ASKED, Status.AGREED)


def request_url(asked: BarrierRequest) -> str:
    return reverse("support:barrier", kwargs={"slug": asked.partnership.slug, "request_id": asked.pk})


def _waiting_key(asked: BarrierRequest) -> str:
    return f"support.barrier:{asked.pk}:waiting"


def _keyworker_user_ids(plan: SupportPlan) -> list[int]:
    return list(
        TeamMember.objects.filter(
            plan=plan, role=TeamMember.Role.KEYWORKER, agreed_at__isnull=False, ended_at__isnull=True
        ).values_list("membership__user_id", flat=True)
    )


def _coordinator_user_ids(partnership_id: int, *, besides: Any = None) -> list[int]:
    found = Membership.objects.filter(partnership_id=partnership_id, is_coordinator=True)
    if besides is not None:
        found = found.exclude(user_id=besides)
    return list(found.values_list("user_id", flat=True))


def level_for(pot: fund.PotView, amount_pence: int) -> str:
    """Who must approve this amount under the pot's delegated limits."""
    if amount_pence <= pot.keyworker_limit_pence:
        return Level.KEYWORKER
    if amount_pence <= pot.coordinator_limit_pence:
        return Level.COORDINATOR
    return Level.TWO_COORDINATORS


def cap_used_pence(plan_id: int, pot_id: int, *, besides: int | None = None) -> int:
    """What this member's approved and paid requests in the pot's year add up to."""
    found = BarrierRequest.objects.filter(plan_id=plan_id, pot_id=pot_id, status__in=HELD)
    if besides is not None:
        found = found.exclude(pk=besides)
    return int(found.aggregate(total=Sum("amount_pence"))["total"] or 0)


def _check_amount(pot: fund.PotView, plan_id: int, amount_pence: int, *, besides: int | None = None) -> None:
    if amount_pence <= 0:
        raise ServiceError(_("Enter an amount of more than £0."), field="amount", code="amount")
    used = cap_used_pence(plan_id, pot.id, besides=besides)
    if used + amount_pence > pot.yearly_cap_pence:
        raise ServiceError(
            _(
                "This is more than is left of the yearly limit for one person: %(left)s of %(cap)s is left this "
                "year. Ask for less, or for the rest next year."
            )
            % {"left": format_pence(max(pot.yearly_cap_pence - used, 0)), "cap": format_pence(pot.yearly_cap_pence)},
            field="amount",
            code="over_cap",
        )
    if amount_pence > pot.remaining_pence:
        raise ServiceError(
            _("The flexible money has only %(left)s left this year. Ask for less, or talk to a coordinator.")
            % {"left": format_pence(pot.remaining_pence)},
            field="amount",
            code="over_pot",
        )


def _pot_or_error(partnership_id: int) -> fund.PotView:
    pot = fund.flexible_pot(partnership_id)
    if pot is None:
        raise ServiceError(_("The partnership has not set aside flexible money for this year yet."), code="no_pot")
    return pot


def barrier_ask(
    *,
    actor: Membership,
    plan: SupportPlan,
    action: Action,
    category: str,
    what_for: str,
    amount_pence: int,
    supplier: str = "",
    goal: Goal | None = None,
) -> BarrierRequest:
    """A request from an action in the plan, by the member (agreed at once: she asked) or her keyworker (then
    it waits for the member to agree). The goal is the action's own unless another of the plan's is chosen."""
    access = selectors.plan_access(actor, plan)
    if not access.may_edit:
        raise NotPermitted()
    if action.plan_id != plan.pk:
        raise ServiceError(_("Choose one of the actions in this plan."), field="action")
    goal = goal or action.goal
    if goal is not None and goal.plan_id != plan.pk:
        raise ServiceError(_("Choose one of the goals in this plan."), field="goal")
    what_for = clean_text(what_for, field="what_for", max_length=SHORT_MAX, required=_("Say what the money is for."))
    supplier = clean_text(supplier, field="supplier", max_length=SHORT_MAX)
    pot = _pot_or_error(plan.partnership_id)
    if category not in {c.slug for c in pot.categories}:
        raise ServiceError(_("Choose one of the kinds of cost the partnership pays for."), field="category")
    _check_amount(pot, plan.pk, amount_pence)
    now = timezone.now()
    by_member = access.is_owner
    with transaction.atomic(durable=True):
        locked = lock_plan(plan)
        if locked.status != SupportPlan.Status.ACTIVE:
            raise ServiceError(_("The member needs to accept the plan first."), code="not_active")
        asked = BarrierRequest.objects.create(
            partnership_id=locked.partnership_id,
            plan=locked,
            action=action,
            goal=goal,
            pot_id=pot.id,
            category=category,
            what_for=what_for,
            amount_pence=amount_pence,
            supplier=supplier,
            status=Status.AGREED if by_member else Status.ASKED,
            level=level_for(pot, amount_pence) if by_member else "",
            agreed_at=now if by_member else None,
            asked_by=actor.user,
            created_at=now,
        )
        record_change(
            plan=locked,
            actor=actor,
            part=Part.ACTIONS,
            summary=_("Money asked for: %(what)s, %(amount)s")
            % {"what": what_for, "amount": format_pence(amount_pence)},
            obj=asked,
        )
        audit_record(
            actor=actor.user,
            action="support.barrier_asked",
            partnership_id=locked.partnership_id,
            target=asked,
            detail={"category": category, "amount_pence": amount_pence},
        )
        if by_member:
            _tell_approvers(asked)
        elif locked.member is not None:
            notify(
                partnership_id=locked.partnership_id,
                user_ids=[locked.member.user_id],
                kind="support.barrier_to_agree",
                subject_key=f"support.barrier:{asked.pk}:agree",
                text=_("Your keyworker asked for money for you: %(what)s. Look at it and agree if it is right.")
                % {"what": what_for},
                url=request_url(asked),
            )
    return asked


def _tell_approvers(asked: BarrierRequest) -> None:
    if asked.level == Level.KEYWORKER:
        users = _keyworker_user_ids(asked.plan)
        text = _("A request for money for a barrier is waiting for your approval.")
    else:
        users = _coordinator_user_ids(asked.partnership_id)
        text = _("A request for money for a barrier is waiting for a coordinator.")
    notify(
        partnership_id=asked.partnership_id,
        user_ids=users,
        kind="support.barrier_waiting",
        subject_key=_waiting_key(asked),
        text=text,
        url=request_url(asked),
    )


def _lock_request(asked: BarrierRequest) -> BarrierRequest:
    return BarrierRequest.objects.select_for_update().select_related("partnership", "plan").get(pk=asked.pk)


def barrier_agree(*, actor: Membership, asked: BarrierRequest) -> BarrierRequest:
    """The member agrees to a request her keyworker asked for; it then waits for whoever may approve it."""
    if asked.plan.member_id != actor.pk or asked.partnership_id != actor.partnership_id:
        raise NotPermitted()
    pot = _pot_or_error(asked.partnership_id)
    with transaction.atomic(durable=True):
        locked = _lock_request(asked)
        if locked.status != Status.ASKED:
            raise ServiceError(_("This request is no longer waiting for you to agree."), code="status")
        locked.status = Status.AGREED
        locked.agreed_at = timezone.now()
        locked.level = level_for(pot, locked.amount_pence)
        locked.save(update_fields=["status", "agreed_at", "level"])
        audit_record(
            actor=actor.user, action="support.barrier_agreed", partnership_id=locked.partnership_id, target=locked
        )
        notices_done(partnership_id=locked.partnership_id, subject_key=f"support.barrier:{locked.pk}:agree")
        _tell_approvers(locked)
    return locked


def approver_role(actor: Membership, asked: BarrierRequest) -> str | None:
    """ "keyworker" or "coordinator" if this person may decide on the request at its level, else None."""
    if actor.partnership_id != asked.partnership_id or asked.plan.member_id == actor.pk:
        return None
    if actor.is_coordinator:
        return "coordinator"
    if asked.level == Level.KEYWORKER and selectors.is_keyworker(actor, asked.plan):
        return "keyworker"
    return None


def _may_decide_here(actor: Membership, asked: BarrierRequest) -> bool:
    """Staff who reach the request at all: her keyworker or a coordinator (the limit is checked later)."""
    if actor.partnership_id != asked.partnership_id or not actor.is_staff_role:
        return False
    if asked.plan.member_id == actor.pk:
        return False  # nobody decides on money for herself, whatever else her roles are
    return actor.is_coordinator or selectors.plan_access(actor, asked.plan).is_keyworker


def barrier_approve(*, actor: Membership, asked: BarrierRequest) -> BarrierRequest:
    """Approve within one's limit. The pot's row is locked first, then the request's; the money is committed
    in the pot with the approval, once. Above the coordinator limit the first coordinator's approval is kept
    and the request waits for a second, different coordinator."""
    if not _may_decide_here(actor, asked):
        raise NotPermitted()
    with transaction.atomic(durable=True):
        pot = fund.flexible_pot_locked(asked.partnership_id)
        locked = _lock_request(asked)
        if locked.status != Status.AGREED:
            raise ServiceError(_("This request is not waiting for approval."), code="status")
        role = approver_role(actor, locked)
        if role is None:
            raise ServiceError(
                _("This amount is above your limit: a coordinator needs to approve it."), code="over_limit"
            )
        if pot is None or pot.id != locked.pot_id:
            raise ServiceError(
                _("The year of the flexible money this was asked from has ended. Ask again from this year's."),
                code="no_pot",
            )
        if locked.supplier and fund.has_declared_interest(membership_id=actor.pk, supplier=locked.supplier):
            raise ServiceError(
                _("You have declared an interest in %(supplier)s, so someone else needs to approve this.")
                % {"supplier": locked.supplier},
                code="interest",
            )
        _check_amount(pot, locked.plan_id, locked.amount_pence, besides=locked.pk)
        BarrierApproval.objects.get_or_create(
            request=locked,
            approver=actor.user,
            defaults={"role": role, "approver_label": person_label(actor.user)},
        )
        coordinators = locked.approvals.filter(role="coordinator").values("approver").distinct().count()
        if locked.level == Level.TWO_COORDINATORS and coordinators < 2:
            audit_record(
                actor=actor.user,
                action="support.barrier_first_approval",
                partnership_id=locked.partnership_id,
                target=locked,
            )
            notify(
                partnership_id=locked.partnership_id,
                user_ids=_coordinator_user_ids(locked.partnership_id, besides=actor.user_id),
                kind="support.barrier_waiting",
                subject_key=_waiting_key(locked),
                text=_("A request for money for a barrier has one approval and needs a second coordinator."),
                url=request_url(locked),
            )
            return locked
        fund.pot_commit(
            pot_id=pot.id, amount_pence=locked.amount_pence, category=locked.category, source_key=locked.source_key
        )
        locked.status = Status.APPROVED
        locked.decided_at = timezone.now()
        locked.decided_by = actor.user
        locked.save(update_fields=["status", "decided_at", "decided_by"])
        audit_record(
            actor=actor.user,
            action="support.barrier_approved",
            partnership_id=locked.partnership_id,
            target=locked,
            detail={"amount_pence": locked.amount_pence, "role": role},
        )
        notices_done(partnership_id=locked.partnership_id, subject_key=_waiting_key(locked))
        _tell_member(locked, _("Your request for money was approved: %(what)s.") % {"what": locked.what_for})
        _tell_keyworkers(locked, actor, _("A request for money was approved and can be paid."))
    return locked


def _tell_member(asked: BarrierRequest, text: str) -> None:
    if asked.plan.member is not None:
        notify(
            partnership_id=asked.partnership_id,
            user_ids=[asked.plan.member.user_id],
            kind="support.barrier_decided",
            text=text,
            url=request_url(asked),
        )


def _tell_keyworkers(asked: BarrierRequest, actor: Membership, text: str) -> None:
    users = [u for u in _keyworker_user_ids(asked.plan) if u != actor.user_id]
    if users:
        notify(
            partnership_id=asked.partnership_id,
            user_ids=users,
            kind="support.barrier_decided",
            text=text,
            url=request_url(asked),
        )


def barrier_refuse(*, actor: Membership, asked: BarrierRequest, reason: str) -> BarrierRequest:
    """Refuse a request waiting for approval, with a reason the member reads."""
    if not _may_decide_here(actor, asked):
        raise NotPermitted()
    reason = clean_text(
        reason, field="reason", max_length=TEXT_MAX, required=_("Say why, in words the member will read.")
    )
    with transaction.atomic(durable=True):
        locked = _lock_request(asked)
        if locked.status != Status.AGREED:
            raise ServiceError(_("This request is not waiting for approval."), code="status")
        if approver_role(actor, locked) is None:
            raise ServiceError(_("This amount is above your limit: a coordinator decides on it."), code="over_limit")
        locked.status = Status.REFUSED
        locked.refusal_reason = reason
        locked.decided_at = timezone.now()
        locked.decided_by = actor.user
        locked.save(update_fields=["status", "refusal_reason", "decided_at", "decided_by"])
        audit_record(
            actor=actor.user, action="support.barrier_refused", partnership_id=locked.partnership_id, target=locked
        )
        notices_done(partnership_id=locked.partnership_id, subject_key=_waiting_key(locked))
        _tell_member(locked, _("Your request for money was not approved. The reason is on the request."))
    return locked


def barrier_mark_paid(
    *, actor: Membership, asked: BarrierRequest, method: str, paid_on: datetime.date, reference: str
) -> BarrierRequest:
    """Record the payment (her keyworker or a coordinator): the fund's ledger gets one entry, by category and
    method and never naming her, however often this is sent."""
    if (
        not (actor.is_coordinator or selectors.is_keyworker(actor, asked.plan))
        or actor.partnership_id != asked.partnership_id
        or asked.plan.member_id == actor.pk
    ):
        raise NotPermitted()
    if method not in dict(fund.PAYMENT_METHODS):
        raise ServiceError(_("Choose how it was paid."), field="method")
    reference = clean_text(
        reference, field="reference", max_length=SHORT_MAX, required=_("Enter the receipt number or a reference.")
    )
    if paid_on > timezone.localdate():
        raise ServiceError(_("The date it was paid cannot be in the future."), field="paid_on")
    with transaction.atomic(durable=True):
        locked = _lock_request(asked)
        if locked.status != Status.APPROVED:
            raise ServiceError(_("Only an approved request that is not yet paid can be marked paid."), code="status")
        if paid_on < (locked.decided_at or locked.created_at).date():
            raise ServiceError(_("The date it was paid cannot be before it was approved."), field="paid_on")
        entry = fund.barrier_payment_record(
            actor=actor,
            amount_pence=locked.amount_pence,
            category=locked.category,
            method=method,
            reference=reference,
            paid_on=paid_on,
            source_key=locked.source_key,
        )
        locked.status = Status.PAID
        locked.method = method
        locked.paid_on = paid_on
        locked.reference = reference
        locked.ledger_entry_id = entry
        locked.save(update_fields=["status", "method", "paid_on", "reference", "ledger_entry_id"])
        audit_record(
            actor=actor.user,
            action="support.barrier_paid",
            partnership_id=locked.partnership_id,
            target=locked,
            detail={"method": method, "ledger_entry": entry},
        )
        _tell_member(locked, _("The money for %(what)s has been paid.") % {"what": locked.what_for})
    return locked


def barrier_cancel(*, actor: Membership, asked: BarrierRequest) -> BarrierRequest:
    """The member or her keyworker cancels a request not yet paid; an approved one gives its money back to the pot."""
    if not selectors.plan_access(actor, asked.plan).may_edit:
        raise NotPermitted()
    with transaction.atomic(durable=True):
        locked = _lock_request(asked)
        if locked.status not in (*OPEN, Status.APPROVED):
            raise ServiceError(_("A request that is paid, refused or cancelled cannot be cancelled."), code="status")
        if locked.status == Status.APPROVED:
            fund.pot_release(source_key=locked.source_key)
        locked.status = Status.CANCELLED
        locked.cancelled_at = timezone.now()
        locked.save(update_fields=["status", "cancelled_at"])
        audit_record(
            actor=actor.user, action="support.barrier_cancelled", partnership_id=locked.partnership_id, target=locked
        )
        notices_done(partnership_id=locked.partnership_id, subject_key=_waiting_key(locked))
        notices_done(partnership_id=locked.partnership_id, subject_key=f"support.barrier:{locked.pk}:agree")
    return locked
