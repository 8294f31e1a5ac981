"""What support offers the other apps, and the only module of support they import (an import-linter contract).

Learning together tells a parent paid for her time that payments can affect benefits, and points her to
the partnership's money-advice services in the directory."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from coproduce.partnerships.models import Membership
from coproduce.support.models import SupportPlan, TeamMember
from coproduce.support.selectors import services_visible_to

__all__ = [
    "DirectoryService",
    "KeyworkedMember",
    "directory_services",
    "keyworker_of",
    "members_keyworked_by",
    "services_in_category",
]


@dataclass(frozen=True)
class DirectoryService:
    """A service in the partnership's directory, as another page names it (linked to ``support:service``)."""

    id: int
    name: str
    organisation: str
    phone: str


def services_in_category(*, actor: Membership, keyword: str, limit: int = 3) -> list[DirectoryService]:
    """The directory's active services tagged with the need ``keyword`` (e.g. "money"), as ``actor`` sees
    them: at most ``limit``, by name (one query)."""
    found = services_visible_to(actor, need=keyword).prefetch_related(None)[:limit]
    return [DirectoryService(s.pk, s.name, s.organisation.name, s.phone) for s in found]


def directory_services(*, actor: Membership) -> list[DirectoryService]:
    """Every active service of the directory, as ``actor`` sees it, by name (one query): the report builder
    offers them as a report's scope."""
    found = services_visible_to(actor).prefetch_related(None)
    return [DirectoryService(s.pk, s.name, s.organisation.name, s.phone) for s in found]


def _keyworking(actor: Membership) -> QuerySet[TeamMember]:
    return TeamMember.objects.filter(
        membership_id=actor.pk,
        role=TeamMember.Role.KEYWORKER,
        agreed_at__isnull=False,
        ended_at__isnull=True,
        plan__partnership_id=actor.partnership_id,
        plan__status=SupportPlan.Status.ACTIVE,
        plan__erased_at__isnull=True,
        plan__left_at__isnull=True,
        plan__member__isnull=False,
    )


def keyworker_of(*, actor: Membership, member: Membership) -> bool:
    """Whether ``actor`` (staff) is an agreed keyworker in ``member``'s team on her active support plan, in the
    same partnership (one query; False for anyone not in a staff role, and for her own plan)."""
    if not actor.is_staff_role or actor.pk == member.pk or actor.partnership_id != member.partnership_id:
        return False
    return _keyworking(actor).filter(plan__member_id=member.pk).exists()


@dataclass(frozen=True)
class KeyworkedMember:
    """A member whose keyworker ``actor`` is: her membership id and her name."""

    membership_id: int
    name: str


def members_keyworked_by(*, actor: Membership) -> list[KeyworkedMember]:
    """The members whose agreed keyworker ``actor`` is on their active plans, by name (one query)."""
    if not actor.is_staff_role:
        return []
    rows = _keyworking(actor).values_list(
        "plan__member_id", "plan__member__user__display_name", "plan__member__user__email"
    )
    found = {member_id: (name or email) for member_id, name, email in rows}
    return sorted(
        (KeyworkedMember(pk, name) for pk, name in found.items()), key=lambda m: (m.name.lower(), m.membership_id)
    )
