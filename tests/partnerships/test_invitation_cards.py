"""Invitation cards: a printable card with a QR code and a short link (/i/<code>/) for an open invitation."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coproduce.core.models import AuditEvent
from coproduce.partnerships import services
from coproduce.partnerships.models import Invitation
from coproduce.partnerships.tokens import invitation_token
from tests.conftest import signed_in
from tests.factories import InvitationFactory, PartnershipFactory

pytestmark = pytest.mark.django_db


def card_url(invitation: Invitation) -> str:
    return reverse(
        "partnerships:invitation-card",
        kwargs={"slug": invitation.partnership.slug, "invitation_id": invitation.pk},
    )


def short_url(code: str) -> str:
    return reverse("partnerships:invitation-short", kwargs={"code": code})


class TestTheCard:
    def test_a_coordinator_prints_a_card_with_a_qr_code_and_the_short_link(self, coordinator: Any) -> None:
        invitation = InvitationFactory(partnership=coordinator.partnership)
        response = signed_in(coordinator.user).get(card_url(invitation))
        assert response.status_code == 200
        invitation.refresh_from_db()
        code = invitation.short_code
        assert re.fullmatch(rf"[{services.SHORT_CODE_ALPHABET}]{{10}}", code)
        html = response.content.decode()
        assert f"http://testserver/i/{code}/" in html
        assert '<svg class="cp-qr" aria-hidden="true"' in html
        assert coordinator.partnership.name in html
        assert "style=" not in html.split('<svg class="cp-qr"', 1)[1].split("</svg>", 1)[0]
        assert invitation.email not in html.split('class="cp-card"', 1)[1]  # the card itself names nobody
        assert response["Cache-Control"].count("no-store") == 1

    def test_printing_again_keeps_the_same_code_and_audits_once(self, coordinator: Any) -> None:
        invitation = InvitationFactory(partnership=coordinator.partnership)
        client = signed_in(coordinator.user)
        client.get(card_url(invitation))
        first = Invitation.objects.get(pk=invitation.pk).short_code
        client.get(card_url(invitation))
        assert Invitation.objects.get(pk=invitation.pk).short_code == first
        assert AuditEvent.objects.filter(action="invitation.card_made", target_id=str(invitation.pk)).count() == 1

    def test_the_invitations_page_links_to_the_card_of_an_open_invitation(self, coordinator: Any) -> None:
        invitation = InvitationFactory(partnership=coordinator.partnership)
        page = signed_in(coordinator.user).get(
            reverse("partnerships:invitations", kwargs={"slug": coordinator.partnership.slug})
        )
        assert card_url(invitation) in page.content.decode()

    @pytest.mark.parametrize("closed", ["accepted", "revoked", "expired"])
    def test_a_closed_invitation_has_no_card(self, coordinator: Any, closed: str) -> None:
        now = timezone.now()
        fields = {
            "accepted": {"accepted_at": now},
            "revoked": {"revoked_at": now},
            "expired": {"expires_at": now - timedelta(days=1)},
        }[closed]
        invitation = InvitationFactory(partnership=coordinator.partnership, **fields)
        response = signed_in(coordinator.user).get(card_url(invitation), follow=True)
        assert response.redirect_chain[-1][0].endswith("/invitations/")
        assert Invitation.objects.get(pk=invitation.pk).short_code == ""

    def test_a_partner_lead_prints_cards_only_for_her_own_organisations_staff(self, partner_lead: Any) -> None:
        own = InvitationFactory(
            partnership=partner_lead.partnership,
            is_member=False,
            is_worker=True,
            organisation=partner_lead.organisation,
        )
        member_invitation = InvitationFactory(partnership=partner_lead.partnership)
        client = signed_in(partner_lead.user)
        assert client.get(card_url(own)).status_code == 200
        assert client.get(card_url(member_invitation)).status_code == 404

    def test_others_and_other_partnerships_get_404(self, worker: Any, member: Any, coordinator: Any) -> None:
        invitation = InvitationFactory(partnership=coordinator.partnership)
        for person in (worker, member):
            assert signed_in(person.user).get(card_url(invitation)).status_code == 404
        elsewhere = InvitationFactory(partnership=PartnershipFactory())
        url = reverse(
            "partnerships:invitation-card",
            kwargs={"slug": coordinator.partnership.slug, "invitation_id": elsewhere.pk},
        )
        assert signed_in(coordinator.user).get(url).status_code == 404
        assert Invitation.objects.get(pk=invitation.pk).short_code == ""


class TestTheShortLink:
    def test_the_short_link_leads_to_the_invitation(self, coordinator: Any) -> None:
        invitation = InvitationFactory(partnership=coordinator.partnership, short_code="ABCDEFGH23")
        response = Client().get(short_url("ABCDEFGH23"))
        assert response.status_code == 302
        assert response["Location"] == reverse(
            "partnerships:invitation-accept", kwargs={"token": invitation_token(invitation)}
        )

    def test_typed_in_small_letters_or_with_a_dash_it_still_works(self, coordinator: Any) -> None:
        InvitationFactory(partnership=coordinator.partnership, short_code="ABCDEFGH23")
        assert Client().get(short_url("abcde-fgh23")).status_code == 302

    def test_an_unknown_code_says_so_plainly(self, db: None) -> None:
        response = Client().get(short_url("NOSUCHCODE"))
        assert response.status_code == 404
        assert "This card&#x27;s link is not valid" in response.content.decode()

    @pytest.mark.parametrize(
        ("fields", "words"),
        [
            ({"accepted_at": "now"}, "already been used"),
            ({"revoked_at": "now"}, "withdrawn"),
            ({"expires_at": "past"}, "expired"),
        ],
    )
    def test_a_used_withdrawn_or_expired_invitation_says_why(
        self, coordinator: Any, fields: dict[str, str], words: str
    ) -> None:
        now = timezone.now()
        values = {key: now if value == "now" else now - timedelta(days=1) for key, value in fields.items()}
        InvitationFactory(partnership=coordinator.partnership, short_code="USED234567", **values)
        response = Client().get(short_url("USED234567"))
        assert response.status_code == 410
        assert words in response.content.decode()

    def test_a_code_too_long_is_unknown(self, db: None) -> None:
        assert Client().get(short_url("A" * 200)).status_code == 404


def test_codes_are_ten_unambiguous_characters() -> None:
    codes = {services.short_code_new() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(code) == 10 and not set(code) & set("01IOL") for code in codes)
