"""Referrals a person may see, and the directory of services (also as Open Referral UK JSON)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet

from coproduce.core.exceptions import NotPermitted
from coproduce.core.models import AuditEvent
from coproduce.partnerships.models import Membership, Organisation, Partnership
from coproduce.support import openreferral
from coproduce.support.models import NeedTag, Referral, ReferralUpdate, Service, SupportPlan
from coproduce.support.selectors.access import keyworker_q
from coproduce.support.selectors.plans import organisations_of


def referrals_visible_to(membership: Membership | None) -> QuerySet[Referral]:
    if membership is None:
        return Referral.objects.none()
    base = Referral.objects.filter(
        partnership_id=membership.partnership_id, plan__erased_at__isnull=True, plan__left_at__isnull=True
    )
    mine = Q(plan__member_id=membership.pk)
    if not membership.is_staff_role:
        return base.filter(mine)
    keyworker = Q(
        plan__in=SupportPlan.objects.filter(
            partnership_id=membership.partnership_id, status=SupportPlan.Status.ACTIVE
        ).filter(keyworker_q(membership))
    )
    receiving = Q(organisation_id=membership.organisation_id, withdrawn_at__isnull=True)
    return base.filter(mine | keyworker | receiving)


def referral_for(membership: Membership, referral_id: int) -> Referral:
    """A referral this person may see; else ``NotPermitted``."""
    found = (
        referrals_visible_to(membership)
        .filter(pk=referral_id)
        .select_related("service", "organisation", "plan__member__user", "referred_by")
        .first()
    )
    if found is None:
        raise NotPermitted()
    return found


def referral_updates(referral: Referral) -> list[ReferralUpdate]:
    return list(ReferralUpdate.objects.filter(referral=referral))


def services_visible_to(membership: Membership, need: str = "") -> QuerySet[Service]:
    services = (
        Service.objects.filter(partnership_id=membership.partnership_id, active=True)
        .select_related("organisation")
        .prefetch_related("needs", "locations")
    )
    if need:
        services = services.filter(needs__key=need)
    return services.order_by("name")


def directory_export(partnership: Partnership) -> dict[str, Any]:
    """The partnership's active services as one page of Open Referral UK JSON (``openreferral.export_services``).
    The directory is open to everyone in the partnership, and to its operator at the command line."""
    services = (
        Service.objects.filter(partnership=partnership, active=True)
        .select_related("organisation", "partnership")
        .prefetch_related("needs", "locations")
        .order_by("name")
    )
    return openreferral.export_services(services)


def service_for(membership: Membership, service_id: int) -> Service:
    """A service in the directory; else ``NotPermitted``."""
    found = services_visible_to(membership).filter(pk=service_id).first()
    if found is None:
        raise NotPermitted()
    return found


def may_manage_service(actor: Membership, organisation: Organisation) -> bool:
    """A partner lead manages their own organisation's services; a coordinator manages any in the partnership."""
    if organisation.partnership_id != actor.partnership_id:
        return False
    return actor.is_coordinator or (actor.is_partner_lead and actor.organisation_id == organisation.pk)


def service_to_manage(membership: Membership, service_id: int) -> Service:
    """A service (active or not) this person may change; else ``NotPermitted``."""
    found = (
        Service.objects.filter(pk=service_id, partnership_id=membership.partnership_id)
        .select_related("organisation")
        .prefetch_related("needs", "locations")
        .first()
    )
    if found is None or not may_manage_service(membership, found.organisation):
        raise NotPermitted()
    return found


def organisations_listing_services(membership: Membership) -> QuerySet[Organisation]:
    """The organisations whose services this person may add or change: any, for a coordinator; else their own."""
    organisations = organisations_of(membership)
    return organisations if membership.is_coordinator else organisations.filter(pk=membership.organisation_id or 0)


def need_tags_of(membership: Membership) -> QuerySet[NeedTag]:
    return NeedTag.objects.filter(partnership_id=membership.partnership_id)


def need_tags(membership: Membership) -> list[NeedTag]:
    return list(need_tags_of(membership))


# --- open data: the directory as an Open Referral UK API, for anyone once the partnership publishes


def open_services(partnership: Partnership, *, text: str = "") -> QuerySet[Service]:
    """The partnership's active services, by name, whose name or description holds ``text`` (any, when empty):
    what the open directory lists. Nothing about referrals or the people who use them."""
    services = Service.objects.filter(partnership=partnership, active=True)
    if text:
        services = services.filter(Q(name__icontains=text) | Q(description__icontains=text))
    return (
        services.select_related("organisation", "partnership")
        .prefetch_related("needs", "locations")
        .order_by("name", "id")
    )


def open_service(partnership: Partnership, oruk_id: str) -> Service:
    """The active service whose Open Referral UK id (``openreferral.service_id``) is ``oruk_id``; else
    ``NotPermitted`` (a 404). Two queries: the ids, then the service."""
    for pk, external_id in Service.objects.filter(partnership=partnership, active=True).values_list(
        "pk", "external_id"
    ):
        if openreferral.service_id(Service(pk=pk, external_id=external_id), partnership.slug) == oruk_id:
            return open_services(partnership).get(pk=pk)
    raise NotPermitted()


def open_directory_changed_at(partnership: Partnership) -> datetime | None:
    """When the open directory last changed: the latest service saved or directory imported (from the audit
    log); when the directory has services but no such event (made before it was kept), when the partnership
    began publishing. None when there is nothing to publish."""
    latest = (
        AuditEvent.objects.filter(
            partnership_id=partnership.pk, action__in=("support.service_saved", "support.directory_imported")
        )
        .order_by("-occurred_at")
        .values_list("occurred_at", flat=True)
        .first()
    )
    if latest is not None:
        return latest
    if Service.objects.filter(partnership=partnership, active=True).exists():
        return partnership.open_data_since or partnership.created_at
    return None
