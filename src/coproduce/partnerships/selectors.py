"""Every read of partnership data, narrowed to what the acting person may see."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from allauth.mfa.models import Authenticator
from django.core.cache import caches
from django.db import connection, connections
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from coproduce.core.db import RowMapper, prepared_cursor, prepared_raw
from coproduce.core.exceptions import NotPermitted
from coproduce.core.models import AuditEvent
from coproduce.partnerships.models import Invitation, Membership, MyDataExport, Organisation, Partnership
from coproduce.partnerships.roles import ROLE_FIELDS, STAFF_ROLES, staff_q


def membership_for(user: Any, slug: str) -> Membership | None:
    """The person's membership of the partnership with this slug, or None (also for anonymous), with its
    partnership and organisation.

    In the same query: ``staff_anywhere`` (a staff role in any partnership) and ``has_totp`` (an
    authenticator app set up), which the access check needs on every page.

    Every partnership page and every vote runs this, so its SQL is written once per database (from the
    models' own columns) instead of being compiled by the ORM on each request, which cost about a third of
    a vote's CPU. ``tests/partnerships/test_membership_for.py`` checks it against the same query in the ORM."""
    if user is None or not user.is_authenticated:
        return None
    query = _membership_query(connection.alias)
    with prepared_cursor(connection) as cursor:
        cursor.execute(query.sql, [*query.leading_params, user.pk, slug])
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    membership: Membership = query.membership.instance(values, connection)
    membership.partnership = query.partnership.instance(values, connection)
    has_organisation = values[query.organisation.positions[0]] is not None
    membership.organisation = query.organisation.instance(values, connection) if has_organisation else None
    o_end = query.organisation.end
    membership.staff_anywhere = bool(values[o_end])  # type: ignore[attr-defined]
    membership.has_totp = bool(values[o_end + 1])  # type: ignore[attr-defined]
    return membership


@dataclass(frozen=True)
class _MembershipQuery:
    sql: str
    leading_params: tuple[Any, ...]
    # Each model's columns in the row, one after the other (core.db's one row→model mapper).
    membership: RowMapper
    partnership: RowMapper
    organisation: RowMapper


# Only identifiers quoted by the database's own quote_name are put into this text; values are parameters.
_MEMBERSHIP_SQL = (
    "SELECT {columns}, "
    "EXISTS (SELECT 1 FROM {memberships} s WHERE s.user_id = m.user_id AND ({staff})), "
    "EXISTS (SELECT 1 FROM {authenticators} a WHERE a.user_id = m.user_id AND a.type = %s) "
    "FROM {memberships} m "
    "INNER JOIN {partnerships} p ON p.id = m.partnership_id "
    "LEFT OUTER JOIN {organisations} o ON o.id = m.organisation_id "
    "WHERE m.user_id = %s AND p.slug = %s"
)


@functools.cache
def _membership_query(alias: str) -> _MembershipQuery:
    ops = connections[alias].ops
    qn = ops.quote_name
    tables = {
        "m": (Membership, tuple(Membership._meta.concrete_fields)),
        "p": (Partnership, tuple(Partnership._meta.concrete_fields)),
        "o": (Organisation, tuple(Organisation._meta.concrete_fields)),
    }
    staff = " OR ".join(f"s.{qn(ROLE_FIELDS[role])} = %s" for role in STAFF_ROLES)
    sql = _MEMBERSHIP_SQL.format(
        columns=", ".join(f"{alias_}.{qn(f.column)}" for alias_, (_model, fields) in tables.items() for f in fields),
        staff=staff,
        memberships=qn(Membership._meta.db_table),
        authenticators=qn(Authenticator._meta.db_table),
        partnerships=qn(Partnership._meta.db_table),
        organisations=qn(Organisation._meta.db_table),
    )
    connection_ = connections[alias]
    membership = RowMapper.for_all_fields(Membership, 0, "m", connection_)
    partnership = RowMapper.for_all_fields(Partnership, membership.end, "p", connection_)
    organisation = RowMapper.for_all_fields(Organisation, partnership.end, "o", connection_)
    return _MembershipQuery(
        sql=sql,
        leading_params=(*[True] * len(STAFF_ROLES), Authenticator.Type.TOTP.value),
        membership=membership,
        partnership=partnership,
        organisation=organisation,
    )


# The header's partnership switcher, on every signed-in page (ADR 13): written once, values as parameters.
_SWITCHER_SQL = (
    "SELECT p.{id}, p.{slug}, p.{name} FROM {partnerships} p "
    "INNER JOIN {memberships} m ON m.{partnership_id} = p.{id} "
    "WHERE m.{user_id} = %s ORDER BY p.{name}"
)


def switcher_partnerships(user_id: int) -> list[Partnership]:
    """The partnerships a person belongs to, by name, with only their slug and name: what the header's
    switcher shows. The same as ``partnerships_of(user).only("slug", "name")`` (held to it by
    ``tests/partnerships/test_context_processors.py``)."""
    qn = connection.ops.quote_name
    sql = _SWITCHER_SQL.format(
        id=qn(Partnership._meta.pk.column),
        slug=qn(Partnership._meta.get_field("slug").column),
        name=qn(Partnership._meta.get_field("name").column),
        partnerships=qn(Partnership._meta.db_table),
        memberships=qn(Membership._meta.db_table),
        partnership_id=qn(Membership._meta.get_field("partnership").column),
        user_id=qn(Membership._meta.get_field("user").column),
    )
    return list(prepared_raw(Partnership, sql, [user_id]))


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
        # What the people page shows, and no more: a person's password hash and sign-in history are never
        # read here, and each row is cheaper to build.
        .only(
            *ROLE_FIELDS.values(),
            "partnership_id",
            "user__id",
            "user__display_name",
            "user__email",
            "organisation__id",
            "organisation__name",
        )
        .order_by(Lower("user__display_name"), "user__email")
    )


def organisations_visible_to(membership: Membership) -> QuerySet[Organisation]:
    """The partnership's organisations with their staff counts: those still in it first, then the retired."""
    staff = staff_q("memberships__")
    return (
        Organisation.objects.filter(partnership_id=membership.partnership_id)
        .annotate(staff_count=Count("memberships", filter=staff, distinct=True))
        .order_by(F("retired_at").asc(nulls_first=True), "name")
    )


def organisation_choices_for(membership: Membership, *, keep: int | None = None) -> QuerySet[Organisation]:
    """The organisations offered in a choice: not the retired ones, except ``keep`` (the one a person already
    belongs to, so that changing their roles does not move them)."""
    return (
        Organisation.objects.filter(partnership_id=membership.partnership_id)
        .filter(Q(retired_at__isnull=True) | Q(pk=keep))
        .order_by("name")
    )


def organisation_in_partnership(membership: Membership, organisation_id: int) -> Organisation:
    """One of the partnership's organisations (retired or not); NotPermitted (404) for any other."""
    organisation = Organisation.objects.filter(partnership_id=membership.partnership_id, pk=organisation_id).first()
    if organisation is None:
        raise NotPermitted()
    return organisation


def staff_count_of(organisation: Organisation) -> int:
    return Membership.objects.filter(staff_q(), organisation=organisation).count()


def membership_in_partnership(membership: Membership, membership_id: int) -> Membership | None:
    return (
        Membership.objects.select_related("user", "organisation")
        .filter(partnership_id=membership.partnership_id, pk=membership_id)
        .first()
    )


def invitations_visible_to(membership: Membership) -> QuerySet[Invitation]:
    """Coordinators see every invitation of the partnership; a partner lead those to their own organisation
    as worker or partner lead, the ones they could have sent (the twin of the services' check)."""
    if membership.is_coordinator:
        narrowed = Q()
    elif membership.is_partner_lead and membership.organisation_id is not None:
        narrowed = Q(
            organisation_id=membership.organisation_id, is_coordinator=False, is_member=False, is_observer=False
        )
    else:
        return Invitation.objects.none()
    return (
        Invitation.objects.filter(narrowed, partnership_id=membership.partnership_id)
        .select_related("organisation", "invited_by", "accepted_by", "email_message")
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
    """Numbers for the home page, in one query, kept for up to a minute in this process's own cache: every
    page view of every person in the partnership shows them, and a count a minute old misleads nobody."""
    key = f"partnership-counts:{membership.partnership_id}"
    counts = caches["local"].get(key)
    if counts is None:
        counts = Membership.objects.filter(partnership_id=membership.partnership_id).aggregate(
            people=Count("id"),
            members=Count("id", filter=Q(is_member=True)),
            staff=Count("id", filter=staff_q()),
            organisations=Count("organisation", distinct=True),
        )
        caches["local"].set(key, counts, COUNTS_CACHE_SECONDS)
    return counts


def my_data_export_current(membership: Membership) -> MyDataExport | None:
    """The person's latest "My data" download, being prepared or ready and not past its time, without its
    files; None when there is none. Only ever this membership's own."""
    return (
        MyDataExport.objects.filter(membership_id=membership.pk, expires_at__gt=timezone.now())
        .defer("json_file", "zip_file")
        .first()
    )


def my_data_export_file(membership: Membership, kind: str) -> bytes:
    """The person's prepared download as ``kind`` ("json" or "zip"); ``NotPermitted`` when none is ready."""
    field = {"json": "json_file", "zip": "zip_file"}[kind]
    found = (
        MyDataExport.objects.filter(
            membership_id=membership.pk, status=MyDataExport.Status.READY, expires_at__gt=timezone.now()
        )
        .values_list(field, flat=True)
        .first()
    )
    if found is None:
        raise NotPermitted()
    return bytes(found)


def invitation_by_short_code(code: str) -> Invitation | None:
    """The invitation whose printed card carries ``code`` (typed in any case, with blanks or dashes), or None."""
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    if not cleaned or len(cleaned) > 12:  # the column's length
        return None
    return Invitation.objects.select_related("partnership").filter(short_code=cleaned).first()
