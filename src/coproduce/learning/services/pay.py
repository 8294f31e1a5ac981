"""Paid time and expenses: the partnership's rates, a parent's claim after a paid-time event, and a
coordinator's decision on it. An approved claim is paid through the pooled fund's ledger (``fund.api``): the
claim's row is locked while it is decided and the ledger entry is keyed by the claim, so a claim approved twice
at the same moment is paid once."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coproduce.core.audit import audit_record
from coproduce.core.exceptions import ServiceError
from coproduce.core.guards import same_partnership, text_checked
from coproduce.core.money import format_pence
from coproduce.core.permissions import require_rule
from coproduce.fund import api as fund_api
from coproduce.learning.models import (
    MOST_EXPENSE_PENCE,
    MOST_HOURLY_RATE_PENCE,
    Attendance,
    Claim,
    Event,
    PaySettings,
)
from coproduce.notifications import api as notifications
from coproduce.partnerships.models import Membership

REASON_MAX = 400


def _pence(value: Any, *, field: str, most: int, too_much: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ServiceError(_("Enter an amount in pounds and pence, like 4.50."), field=field, code="amount")
    if value < 0:
        raise ServiceError(_("The amount cannot be less than £0."), field=field, code="negative")
    if value > most:
        raise ServiceError(too_much, field=field, code="too_much")
    return value


def pay_settings_update(
    *,
    actor: Membership,
    hourly_rate_pence: int,
    covers_travel: bool,
    covers_childcare: bool,
    expense_ceiling_pence: int,
) -> PaySettings:
    """A coordinator sets what parents are paid for co-design time and which costs are covered."""
    require_rule("learning.manage_pay", actor)
    hourly_rate_pence = _pence(
        hourly_rate_pence,
        field="hourly_rate",
        most=MOST_HOURLY_RATE_PENCE,
        too_much=_("The hourly rate can be at most %(most)s.") % {"most": format_pence(MOST_HOURLY_RATE_PENCE)},
    )
    expense_ceiling_pence = _pence(
        expense_ceiling_pence,
        field="expense_ceiling",
        most=MOST_EXPENSE_PENCE,
        too_much=_("The most for one cost can be at most %(most)s.") % {"most": format_pence(MOST_EXPENSE_PENCE)},
    )
    if expense_ceiling_pence < 1:
        raise ServiceError(_("Enter the most a claim can ask for one cost, like 50."), field="expense_ceiling")
    with transaction.atomic(durable=True):
        settings_, _created = PaySettings.objects.select_for_update().get_or_create(partnership_id=actor.partnership_id)
        before = (
            settings_.hourly_rate_pence,
            settings_.covers_travel,
            settings_.covers_childcare,
            settings_.expense_ceiling_pence,
        )
        settings_.hourly_rate_pence = hourly_rate_pence
        settings_.covers_travel = bool(covers_travel)
        settings_.covers_childcare = bool(covers_childcare)
        settings_.expense_ceiling_pence = expense_ceiling_pence
        settings_.updated_by = actor.user
        settings_.updated_at = timezone.now()
        settings_.save()
        audit_record(
            actor=actor.user,
            action="learning.pay_settings_changed",
            partnership_id=actor.partnership_id,
            target=settings_,
            detail={
                "before": list(before),
                "after": [hourly_rate_pence, bool(covers_travel), bool(covers_childcare), expense_ceiling_pence],
            },
        )
    return settings_


def time_pay_pence(rate_pence: int, minutes: int) -> int:
    """Pay for ``minutes`` at ``rate_pence`` an hour, to the nearest penny (halves up), in integers only."""
    return (rate_pence * minutes + 30) // 60


def claim_make(
    *,
    actor: Membership,
    event: Event,
    time_choice: str,
    travel_pence: int = 0,
    childcare_pence: int = 0,
    receipt_reference: str = "",
) -> Claim:
    """A parent who came to a paid-time event claims, once, after it ended: cash, a voucher or nothing for her
    time (paid for the minutes ticked on the register at the partnership's rate), and her travel and childcare
    costs up to the partnership's ceiling."""
    require_rule("learning.claim", actor)
    same_partnership(actor, event)
    if not event.paid_time:
        raise ServiceError(_("This event is not paid time, so there is nothing to claim."), code="not_paid")
    if event.cancelled_at is not None:
        raise ServiceError(_("This event was cancelled, so there is nothing to claim."), code="cancelled")
    if timezone.now() < event.ends_at:
        raise ServiceError(
            _("You can claim once the event has ended (after %(end)s).")
            % {"end": date_format(timezone.localtime(event.ends_at), "j F, H:i")},
            code="not_ended",
        )
    attended = Attendance.objects.filter(event=event, user_id=actor.user_id, present=True).first()
    if attended is None:
        raise ServiceError(
            _("The register does not show you at this event. If you were there, ask the organiser to tick you."),
            code="not_attended",
        )
    if time_choice not in Claim.TimeChoice.values:
        raise ServiceError(_("Choose cash, a voucher or nothing for your time."), field="time_choice")
    rates = PaySettings.objects.filter(partnership_id=actor.partnership_id).first() or PaySettings()
    ceiling = rates.expense_ceiling_pence
    too_much = _("The most you can claim for one cost is %(most)s. For more, talk to the organiser.") % {
        "most": format_pence(ceiling)
    }
    travel_pence = _pence(travel_pence, field="travel", most=ceiling, too_much=too_much)
    childcare_pence = _pence(childcare_pence, field="childcare", most=ceiling, too_much=too_much)
    if travel_pence and not rates.covers_travel:
        raise ServiceError(_("The partnership does not cover travel costs."), field="travel")
    if childcare_pence and not rates.covers_childcare:
        raise ServiceError(_("The partnership does not cover childcare costs."), field="childcare")
    receipt_reference = text_checked(
        receipt_reference,
        field="receipt_reference",
        max_length=100,
        too_long=_("The receipt reference must be %(max)d characters or fewer."),
    )
    minutes = attended.minutes or event.duration_minutes
    time_pence = 0 if time_choice == Claim.TimeChoice.NOTHING else time_pay_pence(rates.hourly_rate_pence, minutes)
    if time_pence + travel_pence + childcare_pence == 0:
        raise ServiceError(
            _("This claim asks for nothing. Choose cash or a voucher for your time, or enter a cost."),
            field="time_choice",
            code="nothing",
        )
    try:
        with transaction.atomic(durable=True):
            claim = Claim.objects.create(
                partnership_id=actor.partnership_id,
                event=event,
                user=actor.user,
                time_choice=time_choice,
                time_minutes=minutes if time_choice != Claim.TimeChoice.NOTHING else 0,
                time_pence=time_pence,
                travel_pence=travel_pence,
                childcare_pence=childcare_pence,
                receipt_reference=receipt_reference,
            )
            audit_record(
                actor=actor.user,
                action="learning.claim_made",
                partnership_id=actor.partnership_id,
                target=claim,
                detail={"event": event.pk, "total_pence": claim.total_pence},
            )
    except IntegrityError as error:  # the unique (event, person): a second claim, e.g. a form sent twice
        raise ServiceError(_("You have already claimed for this event."), code="twice") from error
    return claim


def _locked_waiting(actor: Membership, claim: Claim) -> Claim:
    same_partnership(actor, claim)
    return Claim.objects.select_for_update().select_related("event").get(pk=claim.pk)


def _tell(claim: Claim, text: str) -> None:
    if claim.user_id is None:
        return
    from django.urls import reverse

    url = reverse("learning:my-payments", kwargs={"slug": claim.event.partnership.slug})
    notifications.notify(
        partnership_id=claim.partnership_id,
        user_ids=[claim.user_id],
        kind="learning.claim_decided",
        text=text,
        url=url,
        subject_key=f"learning.claim:{claim.pk}",
    )


def claim_approve(*, actor: Membership, claim: Claim) -> Claim:
    """A coordinator approves a claim: its payment is written into the fund's ledger in the same transaction.
    Approving an approved claim changes nothing (two coordinators at once: one payment)."""
    require_rule("learning.decide_claims", actor)
    with transaction.atomic(durable=True):
        locked = _locked_waiting(actor, claim)
        if locked.status == Claim.Status.APPROVED:
            return locked
        if locked.status == Claim.Status.REFUSED:
            raise ServiceError(_("This claim was refused, so it cannot be approved now."), code="refused")
        event = locked.event
        spending_id = fund_api.spending_record(
            actor=actor,
            amount_pence=locked.total_pence,
            category=fund_api.PARTICIPATION,
            # No name: the ledger is open to the whole partnership.
            description=_("Paid time and expenses: %(event)s, %(date)s")
            % {"event": event.title[:80], "date": date_format(timezone.localtime(event.starts_at), "j M Y")},
            reference=locked.receipt_reference,
            source_key=f"learning.claim:{locked.pk}",
        )
        locked.status = Claim.Status.APPROVED
        locked.spending_id = spending_id
        locked.decided_by = actor.user
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "spending_id", "decided_by", "decided_at"])
        audit_record(
            actor=actor.user,
            action="learning.claim_approved",
            partnership_id=actor.partnership_id,
            target=locked,
            detail={"total_pence": locked.total_pence, "spending": spending_id},
        )
        _tell(
            locked,
            _("Your claim for “%(event)s” is approved: %(total)s.")
            % {"event": event.title, "total": format_pence(locked.total_pence)},
        )
    return locked


def claim_refuse(*, actor: Membership, claim: Claim, reason: str) -> Claim:
    """A coordinator refuses a waiting claim and says why (the parent sees the reason)."""
    require_rule("learning.decide_claims", actor)
    reason = text_checked(
        reason,
        field="reason",
        max_length=REASON_MAX,
        required=_("Say why the claim is refused: the parent will read it."),
        too_long=_("The reason must be %(max)d characters or fewer."),
    )
    with transaction.atomic(durable=True):
        locked = _locked_waiting(actor, claim)
        if locked.status != Claim.Status.WAITING:
            raise ServiceError(_("This claim has already been decided."), code="decided")
        locked.status = Claim.Status.REFUSED
        locked.refusal_reason = reason
        locked.decided_by = actor.user
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "refusal_reason", "decided_by", "decided_at"])
        audit_record(
            actor=actor.user,
            action="learning.claim_refused",
            partnership_id=actor.partnership_id,
            target=locked,
        )
        _tell(
            locked,
            _("Your claim for “%(event)s” was not approved: %(reason)s")
            % {"event": locked.event.title, "reason": reason},
        )
    return locked
