""" "My data": everything the platform holds about a person in one partnership, from every capability.

The foundation's own parts are here (the account, the membership and invitations, the audit log and the
outbox: accounts and core sit below the registry, so it registers them for them); each capability registers
its own in its ``AppConfig.ready`` (``partnerships.personal_data``). :func:`my_data_document` gathers them into
one document, which ``my_data_files`` writes as JSON or as a readable zip.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.accounts.models import User
from coproduce.accounts.personal_data import account_export
from coproduce.core.personal_data import audit_events_export, emails_export, iso_or_none
from coproduce.partnerships.models import Invitation, Membership
from coproduce.partnerships.personal_data import PersonalDataExport, personal_data_exports, register_personal_data

FORMAT = "coproduce-my-data"
VERSION = 1


def _roles(holder: Membership | Invitation) -> list[str]:
    return [str(role.value) for role in holder.roles]


def _account(membership: Membership) -> dict[str, list[dict[str, Any]]]:
    return account_export(membership.user)


def _their_invitations(membership: Membership) -> Q:
    return Q(accepted_by_id=membership.user_id) | Q(email__iexact=membership.user.email)


def _partnership(membership: Membership) -> dict[str, list[dict[str, Any]]]:
    """The membership, the invitations to the person and those they sent: three queries."""
    mine = (
        Membership.objects.filter(pk=membership.pk)
        .select_related("partnership", "organisation")
        .values_list("partnership__name", "organisation__name", "joined_at")
        .first()
    )
    rows_membership = []
    if mine is not None:
        rows_membership.append(
            {
                "partnership": mine[0],
                "roles": _roles(membership),
                "organisation": mine[1],
                "joined": iso_or_none(mine[2]),
            }
        )
    received = Invitation.objects.filter(_their_invitations(membership), partnership_id=membership.partnership_id)
    sent = Invitation.objects.filter(partnership_id=membership.partnership_id, invited_by_id=membership.user_id)
    return {
        "membership": rows_membership,
        "invitations_to_you": [
            {
                "sent": iso_or_none(i.created_at),
                "by": i.invited_by.display_name if i.invited_by else None,
                "roles": _roles(i),
                "organisation": i.organisation.name if i.organisation else None,
                "accepted": iso_or_none(i.accepted_at),
                "withdrawn": iso_or_none(i.revoked_at),
                "status": i.status,
            }
            for i in received.select_related("invited_by", "organisation")
        ],
        # Whom they invited is the invited person's address, not this person's data: only what, when and how it went.
        "invitations_you_sent": [
            {
                "sent": iso_or_none(i.created_at),
                "roles": _roles(i),
                "organisation": i.organisation.name if i.organisation else None,
                "status": i.status,
            }
            for i in sent.select_related("organisation")
        ],
    }


def _records(membership: Membership) -> dict[str, list[dict[str, Any]]]:
    """Audit events by or about the person in this partnership, and emails to them: three queries."""
    invitation_emails = list(
        Invitation.objects.filter(
            _their_invitations(membership),
            partnership_id=membership.partnership_id,
            email_message_id__isnull=False,
        ).values_list("email_message_id", flat=True)
    )
    about = {
        User._meta.label_lower: [str(membership.user_id)],
        Membership._meta.label_lower: [str(membership.pk)],
    }
    return {
        "audit_events": audit_events_export(
            user_id=membership.user_id, partnership_id=membership.partnership_id, about=about
        ),
        "emails": emails_export(email=membership.user.email, invitation_email_ids=[i for i in invitation_emails if i]),
    }


def register_foundation_exports() -> None:
    register_personal_data(
        PersonalDataExport(
            key="account",
            title=_("Your account"),
            export=_account,
            order=0,
            tables={
                "account": _("Account"),
                "two_factor_methods": _("Ways you confirm it is you"),
                "sessions": _("Where you are signed in"),
                "sign_in_events": _("Sign-ins and account changes"),
            },
        )
    )
    register_personal_data(
        PersonalDataExport(
            key="partnership",
            title=_("Your place in the partnership"),
            export=_partnership,
            order=1,
            tables={
                "membership": _("Membership and roles"),
                "invitations_to_you": _("Invitations to you"),
                "invitations_you_sent": _("Invitations you sent"),
            },
        )
    )
    register_personal_data(
        PersonalDataExport(
            key="records",
            title=_("Records of what happened"),
            export=_records,
            order=900,
            tables={"audit_events": _("Audit log: what you did, and what was done about you"), "emails": _("Emails")},
        )
    )


def my_data_document(membership: Membership, *, progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Everything about the person in this partnership, as one JSON-ready document.

    Only the membership's own person: every capability's export is given this membership and narrows its
    queries to it. The person and partnership rows are read once here so each export's reads stay its own.
    ``progress(done, total)`` is told before each capability is gathered."""
    membership = Membership.objects.select_related("user", "partnership").get(pk=membership.pk)
    capabilities: dict[str, Any] = {}
    exports = personal_data_exports()
    for done, export in enumerate(exports):
        if progress is not None:
            progress(done, len(exports))
        tables = export.export(membership)
        capabilities[export.key] = {
            "title": str(export.title),
            "tables": tables,
            "table_titles": {name: str(export.tables.get(name, _humanise(name))) for name in tables},
        }
    return {
        "format": FORMAT,
        "version": VERSION,
        "made_at": timezone.now().isoformat(),
        "person": {"name": membership.user.display_name, "email": membership.user.email},
        "partnership": {"name": membership.partnership.name, "slug": membership.partnership.slug},
        "capabilities": capabilities,
    }


def my_data_summary(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Per capability, how many rows each table holds (only tables with rows), for the page."""
    summary = []
    for key, part in document["capabilities"].items():
        counts = [(part["table_titles"][name], len(rows)) for name, rows in part["tables"].items() if rows]
        summary.append({"key": key, "title": part["title"], "counts": counts})
    return summary


def my_data_contents() -> list[dict[str, Any]]:
    """What the download gathers, capability by capability, before it is prepared: no query."""
    return [
        {"title": str(export.title), "tables": [str(title) for title in export.tables.values()]}
        for export in personal_data_exports()
    ]


def _humanise(name: str) -> str:
    return name.replace("_", " ").capitalize()
