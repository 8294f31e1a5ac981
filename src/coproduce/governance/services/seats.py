"""Groups (a board or steering group), their seats, and who holds each seat for which term."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.exceptions import ServiceError
from coproduce.core.guards import same_partnership, text_checked
from coproduce.core.permissions import require_rule
from coproduce.governance.models import NAME_MAX, PURPOSE_MAX, Group, Seat, SeatHolding
from coproduce.governance.services._common import _audit, _in_order, _not_in_future
from coproduce.partnerships.models import Membership, Organisation


def _group_fields(actor: Membership, name: str, purpose: str, *, group_id: int | None = None) -> tuple[str, str]:
    name = text_checked(name, field="name", max_length=NAME_MAX, required=_("Give the group a name."))
    purpose = text_checked(purpose, field="purpose", max_length=PURPOSE_MAX)
    taken = Group.objects.filter(partnership_id=actor.partnership_id, name__iexact=name)
    if group_id is not None:
        taken = taken.exclude(pk=group_id)
    if taken.exists():
        raise ServiceError(_("There is already a group with this name."), field="name", code="taken")
    return name, purpose


def group_create(*, actor: Membership, name: str, purpose: str = "") -> Group:
    require_rule("governance.change", actor)
    with transaction.atomic(durable=True):
        name, purpose = _group_fields(actor, name, purpose)
        group = Group.objects.create(partnership_id=actor.partnership_id, name=name, purpose=purpose)
        _audit(actor, "group_created", group, name=name)
    return group


def group_update(*, actor: Membership, group: Group, name: str, purpose: str = "") -> Group:
    same_partnership(actor, group)
    require_rule("governance.change", actor)
    with transaction.atomic(durable=True):
        locked = Group.objects.select_for_update().get(pk=group.pk)
        name, purpose = _group_fields(actor, name, purpose, group_id=group.pk)
        before = {"name": locked.name, "purpose": locked.purpose}
        locked.name, locked.purpose = name, purpose
        locked.save(update_fields=["name", "purpose"])
        _audit(actor, "group_changed", locked, before=before, after={"name": name, "purpose": purpose})
    return locked


def _seat_fields(
    actor: Membership, title: str, kind: str, organisation: Organisation | None
) -> tuple[str, str, Organisation | None]:
    title = text_checked(title, field="title", max_length=NAME_MAX, required=_("Give the seat a title."))
    if kind not in Seat.Kind.values:
        raise ServiceError(_("Choose whether the seat is for a member or for an organisation."), field="kind")
    if kind == Seat.Kind.MEMBER:
        return title, kind, None
    if organisation is None:
        raise ServiceError(_("Choose the organisation the seat is for."), field="organisation", code="required")
    if organisation.partnership_id != actor.partnership_id:
        raise ServiceError(_("Choose an organisation from the list."), field="organisation")
    return title, kind, organisation


def seat_create(
    *, actor: Membership, group: Group, title: str, kind: str, organisation: Organisation | None = None
) -> Seat:
    same_partnership(actor, group)
    require_rule("governance.change", actor)
    title, kind, organisation = _seat_fields(actor, title, kind, organisation)
    with transaction.atomic(durable=True):
        seat = Seat.objects.create(
            partnership_id=actor.partnership_id, group=group, title=title, kind=kind, organisation=organisation
        )
        _audit(actor, "seat_created", seat, group=group.name, kind=kind, organisation=getattr(organisation, "name", ""))
    return seat


def seat_update(
    *, actor: Membership, seat: Seat, title: str, kind: str, organisation: Organisation | None = None
) -> Seat:
    """Change a seat's title; its kind or organisation only while nobody holds it."""
    same_partnership(actor, seat)
    require_rule("governance.change", actor)
    title, kind, organisation = _seat_fields(actor, title, kind, organisation)
    with transaction.atomic(durable=True):
        locked = Seat.objects.select_for_update().get(pk=seat.pk)
        new_org_id = organisation.pk if organisation else None
        if (kind, new_org_id) != (locked.kind, locked.organisation_id) and locked.holdings.filter(
            ended_on__isnull=True
        ).exists():
            raise ServiceError(
                _("Someone holds this seat. End their term before changing who the seat is for."),
                field="kind",
                code="held",
            )
        before = {"title": locked.title, "kind": locked.kind, "organisation_id": locked.organisation_id}
        locked.title, locked.kind, locked.organisation = title, kind, organisation
        locked.save(update_fields=["title", "kind", "organisation"])
        _audit(
            actor,
            "seat_changed",
            locked,
            before=before,
            after={"title": title, "kind": kind, "organisation_id": new_org_id},
        )
    return locked


def seat_retire(*, actor: Membership, seat: Seat) -> Seat:
    """Remove a seat the group no longer has. It must be vacant; its history is kept."""
    same_partnership(actor, seat)
    require_rule("governance.change", actor)
    with transaction.atomic(durable=True):
        locked = Seat.objects.select_for_update().get(pk=seat.pk)
        if locked.retired_on is not None:
            raise ServiceError(_("This seat has already been removed."), code="retired")
        if locked.holdings.filter(ended_on__isnull=True).exists():
            raise ServiceError(_("Someone holds this seat. End their term first."), code="held")
        locked.retired_on = timezone.localdate()
        locked.save(update_fields=["retired_on"])
        _audit(actor, "seat_retired", locked, group=locked.group.name)
    return locked


def may_hold(seat: Seat, membership: Membership) -> bool:
    """A member seat is for a member; an organisation's seat is for a member of that organisation's staff."""
    if seat.kind == Seat.Kind.MEMBER:
        return membership.is_member
    return membership.is_staff_role and membership.organisation_id == seat.organisation_id


def seat_appoint(
    *,
    actor: Membership,
    seat: Seat,
    membership: Membership,
    term_starts_on: date,
    term_ends_on: date | None = None,
) -> SeatHolding:
    """Appoint someone to a vacant seat for a term."""
    same_partnership(actor, seat)
    require_rule("governance.change", actor)
    if membership.partnership_id != actor.partnership_id:
        raise ServiceError(_("Choose someone from the list."), field="membership")
    if not may_hold(seat, membership):
        raise ServiceError(
            _("A member seat is held by a member.")
            if seat.kind == Seat.Kind.MEMBER
            else _("This seat is held by a member of staff of %(organisation)s.")
            % {"organisation": seat.organisation.name if seat.organisation else ""},
            field="membership",
            code="wrong_kind",
        )
    _in_order(
        term_starts_on,
        term_ends_on,
        field="term_ends_on",
        message=_("The term must end after it starts."),
    )
    with transaction.atomic(durable=True):
        # One current holder per seat (a database constraint too): two coordinators appointing at once queue here.
        retired_on = Seat.objects.select_for_update().filter(pk=seat.pk).values_list("retired_on", flat=True).first()
        if retired_on is not None:
            raise ServiceError(_("This seat has been removed: it cannot be filled."), code="retired")
        if SeatHolding.objects.filter(seat=seat, ended_on__isnull=True).exists():
            raise ServiceError(
                _("Someone already holds this seat. End their term first."), field="membership", code="held"
            )
        holding = SeatHolding.objects.create(
            seat=seat,
            membership=membership,
            term_starts_on=term_starts_on,
            term_ends_on=term_ends_on,
            appointed_at=timezone.now(),
        )
        _audit(
            actor,
            "seat_appointed",
            holding,
            seat=seat.title,
            membership_id=membership.pk,
            term_starts_on=term_starts_on.isoformat(),
            term_ends_on=term_ends_on.isoformat() if term_ends_on else None,
        )
    return holding


def holding_end(*, actor: Membership, holding: SeatHolding, ended_on: date | None = None) -> SeatHolding:
    """End someone's holding of a seat (their term is over, or they stepped down): the seat becomes vacant and
    the holding stays in its history."""
    same_partnership(actor, holding.seat)
    require_rule("governance.change", actor)
    ended_on = ended_on or timezone.localdate()
    _not_in_future(ended_on, field="ended_on")
    with transaction.atomic(durable=True):
        locked = SeatHolding.objects.select_for_update().get(pk=holding.pk)
        if locked.ended_on is not None:
            raise ServiceError(_("This term has already ended."), code="ended")
        _in_order(
            locked.term_starts_on, ended_on, field="ended_on", message=_("The term cannot end before it started.")
        )
        locked.ended_on = ended_on
        locked.save(update_fields=["ended_on"])
        _audit(actor, "holding_ended", locked, seat=holding.seat.title, ended_on=ended_on.isoformat())
    return locked


def holdings_end_for_departure(membership: Membership) -> int:
    """The person leaves: their current seats become vacant today (a term not started yet is withdrawn).
    Runs inside the caller's transaction; returns how many holdings it ended or withdrew."""
    today = timezone.localdate()
    current = SeatHolding.objects.filter(membership=membership, ended_on__isnull=True)
    withdrawn, _kinds = current.filter(term_starts_on__gt=today).delete()
    return withdrawn + current.update(ended_on=today)
