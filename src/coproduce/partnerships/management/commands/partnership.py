"""Set up a partnership from the command line (ADR 3: operators use commands, people use pages).

coproduce partnership create --name "Riverside Parents" --slug riverside --coordinator-email morag@example.org
coproduce partnership list

``create`` makes the partnership, the organisation its first coordinator works for, and the coordinator's
invitation, in one transaction; it queues the invitation email and prints the link. Everything else (the other
organisations, the people, the settings) the coordinator does on the partnership's pages.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count, Q
from django.utils import formats

from coproduce.core.exceptions import ServiceError
from coproduce.core.reversing import cached_reverse
from coproduce.partnerships import services
from coproduce.partnerships.models import Organisation, Partnership
from coproduce.partnerships.roles import staff_q
from coproduce.partnerships.tokens import invitation_token

DEFAULT_ORGANISATION = "Coordinating organisation"


class Command(BaseCommand):
    help = "Create a partnership with its first coordinator's invitation, or list the partnerships."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{create,list}")
        create = actions.add_parser("create", help="create a partnership and invite its first coordinator")
        create.add_argument("--name", required=True, help="the partnership's name, as people will see it")
        create.add_argument(
            "--slug", required=True, help="its web address name: small letters, digits and hyphens, e.g. riverside"
        )
        create.add_argument("--coordinator-email", required=True, help="who is invited to be its first coordinator")
        create.add_argument(
            "--organisation",
            default=DEFAULT_ORGANISATION,
            help="the organisation the coordinator works for (staff belong to one; "
            f"default {DEFAULT_ORGANISATION!r}, renamed later on the organisations page)",
        )
        create.add_argument(
            "--organisation-kind",
            default=Organisation.Kind.PUBLIC.value,
            choices=Organisation.Kind.values,
            help="default: public",
        )
        create.add_argument(
            "--site-url",
            default=settings.COPRODUCE_SITE_URL,
            help="the site's address, for the printed link (default $COPRODUCE_SITE_URL, as in the email)",
        )
        actions.add_parser("list", help="one line per partnership: slug, name, created, members, staff")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "create":
            self._create(options)
        else:
            self._list()

    def _create(self, options: dict[str, Any]) -> None:
        try:
            partnership, invitation = services.partnership_create(
                name=options["name"],
                slug=options["slug"],
                coordinator_email=options["coordinator_email"],
                organisation_name=options["organisation"],
                organisation_kind=options["organisation_kind"],
            )
        except ServiceError as error:
            raise CommandError(error.message) from None
        path = cached_reverse("partnerships:invitation-accept", kwargs={"token": invitation_token(invitation)})
        link = options["site_url"].rstrip("/") + path
        organisation = invitation.organisation
        assert organisation is not None  # noqa: S101 (a coordinator's invitation always names one)
        self.stdout.write(f"Created {partnership.name} ({partnership.slug}).")
        self.stdout.write(
            f"Invited {invitation.email} to be its coordinator, with {organisation.name}; "
            "the email is queued (a running `coproduce worker` sends it)."
        )
        self.stdout.write(f"Invitation link (works once, for 14 days): {link}")
        self.stdout.write(
            "Next: the coordinator opens the link, makes an account, sets up two-factor sign-in, then adds the "
            "partner organisations and invites people from the partnership's pages."
        )

    def _list(self) -> None:
        partnerships = Partnership.objects.annotate(
            members=Count("memberships", filter=Q(memberships__is_member=True)),
            staff=Count("memberships", filter=staff_q("memberships__")),
        ).order_by("slug")
        rows = [
            (
                p.slug,
                p.name,
                formats.date_format(p.created_at, "j F Y"),
                f"{p.members} member{'s' if p.members != 1 else ''}",
                f"{p.staff} staff",
            )
            for p in partnerships
        ]
        if not rows:
            self.stdout.write("No partnerships yet. Make one with: coproduce partnership create --help")
            return
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        for row in rows:
            self.stdout.write("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:4])) + "  " + row[4])
