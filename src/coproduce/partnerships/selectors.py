"""Every read of partnership data, narrowed to what the acting person may see."""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Lower

from coproduce.core.models import AuditEvent
from coproduce.partnerships.models import Invitation, Membership, Organisation, Partnership
from coproduce.partnerships.roles import staff_q


def membership_for(user: Any, slug: str) -> Membership | None:
    """The person's membership of the partnership with this slug, or None (also for anonymous).

    In the same query: ``staff_anywhere`` (a staff role in any partnership) and ``has_totp`` (an
    authenticator app set up), which the access check needs on every page."""
    if user is None or not user.is_authenticated:
        return None
    return (
        Membership.objects.select_related("partnership", "organisation")
        .filter(user=user, partnership__slug=slug)
        .annotate(
            staff_anywhere=Exists(Membership.objects.filter(staff_q(), user_id=OuterRef("user_id"))),
            has_totp=Exists(Authenticator.objects.filter(user_id=OuterRef("user_id"), type=Authenticator.Type.TOTP)),
        )
        .first()
    )


def partnerships_of(user: Any) -> QuerySet[Partnership]:
    if user is None or not user.is_authenticated:
        return Partnership.objects.none()
    return Partnership.objects.filter(memberships__user=user).order_by("name")


def people_visible_to(membership: Membership) -> QuerySet[Membership]:
    """Everyone in the acting person's partnership. Emails are shown only to coordinators (the
    template decides from the membership); members appear by the display name they chose."""
    return (
        Membership.objects.filter(partnership_id=membership.partnership_id)
        .select_related("user", "organisation")
        .order_by(Lower("user__display_name"), "user__email")
    )


def organisations_visible_to(membership: Membership) -> QuerySet[Organisation]:
    staff = staff_q("memberships__")
    return (
        Organisation.objects.filter(partnership_id=membership.partnership_id)
        .annotate(staff_count=Count("memberships", filter=staff, distinct=True))
        .order_by("name")
    )


def organisation_choices_for(membership: Membership) -> QuerySet[Organisation]:
    return Organisation.objects.filter(partnership_id=membership.partnership_id).order_by("name")


def membership_in_partnership(membership: Membership, membership_id: int) -> Membership | None:
    return (
        Membership.objects.select_related("user", "organisation")
        .filter(partnership_id=membership.partnership_id, pk=membership_id)
        .first()
    )


def invitations_visible_to(membership: Membership) -> QuerySet[Invitation]:
    if not membership.is_coordinator:
        return Invitation.objects.none()
    return (
        Invitation.objects.filter(partnership_id=membership.partnership_id)
        .select_related("organisation", "invited_by", "accepted_by")
        .order_by("-created_at")
    )


def invitation_in_partnership(membership: Membership, invitation_id: int) -> Invitation | None:
    return invitations_visible_to(membership).filter(pk=invitation_id).first()


def audit_events_visible_to(membership: Membership) -> QuerySet[AuditEvent]:
    if not membership.is_coordinator:
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(partnership_id=membership.partnership_id).order_by("-occurred_at", "-id")


COUNTS_CACHE_SECONDS = 60


def partnership_counts(membership: Membership) -> dict[str, int]:
    """Numbers for the home page, in one query, kept for up to a minute: every page view of every person
    in the partnership shows them, and a count a minute old misleads nobody."""
    key = f"partnership-counts:{membership.partnership_id}"
    counts = cache.get(key)
    if counts is None:
        counts = Membership.objects.filter(partnership_id=membership.partnership_id).aggregate(
            people=Count("id"),
            members=Count("id", filter=Q(is_member=True)),
            staff=Count("id", filter=staff_q()),
            organisations=Count("organisation", distinct=True),
        )
        cache.set(key, counts, COUNTS_CACHE_SECONDS)
    return counts
