from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import timezone

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.models import AuditEvent
from coproduce.datarights import services as datarights
from coproduce.partnerships import services
from coproduce.partnerships.models import Invitation, Membership
from coproduce.partnerships.tokens import invitation_from_token, invitation_token
from tests.conftest import present
from tests.factories import InvitationFactory, MembershipFactory, OrganisationFactory, UserFactory


@pytest.fixture
def org(partnership: Any) -> Any:
    return OrganisationFactory(partnership=partnership, name="One Parent Futures")


class TestInvitationCreate:
    def test_coordinator_invites_a_member_and_the_email_carries_a_working_link(
        self, coordinator: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            invitation = services.invitation_create(
                actor=coordinator, email=" Aisha@Example.org ", roles={"member"}, organisation=None
            )
        assert invitation.email == "aisha@example.org"
        assert invitation.roles == ["member"]
        assert invitation.expires_at - invitation.created_at == timedelta(days=14)
        assert len(mail.outbox) == 1
        assert mail.outbox[0].to == ["aisha@example.org"]
        token = invitation_token(invitation)
        assert f"/invitations/{token}/" in mail.outbox[0].body
        assert invitation_from_token(token) == invitation
        event = AuditEvent.objects.get(action="invitation.created")
        assert event.partnership_id == coordinator.partnership_id
        assert event.actor == coordinator.user
        assert event.detail["roles"] == ["member"]

    @pytest.mark.parametrize("role_fixture", ["member", "worker", "observer"])
    def test_only_coordinators_and_partner_leads_may_invite(
        self, role_fixture: str, request: pytest.FixtureRequest
    ) -> None:
        actor = request.getfixturevalue(role_fixture)
        with pytest.raises(NotPermitted):
            services.invitation_create(actor=actor, email="x@example.org", roles={"member"}, organisation=None)
        assert not Invitation.objects.exists()

    def test_a_partner_lead_may_not_invite_a_member(self, partner_lead: Any) -> None:
        # Partner leads invite staff of their own organisation only (tests/partnerships/test_setup_pages.py).
        with pytest.raises(ServiceError) as error:
            services.invitation_create(actor=partner_lead, email="x@example.org", roles={"member"}, organisation=None)
        assert error.value.code == "role_not_yours_to_give"
        assert not Invitation.objects.exists()

    @pytest.mark.parametrize("email", ["", "not-an-email", "a@", "@b.org", "a b@c.org", "x" * 250 + "@e.org"])
    def test_malformed_email_is_refused_next_to_the_field(self, coordinator: Any, email: str) -> None:
        with pytest.raises(ServiceError) as error:
            services.invitation_create(actor=coordinator, email=email, roles={"member"}, organisation=None)
        assert error.value.field == "email"
        assert not Invitation.objects.exists()

    @pytest.mark.parametrize("roles", [set(), {"admin"}, {"member", "superuser"}, {"MEMBER"}])
    def test_roles_outside_the_five_are_refused(self, coordinator: Any, roles: set[str]) -> None:
        with pytest.raises(ServiceError) as error:
            services.invitation_create(actor=coordinator, email="x@example.org", roles=roles, organisation=None)
        assert error.value.field == "roles"
        assert not Invitation.objects.exists()

    @pytest.mark.parametrize("role", ["worker", "coordinator", "partner_lead"])
    def test_staff_roles_need_an_organisation(self, coordinator: Any, role: str) -> None:
        with pytest.raises(ServiceError) as error:
            services.invitation_create(actor=coordinator, email="x@example.org", roles={role}, organisation=None)
        assert error.value.field == "organisation"

    def test_an_organisation_of_another_partnership_is_refused(self, coordinator: Any) -> None:
        elsewhere = OrganisationFactory()
        with pytest.raises(ServiceError) as error:
            services.invitation_create(
                actor=coordinator, email="x@example.org", roles={"worker"}, organisation=elsewhere
            )
        assert error.value.field == "organisation"
        assert not Invitation.objects.exists()

    def test_inviting_someone_already_in_the_partnership_is_refused(self, coordinator: Any, member: Any) -> None:
        with pytest.raises(ServiceError) as error:
            services.invitation_create(
                actor=coordinator, email=member.user.email.upper(), roles={"member"}, organisation=None
            )
        assert error.value.code == "already_member"

    def test_a_new_invitation_replaces_the_open_one_for_the_same_address(self, coordinator: Any) -> None:
        first = services.invitation_create(
            actor=coordinator, email="x@example.org", roles={"member"}, organisation=None
        )
        second = services.invitation_create(
            actor=coordinator, email="x@example.org", roles={"observer"}, organisation=None
        )
        first.refresh_from_db()
        assert first.status == "revoked"
        assert second.status == "open"
        assert services.invitation_problem(invitation_from_token(invitation_token(first)))


class TestInvitationAccept:
    def test_new_person_makes_an_account_and_joins(self, coordinator: Any, org: Any) -> None:
        invitation = services.invitation_create(
            actor=coordinator, email="kerry@example.org", roles={"member", "worker"}, organisation=org
        )
        membership = services.invitation_accept_new_account(
            invitation=invitation, display_name="  Kerry   W ", password="a long enough passphrase"
        )
        assert membership.user.email == "kerry@example.org"
        assert membership.user.display_name == "Kerry W"
        assert membership.user.check_password("a long enough passphrase")
        assert membership.roles == ["member", "worker"]
        assert membership.organisation == org
        assert EmailAddress.objects.get(user=membership.user).verified
        invitation.refresh_from_db()
        assert invitation.status == "accepted"
        assert invitation.accepted_by == membership.user

    @pytest.mark.parametrize(
        ("password", "fragment"),
        [
            ("short", "too short"),
            ("password1234", "too common"),
            ("12345678901234", "entirely numeric"),
            ("x" * 129, "128 characters"),
        ],
    )
    def test_weak_or_overlong_passwords_are_refused_and_nothing_is_saved(
        self, coordinator: Any, password: str, fragment: str
    ) -> None:
        invitation = services.invitation_create(
            actor=coordinator, email="n@example.org", roles={"member"}, organisation=None
        )
        with pytest.raises(ServiceError) as error:
            services.invitation_accept_new_account(invitation=invitation, display_name="N", password=password)
        assert fragment in error.value.message
        assert error.value.field == "password1"
        assert not Membership.objects.filter(user__email="n@example.org").exists()
        invitation.refresh_from_db()
        assert invitation.status == "open"

    def test_a_64_character_passphrase_is_accepted(self, coordinator: Any) -> None:
        invitation = services.invitation_create(
            actor=coordinator, email="n@example.org", roles={"member"}, organisation=None
        )
        membership = services.invitation_accept_new_account(
            invitation=invitation, display_name="N", password="correct horse battery staple " * 2 + "and more"
        )
        assert membership.pk

    def test_a_used_invitation_cannot_be_used_again(self, coordinator: Any) -> None:
        invitation = services.invitation_create(
            actor=coordinator, email="n@example.org", roles={"member"}, organisation=None
        )
        services.invitation_accept_new_account(
            invitation=invitation, display_name="N", password="a long enough passphrase"
        )
        with pytest.raises(ServiceError) as error:
            services.invitation_accept_new_account(
                invitation=invitation, display_name="M", password="a long enough passphrase"
            )
        assert error.value.code in {"invitation_unusable", "account_exists"}
        assert Membership.objects.filter(user__email="n@example.org").count() == 1

    def test_expired_and_withdrawn_invitations_are_refused(self, coordinator: Any, partnership: Any) -> None:
        expired = InvitationFactory(partnership=partnership, expires_at=timezone.now() - timedelta(seconds=1))
        assert "expired" in present(services.invitation_problem(expired))
        with pytest.raises(ServiceError):
            services.invitation_accept_new_account(
                invitation=expired, display_name="N", password="a long enough passphrase"
            )
        withdrawn = services.invitation_revoke(actor=coordinator, invitation=InvitationFactory(partnership=partnership))
        assert "withdrawn" in present(services.invitation_problem(withdrawn))
        assert not Membership.objects.filter(partnership=partnership, is_member=True).exists()

    def test_forged_tokens_name_no_invitation(self, partnership: Any) -> None:
        invitation = InvitationFactory(partnership=partnership)
        token = invitation_token(invitation)
        pk, _, mac = token.partition(".")
        for forged in [f"{pk}.{'0' * len(mac)}", f"{int(pk) + 1}.{mac}", pk, "", "x.y", f"{pk}.{mac}x", "9" * 40]:
            assert invitation_from_token(forged) is None, forged

    def test_signed_in_person_accepts_only_an_invitation_to_their_own_address(
        self, coordinator: Any, outsider: Any
    ) -> None:
        invitation = services.invitation_create(
            actor=coordinator, email=outsider.user.email, roles={"member"}, organisation=None
        )
        stranger = UserFactory()
        with pytest.raises(ServiceError) as error:
            services.invitation_accept(user=stranger, invitation=invitation)
        assert error.value.code == "wrong_person"
        membership = services.invitation_accept(user=outsider.user, invitation=invitation)
        assert membership.partnership_id == coordinator.partnership_id
        assert Membership.objects.filter(user=outsider.user).count() == 2


class TestRolesAndLeaving:
    def test_coordinator_changes_roles_and_it_is_audited(self, coordinator: Any, member: Any, org: Any) -> None:
        services.membership_roles_change(
            actor=coordinator, membership=member, roles={"member", "worker"}, organisation=org
        )
        member.refresh_from_db()
        assert member.roles == ["member", "worker"]
        assert member.organisation == org
        event = AuditEvent.objects.get(action="membership.roles_changed")
        assert event.detail == {"before": ["member"], "after": ["member", "worker"], "organisation": org.name}

    def test_members_drop_their_organisation_when_they_stop_being_staff(self, coordinator: Any, worker: Any) -> None:
        services.membership_roles_change(
            actor=coordinator, membership=worker, roles={"member"}, organisation=worker.organisation
        )
        worker.refresh_from_db()
        assert worker.organisation is None

    @pytest.mark.parametrize("role_fixture", ["member", "worker", "partner_lead", "observer"])
    def test_only_coordinators_change_roles(
        self, role_fixture: str, request: pytest.FixtureRequest, member: Any
    ) -> None:
        actor = request.getfixturevalue(role_fixture)
        with pytest.raises(NotPermitted):
            services.membership_roles_change(actor=actor, membership=member, roles={"observer"}, organisation=None)
        member.refresh_from_db()
        assert member.roles == ["member"]

    def test_a_coordinator_cannot_change_roles_in_another_partnership(self, coordinator: Any, outsider: Any) -> None:
        with pytest.raises(NotPermitted):
            services.membership_roles_change(
                actor=coordinator, membership=outsider, roles={"observer"}, organisation=None
            )

    def test_the_last_coordinator_cannot_step_down_or_leave(self, coordinator: Any) -> None:
        with pytest.raises(ServiceError) as error:
            services.membership_roles_change(
                actor=coordinator, membership=coordinator, roles={"worker"}, organisation=coordinator.organisation
            )
        assert error.value.code == "last_coordinator"
        with pytest.raises(ServiceError):
            datarights.membership_leave(actor=coordinator)
        assert Membership.objects.filter(pk=coordinator.pk, is_coordinator=True).exists()

    def test_a_member_leaves_and_it_is_audited(self, member: Any) -> None:
        datarights.membership_leave(actor=member)
        assert not Membership.objects.filter(pk=member.pk).exists()
        assert AuditEvent.objects.filter(action="membership.left", partnership_id=member.partnership_id).exists()


class TestDatabaseConstraints:
    def test_a_membership_needs_a_role(self, partnership: Any) -> None:
        from django.db import IntegrityError, transaction

        with pytest.raises(IntegrityError), transaction.atomic():
            MembershipFactory(partnership=partnership, is_member=False)

    def test_staff_need_an_organisation(self, partnership: Any) -> None:
        from django.db import IntegrityError, transaction

        with pytest.raises(IntegrityError), transaction.atomic():
            MembershipFactory(partnership=partnership, is_member=False, is_worker=True, organisation=None)

    def test_one_membership_per_person_per_partnership(self, member: Any) -> None:
        from django.db import IntegrityError, transaction

        with pytest.raises(IntegrityError), transaction.atomic():
            MembershipFactory(partnership=member.partnership, user=member.user)

    def test_audit_events_are_append_only(self, coordinator: Any) -> None:
        services.invitation_create(actor=coordinator, email="x@example.org", roles={"member"}, organisation=None)
        event = AuditEvent.objects.get()
        event.action = "tampered"
        with pytest.raises(ValueError):
            event.save()
        with pytest.raises(ValueError):
            event.delete()
