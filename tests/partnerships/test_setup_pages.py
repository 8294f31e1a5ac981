"""The coordinators' set-up pages (settings, partner organisations) and partner leads inviting their own staff:
every POST as every role, bad input kept and listed, nothing half-saved, everything audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.models import AuditEvent
from coproduce.partnerships import services
from coproduce.partnerships.models import Invitation, Organisation, Partnership
from tests.conftest import signed_in
from tests.factories import InvitationFactory, OrganisationFactory, PartnershipFactory, staff_membership

ROLES = ["member", "observer", "worker", "partner_lead", "coordinator", "outsider"]


def url(name: str, partnership: Any, **kwargs: Any) -> str:
    return reverse(f"partnerships:{name}", kwargs={"slug": partnership.slug, **kwargs})


def client_for(role: str, request: pytest.FixtureRequest) -> Client:
    if role == "anonymous":
        return Client()
    return signed_in(request.getfixturevalue(role).user)


SETTINGS = {
    "name": "Riverside Parents' Partnership",
    "description": "Parents and partners together.",
    "contact_email": "Hello@Riverside.example",
    "contact_phone": "01632 960 123",
    "contact_address": "12 Mill Street\r\nRiverside",
    "website": "https://riverside.example/parents",
}


class TestSettings:
    @pytest.mark.parametrize("role", ["anonymous", *ROLES])
    def test_only_a_coordinator_changes_the_settings(
        self, role: str, request: pytest.FixtureRequest, partnership: Any
    ) -> None:
        response = client_for(role, request).post(url("settings-details", partnership), SETTINGS)
        partnership.refresh_from_db()
        if role == "coordinator":
            assert response.status_code == 302
            assert partnership.name == SETTINGS["name"]
            assert partnership.contact_email == "hello@riverside.example"
            assert partnership.contact_address == "12 Mill Street\nRiverside"
            event = AuditEvent.objects.get(action="partnership.settings_changed")
            assert set(event.detail["changed"]) == set(SETTINGS)
            assert event.detail["values"]["name"] == {"before": "Riverside Test Partnership", "after": SETTINGS["name"]}
        else:
            assert response.status_code == (302 if role == "anonymous" else 404)
            assert partnership.name == "Riverside Test Partnership"
            assert not AuditEvent.objects.filter(action="partnership.settings_changed").exists()

    def test_bad_input_is_listed_kept_and_nothing_saved(self, coordinator: Any) -> None:
        bad = {
            **SETTINGS,
            "name": "",
            "contact_email": "not-an-address",
            "contact_phone": "call me",
            "website": "ftp://x",
        }
        response = signed_in(coordinator.user).post(url("settings-details", coordinator.partnership), bad)
        html = response.content.decode()
        assert response.status_code == 200
        assert "<title>Error:" in html and "There is a problem" in html
        for message in (
            "Enter the partnership&#x27;s name.",
            "Enter an email address in the right format",
            "Enter a web address starting https://",
        ):
            assert message in html
        assert 'value="not-an-address"' in html and 'value="call me"' in html
        coordinator.partnership.refresh_from_db()
        assert coordinator.partnership.contact_email == ""

    def test_a_bad_phone_number_is_refused_by_the_service(self, coordinator: Any) -> None:
        response = signed_in(coordinator.user).post(
            url("settings-details", coordinator.partnership), {**SETTINGS, "contact_phone": "12"}
        )
        assert "Enter a phone number, like 0141 496 0000" in response.content.decode()
        assert Partnership.objects.get(pk=coordinator.partnership_id).contact_phone == ""

    def test_saving_nothing_new_records_nothing(self, coordinator: Any) -> None:
        services.partnership_settings_change(actor=coordinator, **SETTINGS)
        services.partnership_settings_change(actor=coordinator, **SETTINGS)
        assert AuditEvent.objects.filter(action="partnership.settings_changed").count() == 1

    def test_the_hub_lists_the_sections_and_members_see_the_contact(self, coordinator: Any, member: Any) -> None:
        services.partnership_settings_change(actor=coordinator, **SETTINGS)
        hub = signed_in(coordinator.user).get(url("settings", coordinator.partnership)).content.decode()
        assert url("settings-details", coordinator.partnership) in hub
        assert url("organisations", coordinator.partnership) in hub
        home = signed_in(member.user).get(url("home", member.partnership)).content.decode()
        assert "hello@riverside.example" in home and "01632 960 123" in home
        assert "12 Mill Street<br>Riverside" in home

    def test_another_app_adds_a_section_without_editing_the_template(self, coordinator: Any) -> None:
        from coproduce.partnerships import settings_sections as registry

        section = registry.SettingsSection(
            "test-extra", "Data protection (test)", "Who controls the data.", "partnerships:audit"
        )
        registry.register_settings_section(section)
        try:
            hub = signed_in(coordinator.user).get(url("settings", coordinator.partnership)).content.decode()
        finally:
            registry._SECTIONS.pop("test-extra")
        assert "Data protection (test)" in hub and url("audit", coordinator.partnership) in hub


ORGANISATION = {
    "name": "Riverside Credit Union",
    "kind": "community",
    "description": "Savings and fair loans.",
    "website": "https://credit.example",
    "org_id": "gb-coh-ip012345",
}


class TestOrganisations:
    @pytest.mark.parametrize("role", ["anonymous", *ROLES])
    def test_only_a_coordinator_adds_an_organisation(
        self, role: str, request: pytest.FixtureRequest, partnership: Any
    ) -> None:
        response = client_for(role, request).post(url("organisation-new", partnership), ORGANISATION)
        made = Organisation.objects.filter(name="Riverside Credit Union")
        if role == "coordinator":
            assert response.status_code == 302
            assert made.get().org_id == "GB-COH-IP012345"
            assert AuditEvent.objects.filter(action="organisation.created").count() == 1
        else:
            assert response.status_code == (302 if role == "anonymous" else 404)
            assert not made.exists()

    @pytest.mark.parametrize("role", ["anonymous", *ROLES])
    def test_only_a_coordinator_changes_retires_and_brings_back(
        self, role: str, request: pytest.FixtureRequest, partnership: Any
    ) -> None:
        organisation = OrganisationFactory(partnership=partnership, name="Old name")
        client = client_for(role, request)
        edited = client.post(url("organisation-edit", partnership, organisation_id=organisation.pk), ORGANISATION)
        retired = client.post(url("organisation-retire", partnership, organisation_id=organisation.pk))
        organisation.refresh_from_db()
        if role == "coordinator":
            assert edited.status_code == retired.status_code == 302
            assert organisation.name == "Riverside Credit Union" and organisation.is_retired
            back = client.post(url("organisation-reinstate", partnership, organisation_id=organisation.pk))
            assert back.status_code == 302
            organisation.refresh_from_db()
            assert not organisation.is_retired
            actions = list(
                AuditEvent.objects.filter(action__startswith="organisation.")
                .order_by("id")
                .values_list("action", flat=True)
            )
            assert actions == ["organisation.changed", "organisation.retired", "organisation.reinstated"]
        else:
            assert edited.status_code == retired.status_code == (302 if role == "anonymous" else 404)
            assert organisation.name == "Old name" and not organisation.is_retired
            assert not AuditEvent.objects.filter(action__startswith="organisation.").exists()

    def test_a_coordinator_of_another_partnership_gets_404(self, partnership: Any) -> None:
        other = staff_membership(PartnershipFactory(), role="coordinator")
        organisation = OrganisationFactory(partnership=partnership)
        client = signed_in(other.user)
        for name in ("organisation-edit", "organisation-retire"):
            # Their own partnership's address with this partnership's organisation: not found.
            assert client.get(url(name, other.partnership, organisation_id=organisation.pk)).status_code == 404
        assert (
            client.post(url("organisation-retire", other.partnership, organisation_id=organisation.pk)).status_code
            == 404
        )
        with pytest.raises(NotPermitted):
            services.organisation_retire(actor=other, organisation=organisation)
        organisation.refresh_from_db()
        assert not organisation.is_retired

    def test_bad_input_is_listed_with_plain_messages_and_kept(self, coordinator: Any) -> None:
        bad = {"name": "", "kind": "", "website": "javascript:alert(1)", "org_id": "GB-SC-12345"}
        response = signed_in(coordinator.user).post(url("organisation-new", coordinator.partnership), bad)
        html = response.content.decode()
        assert "There is a problem" in html
        assert "Enter the organisation&#x27;s name." in html
        assert "Choose what kind of organisation it is." in html
        assert "A Scottish charity number is SC followed by 6 digits, e.g. GB-SC-SC012345." in html
        assert 'value="GB-SC-12345"' in html
        assert Organisation.objects.filter(partnership=coordinator.partnership).count() == 1  # the coordinator's

    def test_names_and_identifiers_are_unique_in_a_partnership_only(self, coordinator: Any) -> None:
        services.organisation_create(actor=coordinator, name="Credit Union", kind="community", org_id="GB-SC-SC000001")
        with pytest.raises(ServiceError, match="already an organisation called"):
            services.organisation_create(actor=coordinator, name="credit union", kind="community")
        with pytest.raises(ServiceError, match="GB-SC-SC000001 is already the identifier of Credit Union"):
            services.organisation_create(actor=coordinator, name="Another", kind="community", org_id="gb-sc-sc000001")
        other = staff_membership(PartnershipFactory(), role="coordinator")
        services.organisation_create(actor=other, name="Credit Union", kind="community", org_id="GB-SC-SC000001")
        # Several organisations without an identifier are fine.
        services.organisation_create(actor=coordinator, name="No number 1", kind="community")
        services.organisation_create(actor=coordinator, name="No number 2", kind="community")

    def test_a_retired_organisation_keeps_its_staff_but_is_offered_for_nothing_new(
        self, coordinator: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        organisation = OrganisationFactory(partnership=coordinator.partnership, name="Leaving Ltd")
        worker = staff_membership(coordinator.partnership, role="worker", organisation=organisation)
        open_invitation = InvitationFactory(
            partnership=coordinator.partnership, organisation=organisation, is_member=False, is_worker=True
        )
        services.organisation_retire(actor=coordinator, organisation=organisation)
        worker.refresh_from_db()
        open_invitation.refresh_from_db()
        assert worker.organisation == organisation and worker.is_worker
        assert open_invitation.status == "revoked"
        client = signed_in(coordinator.user)
        page = client.get(url("organisations", coordinator.partnership)).content.decode()
        assert "Leaving Ltd" in page and "Retired on" in page
        invitations = client.get(url("invitations", coordinator.partnership)).content.decode()
        assert f'value="{organisation.pk}"' not in invitations
        with pytest.raises(ServiceError, match="has retired"):
            services.invitation_create(
                actor=coordinator, email="new@example.org", roles={"worker"}, organisation=organisation
            )
        # Changing the roles of someone already with it keeps them there.
        services.membership_roles_change(
            actor=coordinator, membership=worker, roles={"worker", "member"}, organisation=organisation
        )
        roles_page = client.get(url("roles-edit", coordinator.partnership, membership_id=worker.pk)).content.decode()
        assert f'value="{organisation.pk}"' in roles_page
        assert not Invitation.objects.filter(revoked_at__isnull=True, accepted_at__isnull=True).exists()

    def test_the_organisations_page_holds_its_query_count(
        self, coordinator: Any, member: Any, django_assert_max_num_queries: Any
    ) -> None:
        for n in range(12):
            organisation = OrganisationFactory(partnership=coordinator.partnership, org_id=f"GB-SC-SC0000{n:02d}")
            staff_membership(coordinator.partnership, role="worker", organisation=organisation)
        client = signed_in(coordinator.user)
        client.get(url("organisations", coordinator.partnership))
        with django_assert_max_num_queries(8):
            response = client.get(url("organisations", coordinator.partnership))
        assert response.content.decode().count("Retire<span") == 13
        assert (
            "Retire<span" not in signed_in(member.user).get(url("organisations", member.partnership)).content.decode()
        )


class TestPartnerLeadsInvite:
    def test_a_partner_lead_invites_staff_of_their_own_organisation(
        self, partner_lead: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        client = signed_in(partner_lead.user)
        page = client.get(url("invitations", partner_lead.partnership)).content.decode()
        assert 'name="organisation"' not in page and 'value="coordinator"' not in page and 'value="member"' not in page
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                url("invitations", partner_lead.partnership),
                {"email": "tutor@example.org", "roles": ["worker", "partner_lead"]},
            )
        assert response.status_code == 302
        invitation = Invitation.objects.get()
        assert invitation.organisation_id == partner_lead.organisation_id
        assert set(invitation.roles) == {"worker", "partner_lead"}

    @pytest.mark.parametrize("roles", [["coordinator"], ["member"], ["observer"], ["worker", "member"]])
    def test_a_partner_lead_gives_no_other_role(self, partner_lead: Any, roles: list[str]) -> None:
        response = signed_in(partner_lead.user).post(
            url("invitations", partner_lead.partnership), {"email": "x@example.org", "roles": roles}
        )
        assert response.status_code == 200
        assert not Invitation.objects.exists()
        with pytest.raises(ServiceError):
            services.invitation_create(
                actor=partner_lead, email="x@example.org", roles=set(roles), organisation=partner_lead.organisation
            )

    def test_a_partner_lead_never_invites_to_another_organisation(self, partner_lead: Any) -> None:
        other = OrganisationFactory(partnership=partner_lead.partnership)
        # A forged organisation in the form is ignored: the invitation is to the lead's own organisation.
        signed_in(partner_lead.user).post(
            url("invitations", partner_lead.partnership),
            {"email": "x@example.org", "roles": ["worker"], "organisation": other.pk},
        )
        assert Invitation.objects.get().organisation_id == partner_lead.organisation_id
        with pytest.raises(ServiceError, match="own organisation"):
            services.invitation_create(actor=partner_lead, email="y@example.org", roles={"worker"}, organisation=other)

    def test_a_partner_lead_sees_and_withdraws_only_their_organisations_invitations(
        self, partner_lead: Any, coordinator: Any
    ) -> None:
        partnership = partner_lead.partnership
        theirs = InvitationFactory(
            partnership=partnership, organisation=partner_lead.organisation, is_member=False, is_worker=True
        )
        other_org = InvitationFactory(
            partnership=partnership, organisation=coordinator.organisation, is_member=False, is_worker=True
        )
        as_coordinator = InvitationFactory(
            partnership=partnership, organisation=partner_lead.organisation, is_member=False, is_coordinator=True
        )
        member_invitation = InvitationFactory(partnership=partnership)
        client = signed_in(partner_lead.user)
        page = client.get(url("invitations", partnership)).content.decode()
        assert theirs.email in page
        for hidden in (other_org, as_coordinator, member_invitation):
            assert hidden.email not in page
            assert client.post(url("invitation-revoke", partnership, invitation_id=hidden.pk)).status_code == 404
            hidden.refresh_from_db()
            assert hidden.status == "open"
            # The service refuses too, whatever reaches it.
            with pytest.raises(NotPermitted):
                services.invitation_revoke(actor=partner_lead, invitation=hidden)
            with pytest.raises(NotPermitted):
                services.invitation_resend(actor=partner_lead, invitation=hidden)
        assert client.post(url("invitation-revoke", partnership, invitation_id=theirs.pk)).status_code == 302
        theirs.refresh_from_db()
        assert theirs.status == "revoked"

    def test_a_partner_lead_cannot_replace_an_invitation_they_could_not_send(
        self, partner_lead: Any, coordinator: Any
    ) -> None:
        services.invitation_create(
            actor=coordinator, email="boss@example.org", roles={"coordinator"}, organisation=coordinator.organisation
        )
        with pytest.raises(ServiceError, match="already an open invitation"):
            services.invitation_create(
                actor=partner_lead, email="boss@example.org", roles={"worker"}, organisation=partner_lead.organisation
            )
        assert Invitation.objects.get().is_coordinator
        assert Invitation.objects.get().status == "open"

    @pytest.mark.parametrize("role", ["member", "observer", "worker", "outsider"])
    def test_nobody_else_invites(self, role: str, request: pytest.FixtureRequest, partnership: Any) -> None:
        response = client_for(role, request).post(
            url("invitations", partnership), {"email": "x@example.org", "roles": ["worker"]}
        )
        assert response.status_code == 404
        assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_the_database_keeps_an_identifier_unique_within_a_partnership() -> None:
    from django.db import IntegrityError, transaction

    first = OrganisationFactory(org_id="GB-SC-SC000001")
    OrganisationFactory(org_id="GB-SC-SC000001")  # another partnership
    OrganisationFactory(partnership=first.partnership, org_id="")
    OrganisationFactory(partnership=first.partnership, org_id="")  # none twice is fine
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory(partnership=first.partnership, org_id="GB-SC-SC000001")
