"""Referrals to services: sent with the member's agreement, moved through their states, with messages."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.audit import audit_record
from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.partnerships.models import Membership
from coproduce.support import selectors
from coproduce.support.models import (
    FINAL_STATUSES,
    PART_VALUES,
    TEXT_MAX,
    Part,
    Purpose,
    Referral,
    ReferralUpdate,
    Service,
    Share,
    SupportPlan,
)
from coproduce.support.services._common import (
    clean_text,
    lawful_basis_for,
    lock_plan,
    notices_done,
    notify,
    person_label,
    record_change,
)

# The referral state machine: from each status, the statuses it may move to. Final ones move nowhere.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "sent": ("accepted", "declined", "closed"),
    "accepted": ("started", "closed"),
    "started": ("completed", "closed"),
    "declined": (),
    "completed": (),
    "closed": (),
}
RECEIVER_MOVES = {"accepted", "declined", "started", "completed"}


def referral_create(
    *,
    actor: Membership,
    plan: SupportPlan,
    service: Service,
    parts: Iterable[str],
    note: str = "",
    member_agrees: bool = False,
) -> Referral:
    """A referral from the plan to a service. The member must agree, and agree what is shared with it; the
    shared parts become consent records for the receiving organisation, tied to this referral."""
    access = selectors.plan_access(actor, plan)
    if not access.may_edit:
        raise NotPermitted()
    if service.partnership_id != plan.partnership_id or not service.active:
        raise ServiceError(
            _("Choose a service from this partnership's directory."), field="service", code="other_partnership"
        )
    if not member_agrees:
        raise ServiceError(
            _("A referral can only be sent when the member agrees to it. Tick the box to say they agree."),
            field="member_agrees",
            code="not_agreed",
        )
    parts = set(parts)
    if not parts <= set(PART_VALUES):
        raise ServiceError(_("Choose parts of the plan from the list."), field="parts")
    note = clean_text(note, field="note", max_length=TEXT_MAX)
    now = timezone.now()
    with transaction.atomic(durable=True):
        locked = lock_plan(plan)
        if locked.status != SupportPlan.Status.ACTIVE:
            raise ServiceError(
                _("The member needs to accept the plan before a referral can be made."), code="not_active"
            )
        referral = Referral.objects.create(
            partnership_id=locked.partnership_id,
            plan=locked,
            service=service,
            organisation_id=service.organisation_id,
            note=note,
            shared_parts=sorted(parts),
            member_agreed_at=now,
            referred_by=actor.user,
        )
        ReferralUpdate.objects.create(
            referral=referral, status="sent", message=note, by=actor.user, by_label=person_label(actor.user)
        )
        basis = lawful_basis_for(locked.partnership_id, Purpose.REFERRAL)
        live = set(
            Share.objects.filter(
                plan=locked, organisation_id=service.organisation_id, withdrawn_at__isnull=True
            ).values_list("part", flat=True)
        )
        member_user = locked.member.user if locked.member else None
        for part in sorted(parts - live):
            share = Share.objects.create(
                plan=locked,
                organisation_id=service.organisation_id,
                part=part,
                purpose=Purpose.REFERRAL,
                lawful_basis=basis,
                referral=referral,
                given_by=member_user,
                recorded_by=actor.user,
                given_at=now,
            )
            audit_record(
                actor=actor.user,
                action="support.consent_given",
                partnership_id=locked.partnership_id,
                target=share,
                detail={"part": part, "organisation": service.organisation_id, "referral": referral.pk},
            )
        record_change(
            plan=locked,
            actor=actor,
            part=Part.ACTIONS,
            summary=_("Referral sent to %(service)s") % {"service": service.name},
            obj=referral,
        )
        staff = Membership.objects.filter(
            partnership_id=locked.partnership_id, organisation_id=service.organisation_id
        ).exclude(pk=actor.pk)
        notify(
            partnership_id=locked.partnership_id,
            user_ids=staff.values_list("user_id", flat=True),
            kind="support.referral_new",
            subject_key=f"support.referral:{referral.pk}:new",
            text=_("New referral to %(service)s.") % {"service": service.name},
            url=reverse("support:referral", kwargs={"slug": locked.partnership.slug, "referral_id": referral.pk}),
        )
        audit_record(
            actor=actor.user,
            action="support.referral_sent",
            partnership_id=locked.partnership_id,
            target=referral,
            detail={"service": service.pk, "parts": sorted(parts)},
        )
    return referral


def referral_move(
    *,
    actor: Membership,
    referral: Referral,
    status: str,
    message: str = "",
    reason: str = "",
) -> Referral:
    """Move a referral along sent → accepted / declined (with a reason) → started → completed, or close it.
    The receiving organisation moves it; the member or their keyworker may close it. A final referral never
    changes again."""
    message = clean_text(message, field="message", max_length=TEXT_MAX)
    reason = clean_text(reason, field="reason", max_length=TEXT_MAX)
    with transaction.atomic(durable=True):
        locked = Referral.objects.select_for_update().select_related("plan", "service").get(pk=referral.pk)
        if selectors.referrals_visible_to(actor).filter(pk=locked.pk).first() is None:
            raise NotPermitted()
        receiver = (
            actor.is_staff_role and actor.organisation_id == locked.organisation_id and locked.withdrawn_at is None
        )
        access = selectors.plan_access(actor, locked.plan)
        if locked.status in FINAL_STATUSES:
            raise ServiceError(
                _("This referral is %(status)s and cannot change again.")
                % {"status": locked.get_status_display().lower()},
                field="status",
                code="final",
            )
        if status not in TRANSITIONS.get(locked.status, ()):
            raise ServiceError(
                _("A referral that is %(status)s cannot move to that step.")
                % {"status": locked.get_status_display().lower()},
                field="status",
                code="transition",
            )
        if status in RECEIVER_MOVES and not receiver:
            raise ServiceError(
                _("Only the organisation that received the referral can do this."), field="status", code="not_receiver"
            )
        if status == "closed" and not (receiver or access.may_edit):
            raise NotPermitted()
        if status == "declined" and not reason:
            raise ServiceError(
                _("Say why the referral is declined, so the member and their keyworker know."),
                field="reason",
                code="required",
            )
        locked.status = status
        locked.decline_reason = reason if status == "declined" else locked.decline_reason
        locked.updated_at = timezone.now()
        locked.save(update_fields=["status", "decline_reason", "updated_at"])
        ReferralUpdate.objects.create(
            referral=locked,
            status=status,
            message=reason if status == "declined" and not message else message,
            by=actor.user,
            by_label=person_label(actor.user),
        )
        people = {locked.referred_by_id} if locked.referred_by_id else set()
        if locked.plan.member is not None:
            people.add(locked.plan.member.user_id)
        people.discard(actor.user_id)
        # Someone has answered the referral (or closed it): "New referral" is done for everyone it told.
        notices_done(partnership_id=locked.partnership_id, subject_key=f"support.referral:{locked.pk}:new")
        notify(
            partnership_id=locked.partnership_id,
            user_ids=people,  # type: ignore[arg-type]
            kind="support.referral_update",
            subject_key=f"support.referral:{locked.pk}",
            text=_("Your referral to %(service)s is now: %(status)s.")
            % {"service": locked.service.name, "status": locked.get_status_display().lower()},
            url=reverse("support:referral", kwargs={"slug": actor.partnership.slug, "referral_id": locked.pk}),
        )
        audit_record(
            actor=actor.user,
            action="support.referral_moved",
            partnership_id=locked.partnership_id,
            target=locked,
            detail={"status": status},
        )
    return locked


def referral_message(*, actor: Membership, referral: Referral, message: str) -> ReferralUpdate:
    """A message on a referral (e.g. back to the referrer), without changing its status."""
    message = clean_text(message, field="message", max_length=TEXT_MAX, required=_("Write a message."))
    with transaction.atomic(durable=True):
        locked = Referral.objects.select_for_update().get(pk=referral.pk)
        if selectors.referrals_visible_to(actor).filter(pk=locked.pk).first() is None:
            raise NotPermitted()
        if locked.status in FINAL_STATUSES:
            raise ServiceError(_("This referral is closed and cannot change again."), field="message", code="final")
        update = ReferralUpdate.objects.create(
            referral=locked, status=locked.status, message=message, by=actor.user, by_label=person_label(actor.user)
        )
        locked.updated_at = timezone.now()
        locked.save(update_fields=["updated_at"])
    return update
