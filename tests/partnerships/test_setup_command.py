"""``coproduce partnership create`` and ``list``: an operator sets up a partnership; the printed link makes its
first coordinator."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from coproduce.core.models import AuditEvent
from coproduce.partnerships.models import Invitation, Membership, Organisation, Partnership
from coproduce.partnerships.roles import Role
from tests.conftest import signed_in
from tests.factories import PASSWORD, MembershipFactory, PartnershipFactory, add_totp, staff_membership

LINK = re.compile(r"(https?://\S+/invitations/\S+/)")


def create(*args: str, **options: Any) -> str:
    out = StringIO()
    call_command("partnership", "create", *args, stdout=out, **options)
    return out.getvalue()


def nothing_made() -> None:
    assert not Partnership.objects.exists()
    assert not Organisation.objects.exists()
    assert not Invitation.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_create_makes_the_partnership_its_coordinators_organisation_and_invitation(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        out = create(
            "--name",
            "  Riverside   Parents ",
            "--slug",
            "riverside",
            "--coordinator-email",
            "Morag@Example.ORG",
            "--site-url",
            "https://coproduce.example/",
        )
    partnership = Partnership.objects.get()
    assert (partnership.slug, partnership.name) == ("riverside", "Riverside Parents")
    invitation = Invitation.objects.get()
    assert invitation.email == "morag@example.org"
    assert invitation.is_coordinator and not (invitation.is_member or invitation.is_worker)
    assert invitation.invited_by is None
    assert invitation.organisation == Organisation.objects.get(partnership=partnership)
    link = LINK.search(out)
    assert link and link.group(1).startswith("https://coproduce.example/invitations/")
    # The email went through the outbox, with the same link (its host from the site's setting).
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["morag@example.org"]
    assert link.group(1).removeprefix("https://coproduce.example") in mail.outbox[0].body
    events = {event.action: event for event in AuditEvent.objects.all()}
    assert set(events) == {"partnership.created", "invitation.created"}
    assert all(
        event.actor is None and event.detail["by"] == "coproduce partnership create" for event in events.values()
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--name", "", "--slug", "ok", "--coordinator-email", "a@example.org"], "Give the partnership a name."),
        (["--name", "N", "--slug", "Bad Slug", "--coordinator-email", "a@example.org"], "web address name must be"),
        (["--name", "N", "--slug=-edge-", "--coordinator-email", "a@example.org"], "web address name must be"),
        (["--name", "N", "--slug", "x" * 61, "--coordinator-email", "a@example.org"], "60 characters or fewer"),
        (["--name", "N", "--slug", "ok", "--coordinator-email", "not-an-address"], "Enter an email address"),
        (["--name", "N" * 201, "--slug", "ok", "--coordinator-email", "a@example.org"], "200 characters or fewer"),
        (
            ["--name", "N", "--slug", "ok", "--coordinator-email", "a@example.org", "--organisation", " "],
            "Give the coordinator's organisation a name.",
        ),
    ],
)
def test_bad_input_is_one_clear_error_and_nothing_is_made(args: list[str], message: str) -> None:
    with pytest.raises(CommandError) as error:
        create(*args)
    assert message in str(error.value)
    assert "\n" not in str(error.value)
    nothing_made()


@pytest.mark.django_db
def test_a_taken_slug_is_refused_and_nothing_more_is_made() -> None:
    PartnershipFactory(slug="riverside", name="The first")
    with pytest.raises(CommandError, match="riverside is taken"):
        create("--name", "Second", "--slug", "riverside", "--coordinator-email", "a@example.org")
    assert Partnership.objects.count() == 1
    assert not Invitation.objects.exists() and not Organisation.objects.exists()


@pytest.mark.django_db
def test_list_gives_one_line_per_partnership_with_its_counts() -> None:
    empty = StringIO()
    call_command("partnership", "list", stdout=empty)
    assert "No partnerships yet" in empty.getvalue()
    riverside = PartnershipFactory(slug="riverside", name="Riverside Parents")
    MembershipFactory.create_batch(2, partnership=riverside, is_member=True)
    staff_membership(riverside, role="coordinator")
    staff_membership(riverside, role="worker", is_member=True)  # a member and staff: counted in both
    PartnershipFactory(slug="northfield", name="Northfield")
    out = StringIO()
    call_command("partnership", "list", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("northfield") and lines[0].endswith("0 members  0 staff")
    assert lines[1].startswith("riverside") and "Riverside Parents" in lines[1]
    assert lines[1].endswith("3 members  2 staff")


@pytest.mark.django_db
def test_the_printed_link_makes_the_first_coordinator_who_must_set_up_two_factor(
    django_capture_on_commit_callbacks: Any,
) -> None:
    from django.test import Client

    with django_capture_on_commit_callbacks(execute=True):
        out = create("--name", "Hillside", "--slug", "hillside", "--coordinator-email", "lead@example.org")
    link = LINK.search(out)
    assert link
    path = "/" + link.group(1).split("/", 3)[3]
    client = Client()
    assert client.get(path).status_code == 200
    response = client.post(path, {"display_name": "Lee", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    membership = Membership.objects.get()
    assert membership.roles == [Role.COORDINATOR]
    assert membership.organisation == Organisation.objects.get()
    assert membership.partnership.slug == "hillside"
    # Staff set up two-factor sign-in before they reach the partnership's pages.
    home = reverse("partnerships:home", kwargs={"slug": "hillside"})
    assert client.get(home)["Location"] == reverse("accounts:mfa-required")
    add_totp(membership.user)
    coordinator = signed_in(membership.user)
    landing = coordinator.get(home)
    assert landing.status_code == 200
    # The only person there is shown the way to set it up.
    assert "Set up the partnership" in landing.content.decode()
    assert reverse("partnerships:settings", kwargs={"slug": "hillside"}) in landing.content.decode()
    assert coordinator.get(reverse("partnerships:settings", kwargs={"slug": "hillside"})).status_code == 200
    assert coordinator.get(reverse("partnerships:organisation-new", kwargs={"slug": "hillside"})).status_code == 200


def test_the_command_from_the_shell_prints_the_link_or_one_line_on_stderr(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COPRODUCE_", "DJANGO_SETTINGS", "DATABASE_URL"))}
    env.update({"COPRODUCE_DEMO": "1", "COPRODUCE_DATA_DIR": str(tmp_path), "COPRODUCE_SITE_URL": "https://x.example"})

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603 (the test's own arguments)
            [sys.executable, "-m", "coproduce.cli", *args], env=env, capture_output=True, text=True, timeout=180
        )

    assert run("migrate", "-v0").returncode == 0
    made = run("partnership", "create", "--name", "Riverside", "--slug", "riverside", "--coordinator-email", "m@x.org")
    assert made.returncode == 0, made.stderr
    assert LINK.search(made.stdout) and "https://x.example/invitations/" in made.stdout
    again = run("partnership", "create", "--name", "Again", "--slug", "riverside", "--coordinator-email", "m@x.org")
    assert again.returncode != 0
    assert again.stderr.strip().splitlines() == [
        "CommandError: The web address name riverside is taken by another partnership: choose another."
    ]
    listed = run("partnership", "list")
    assert listed.returncode == 0 and listed.stdout.startswith("riverside  Riverside")
