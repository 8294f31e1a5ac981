from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from coproduce.core.models import AuditEvent
from coproduce.datarights import services as datarights
from coproduce.partnerships.models import Invitation, Membership
from coproduce.partnerships.tokens import invitation_token
from tests.conftest import signed_in
from tests.factories import InvitationFactory, MembershipFactory, OrganisationFactory


def url(name: str, partnership: Any, **kwargs: Any) -> str:
    return reverse(f"partnerships:{name}", kwargs={"slug": partnership.slug, **kwargs})


class TestInvitationsPage:
    def test_empty_form_shows_an_error_summary_and_messages_by_the_fields(self, coordinator: Any) -> None:
        response = signed_in(coordinator.user).post(url("invitations", coordinator.partnership), {})
        assert response.status_code == 200
        html = response.content.decode()
        assert "There is a problem" in html
        assert "Enter the email address or the mobile number of the person to invite." in html
        assert "Choose at least one role." in html
        assert "<title>Error:" in html
        assert not Invitation.objects.exists()

    def test_worker_without_organisation_shows_the_organisation_error(self, coordinator: Any) -> None:
        response = signed_in(coordinator.user).post(
            url("invitations", coordinator.partnership), {"email": "new@example.org", "roles": ["worker"]}
        )
        assert "belong to a partner organisation" in response.content.decode()
        assert not Invitation.objects.exists()

    def test_forged_role_and_foreign_organisation_are_refused(self, coordinator: Any) -> None:
        foreign = OrganisationFactory()
        client = signed_in(coordinator.user)
        response = client.post(
            url("invitations", coordinator.partnership), {"email": "new@example.org", "roles": ["admin"]}
        )
        assert "Choose roles from the list." in response.content.decode()
        response = client.post(
            url("invitations", coordinator.partnership),
            {"email": "new@example.org", "roles": ["worker"], "organisation": foreign.pk},
        )
        assert "Choose an organisation from the list." in response.content.decode()
        assert not Invitation.objects.exists()

    def test_invite_then_accept_on_a_fresh_browser(
        self, coordinator: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            response = signed_in(coordinator.user).post(
                url("invitations", coordinator.partnership), {"email": "aisha@example.org", "roles": ["member"]}
            )
        assert response.status_code == 302
        link = re.search(r"http://\S+/invitations/(\S+)/", str(mail.outbox[0].body))
        assert link is not None
        accept_url = reverse("partnerships:invitation-accept", kwargs={"token": link.group(1)})
        visitor = Client()
        page = visitor.get(accept_url)
        assert page.status_code == 200
        assert "Create my account and join" in page.content.decode()
        mismatch = visitor.post(
            accept_url, {"display_name": "Aisha", "password1": "school hours job 2026", "password2": "different"}
        )
        assert "The passwords do not match" in mismatch.content.decode()
        assert not Membership.objects.filter(user__email="aisha@example.org").exists()
        done = visitor.post(
            accept_url,
            {"display_name": "Aisha", "password1": "school hours job 2026", "password2": "school hours job 2026"},
        )
        assert done.status_code == 302
        assert done["Location"] == url("home", coordinator.partnership)
        home = visitor.get(done["Location"])
        assert home.status_code == 200
        assert "Welcome to" in home.content.decode()
        again = Client().get(accept_url)
        assert again.status_code == 410
        assert "already been used" in again.content.decode()

    def test_forged_token_gets_a_plain_404(self, db: Any) -> None:
        response = Client().get(reverse("partnerships:invitation-accept", kwargs={"token": "12.deadbeef"}))
        assert response.status_code == 404
        assert "not valid" in response.content.decode()

    def test_existing_account_is_asked_to_sign_in(self, coordinator: Any, outsider: Any) -> None:
        invitation = InvitationFactory(partnership=coordinator.partnership, email=outsider.user.email)
        accept_url = reverse("partnerships:invitation-accept", kwargs={"token": invitation_token(invitation)})
        page = Client().get(accept_url)
        assert "Sign in to accept" in page.content.decode()
        joined = signed_in(outsider.user).post(accept_url)
        assert joined.status_code == 302
        assert Membership.objects.filter(user=outsider.user, partnership=coordinator.partnership).exists()

    def test_withdraw_an_open_invitation(self, coordinator: Any) -> None:
        invitation = InvitationFactory(partnership=coordinator.partnership)
        response = signed_in(coordinator.user).post(
            url("invitation-revoke", coordinator.partnership, invitation_id=invitation.pk)
        )
        assert response.status_code == 302
        invitation.refresh_from_db()
        assert invitation.status == "revoked"

    def test_cannot_withdraw_another_partnerships_invitation(self, coordinator: Any) -> None:
        other = InvitationFactory()
        response = signed_in(coordinator.user).post(
            url("invitation-revoke", coordinator.partnership, invitation_id=other.pk)
        )
        assert response.status_code == 404
        other.refresh_from_db()
        assert other.status == "open"


class TestRolesPage:
    def test_coordinator_saves_roles(self, coordinator: Any, member: Any) -> None:
        response = signed_in(coordinator.user).post(
            url("roles-edit", coordinator.partnership, membership_id=member.pk),
            {"roles": ["member", "worker"], "organisation": coordinator.organisation_id},
        )
        assert response.status_code == 302
        member.refresh_from_db()
        assert member.roles == ["member", "worker"]

    def test_last_coordinator_sees_why_they_cannot_step_down(self, coordinator: Any) -> None:
        response = signed_in(coordinator.user).post(
            url("roles-edit", coordinator.partnership, membership_id=coordinator.pk),
            {"roles": ["worker"], "organisation": coordinator.organisation_id},
        )
        assert response.status_code == 200
        assert "at least one coordinator" in response.content.decode()

    @pytest.mark.parametrize("role_fixture", ["member", "worker", "partner_lead", "observer", "outsider"])
    def test_others_posting_get_404_and_nothing_changes(
        self, role_fixture: str, request: pytest.FixtureRequest, member: Any, coordinator: Any
    ) -> None:
        actor = request.getfixturevalue(role_fixture)
        client = signed_in(actor.user)
        assert (
            client.post(
                url("roles-edit", member.partnership, membership_id=member.pk), {"roles": ["coordinator"]}
            ).status_code
            == 404
        )
        invited = client.post(
            url("invitations", member.partnership), {"email": "z@example.org", "roles": ["coordinator"]}
        )
        # A partner lead reaches the invitations page (for staff of their own organisation): the role is refused.
        assert invited.status_code == (200 if role_fixture == "partner_lead" else 404)
        member.refresh_from_db()
        assert member.roles == ["member"]
        assert not Invitation.objects.exists()

    def test_membership_of_another_partnership_is_404(self, coordinator: Any, outsider: Any) -> None:
        response = signed_in(coordinator.user).get(
            url("roles-edit", coordinator.partnership, membership_id=outsider.pk)
        )
        assert response.status_code == 404


class TestLeaving:
    def test_member_leaves_and_loses_access_at_once(self, member: Any) -> None:
        client = signed_in(member.user)
        assert client.post(reverse("datarights:leave", kwargs={"slug": member.partnership.slug})).status_code == 302
        assert client.get(url("home", member.partnership)).status_code == 404

    def test_last_coordinator_is_told_why_not(self, coordinator: Any) -> None:
        response = signed_in(coordinator.user).post(
            reverse("datarights:leave", kwargs={"slug": coordinator.partnership.slug})
        )
        assert response.status_code == 200
        assert "only coordinator" in response.content.decode()


class TestPages:
    def test_people_show_display_names_and_staff_organisations_but_emails_only_to_coordinators(
        self, member: Any, worker: Any, coordinator: Any
    ) -> None:
        html = signed_in(member.user).get(url("people", member.partnership)).content.decode()
        assert member.user.name in html
        assert worker.organisation.name in html
        assert worker.user.email not in html
        coordinator_html = signed_in(coordinator.user).get(url("people", member.partnership)).content.decode()
        assert worker.user.email in coordinator_html

    def test_staff_without_two_factor_are_sent_to_set_it_up(self, partnership: Any) -> None:
        from tests.factories import staff_membership

        worker = staff_membership(partnership, role="worker", mfa=False)
        response = signed_in(worker.user).get(url("home", partnership))
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:mfa-required")

    def test_a_member_who_is_staff_elsewhere_also_needs_two_factor(self, member: Any) -> None:
        from tests.factories import PartnershipFactory, staff_membership

        staff_membership(PartnershipFactory(), role="worker", mfa=False, user=member.user)
        response = signed_in(member.user).get(url("home", member.partnership))
        assert response["Location"] == reverse("accounts:mfa-required")

    def test_switcher_lists_each_partnership_of_the_person(self, member: Any) -> None:
        from tests.factories import PartnershipFactory

        other = MembershipFactory(user=member.user, partnership=PartnershipFactory(name="Northfield Network"))
        html = signed_in(member.user).get(url("home", member.partnership)).content.decode()
        assert url("home", other.partnership) in html
        assert "Northfield Network" in html

    def test_audit_page_lists_this_partnerships_events_only(self, coordinator: Any, member: Any, outsider: Any) -> None:
        from coproduce.partnerships import services

        datarights.membership_leave(actor=outsider)
        services.membership_roles_change(
            actor=coordinator, membership=member, roles={"member", "observer"}, organisation=None
        )
        html = signed_in(coordinator.user).get(url("audit", coordinator.partnership)).content.decode()
        assert f"{coordinator.user.name} changed what {member.user.name} can do." in html
        assert "left the partnership" not in html
        assert AuditEvent.objects.filter(action="membership.left").exists()

    def test_pages_with_personal_data_are_not_stored_and_carry_security_headers(self, member: Any) -> None:
        response = signed_in(member.user).get(url("people", member.partnership))
        assert "no-store" in response["Cache-Control"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        csp = response["Content-Security-Policy"]
        for directive in ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "script-src 'self'"]:
            assert directive in csp
        assert "unsafe-inline" not in csp


class TestQueryCounts:
    @pytest.mark.parametrize("page", ["home", "people", "organisations"])
    def test_list_pages_use_a_constant_number_of_queries(
        self, page: str, coordinator: Any, django_assert_max_num_queries: Any
    ) -> None:
        client = signed_in(coordinator.user)
        client.get(url(page, coordinator.partnership))  # warm caches (content types, sessions)
        # The coordinator's home grows with what is registered, never with the data: one count per kind of
        # attention item, one query per commitment source (for the commitments overdue), and at most one per
        # home section.
        from coproduce.partnerships.attention import attention_kinds
        from coproduce.partnerships.commitments import commitment_sources
        from coproduce.partnerships.home import home_section_kinds

        home = 4 + len(attention_kinds()) + len(commitment_sources()) + home_section_kinds()
        with django_assert_max_num_queries(home if page == "home" else 12) as few:
            client.get(url(page, coordinator.partnership))
        for _ in range(30):
            MembershipFactory(partnership=coordinator.partnership)
        for _ in range(5):
            OrganisationFactory(partnership=coordinator.partnership)
        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get(url(page, coordinator.partnership))
