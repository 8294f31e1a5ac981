"""Leaving, removing someone, and erasure: every capability's departure, run in one transaction with the
partnership and the person's membership locked, audited. Keyword-only, the acting person first."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.audit import audit_record
from coproduce.core.email import make_email
from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.outbox import queue_email
from coproduce.core.permissions import require_rule
from coproduce.datarights.models import ErasureRequest, one_month_after
from coproduce.datarights.selectors import leaving_outcome
from coproduce.partnerships.models import Membership
from coproduce.partnerships.personal_data import departures
from coproduce.partnerships.services import partnership_lock


def _is_last_coordinator(membership: Membership) -> bool:
    return (
        membership.is_coordinator
        and not Membership.objects.filter(partnership_id=membership.partnership_id, is_coordinator=True)
        .exclude(pk=membership.pk)
        .exists()
    )


def _depart(*, membership_id: int, by: Any, yourself: bool) -> Membership:
    """Take the person out of the partnership: each capability's ``leave``, then the membership goes. Runs
    inside the caller's transaction, with the partnership locked (so two coordinators cannot both go)."""
    locked = (
        Membership.objects.select_for_update().select_related("user", "partnership").filter(pk=membership_id).first()
    )
    if locked is None:
        raise ServiceError(_("This person has already left the partnership."), code="gone")
    if _is_last_coordinator(locked):
        raise ServiceError(
            _("You are the only coordinator. Make someone else a coordinator before you leave.")
            if yourself
            else _("They are the only coordinator. Make someone else a coordinator first."),
            code="last_coordinator",
        )
    if ErasureRequest.objects.filter(membership_id=locked.pk, confirmed_at__isnull=True).exists():
        raise ServiceError(
            _("You have asked for your data to be erased. A coordinator will confirm it first; then you can leave.")
            if yourself
            else _("They have asked for their data to be erased. Confirm the erasure first (Erasure requests)."),
            code="erasure_open",
        )
    counts = {line.what: line.count for line in leaving_outcome(locked).lines}
    for departure in departures():
        departure.leave(locked)
    audit_record(
        actor=by,
        action="membership.left" if yourself else "membership.removed",
        partnership_id=locked.partnership_id,
        target=locked,
        target_label=locked.user.name,
        detail={"roles": [r.value for r in locked.roles], "counts": counts},
    )
    locked.delete()
    return locked


def membership_leave(*, actor: Membership) -> None:
    """The person leaves the partnership (ADR 24). The last coordinator cannot leave it without one."""
    require_rule("datarights.leave", actor)
    with transaction.atomic(durable=True):
        partnership_lock(actor.partnership_id)
        _depart(membership_id=actor.pk, by=actor.user, yourself=True)


def membership_remove(*, actor: Membership, membership: Membership) -> None:
    """A coordinator takes someone out of the partnership: the same as their leaving, and they are told by
    email. Not the last coordinator; not yourself (leave instead)."""
    require_rule("datarights.remove_person", actor)
    if membership.partnership_id != actor.partnership_id:
        raise NotPermitted()
    if membership.pk == actor.pk:
        raise ServiceError(_("To take yourself out of the partnership, leave it instead."), code="yourself")
    with transaction.atomic(durable=True):
        partnership_lock(actor.partnership_id)
        gone = _depart(membership_id=membership.pk, by=actor.user, yourself=False)
        context = {"partnership": gone.partnership, "name": gone.user.name, "site": settings.COPRODUCE_SITE_URL}
        queue_email(
            kind="datarights.removed",
            to=[gone.user.email],
            **make_email(
                "datarights/email/removed", context, brand=gone.partnership.name, language=gone.user.language
            ).parts(),
        )


def erasure_request(*, actor: Membership) -> ErasureRequest:
    """The person asks for everything they wrote in the partnership to be erased. Coordinators confirm it
    within a month (UK GDPR Art. 12(3)); they are told by email."""
    require_rule("datarights.ask_erasure", actor)
    now = timezone.now()
    try:
        with transaction.atomic(durable=True):
            erasure = ErasureRequest.objects.create(
                partnership_id=actor.partnership_id,
                membership=actor,
                requested_by=actor.user,
                requested_at=now,
                due_on=one_month_after(timezone.localdate(now)),
            )
            audit_record(actor=actor.user, action="datarights.erasure_requested", partnership_id=actor.partnership_id)
            coordinators = list(
                Membership.objects.filter(partnership_id=actor.partnership_id, is_coordinator=True)
                .exclude(pk=actor.pk)
                .values_list("user__email", flat=True)
            )
            if coordinators:
                link = settings.COPRODUCE_SITE_URL.rstrip("/") + reverse(
                    "datarights:erasures", kwargs={"slug": actor.partnership.slug}
                )
                context = {"partnership": actor.partnership, "due_on": erasure.due_on, "link": link}
                queue_email(
                    kind="datarights.erasure_requested",
                    to=coordinators,
                    **make_email("datarights/email/erasure", context, brand=actor.partnership.name).parts(),
                )
    except IntegrityError as error:
        raise ServiceError(
            _("You have already asked for this. A coordinator will confirm it soon."), code="exists"
        ) from error
    return erasure


def erasure_confirm(*, actor: Membership, erasure: ErasureRequest) -> ErasureRequest:
    """Erase what the person wrote in every capability (each departure's ``erase``), in one transaction.
    The person stays in the partnership. The request and the audit event of the confirmation stay, with no
    name on them (ADR 18, ADR 24)."""
    require_rule("datarights.confirm_erasure", actor)
    if erasure.partnership_id != actor.partnership_id:
        raise NotPermitted()
    with transaction.atomic(durable=True):
        partnership_lock(actor.partnership_id)
        locked = ErasureRequest.objects.select_for_update().get(pk=erasure.pk)
        if locked.confirmed_at is not None:
            raise ServiceError(_("This erasure has already been confirmed."), code="done")
        person = (
            Membership.objects.select_for_update()
            .select_related("user", "partnership")
            .filter(pk=locked.membership_id or 0)
            .first()
        )
        if person is None:
            raise ServiceError(_("This person is no longer in the partnership."), code="gone")
        for departure in departures():
            departure.erase(person)
        locked.confirmed_at, locked.confirmed_by = timezone.now(), actor.user
        locked.membership, locked.requested_by = None, None
        locked.save(update_fields=["confirmed_at", "confirmed_by", "membership", "requested_by"])
        audit_record(
            actor=actor.user,
            action="datarights.erasure_confirmed",
            partnership_id=actor.partnership_id,
            target=locked,
            target_label=str(locked),
        )
    return locked


__all__ = ["erasure_confirm", "erasure_request", "membership_leave", "membership_remove"]
