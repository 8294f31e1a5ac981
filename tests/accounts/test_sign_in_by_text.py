"""Signing in with a mobile number and a code sent by text message, and a person's own mobile number page:
adding and confirming a number, removing it, stopping texts; every step limited and audited."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from coproduce.accounts.models import User
from coproduce.core import sms
from coproduce.core.models import AuditEvent, OutgoingText
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

NUMBER = "+447700900123"
REQUEST = reverse("account_request_login_code")
CONFIRM = reverse("account_confirm_login_code")
MOBILE = reverse("accounts:mobile")
MOBILE_CONFIRM = reverse("accounts:mobile-confirm")


def with_number(user: User, *, verified: bool = True) -> User:
    user.phone, user.phone_verified = NUMBER, verified
    user.save()
    return user


def texted_code() -> str:
    found = re.search(r"\b(\d{6}|[A-Z0-9]{4}-[A-Z0-9]{4})\b", sms.outbox[-1].body)
    assert found, sms.outbox[-1].body
    return found.group(1)


def ask(client: Client, typed: str = "07700 900123", ip: str = "10.2.2.2") -> Any:
    return client.post(REQUEST, {"by": "text", "phone": typed}, REMOTE_ADDR=ip)


class TestSignInByText:
    def test_the_pages_offer_a_code_by_text(self) -> None:
        assert "Text me a sign-in code" in Client().get(reverse("account_login")).content.decode()
        page = Client().get(REQUEST + "?by=text").content.decode()
        assert 'name="phone"' in page and 'type="tel"' in page and 'name="email"' not in page
        page = Client().get(REQUEST).content.decode()
        assert 'name="email"' in page and 'name="phone"' not in page

    def test_a_member_signs_in_with_her_number_and_the_texted_code(self, member: Any) -> None:
        with_number(member.user)
        client = Client()
        response = ask(client)
        assert response.status_code == 302 and response["Location"].startswith(CONFIRM)
        assert [t.to for t in sms.outbox] == [NUMBER]
        assert "is your Coproduce code" in sms.outbox[0].body
        response = client.post(CONFIRM, {"code": texted_code()})
        assert response.status_code == 302
        home = reverse("partnerships:home", kwargs={"slug": member.partnership.slug})
        assert client.get(home).status_code == 200
        assert AuditEvent.objects.filter(action="account.login_code_texted", target_id=str(member.user.pk)).exists()
        assert AuditEvent.objects.filter(action="account.signed_in", actor=member.user).exists()

    def test_the_code_comes_in_her_language(self, member: Any) -> None:
        with_number(member.user)
        member.user.language = "pl"
        member.user.save()
        ask(Client())
        assert sms.outbox[0].to == NUMBER  # the words are her language's once its catalogue is translated

    def test_an_unconfirmed_or_unknown_number_gets_no_text_and_the_page_says_the_same(self, member: Any) -> None:
        with_number(member.user, verified=False)
        unconfirmed = ask(Client())
        unknown = ask(Client(), "07700 900999")
        assert unconfirmed.status_code == unknown.status_code == 302
        assert not sms.outbox

    def test_a_number_that_is_not_a_mobile_gets_a_clear_message(self) -> None:
        response = ask(Client(), "0131 496 0000")
        assert response.status_code == 200
        assert "Enter a UK mobile number, like 07700 900123." in response.content.decode()
        response = ask(Client(), "")
        assert "Enter your mobile number." in response.content.decode()

    def test_a_wrong_code_is_refused_and_counted_per_number(self, member: Any) -> None:
        with_number(member.user)
        client = Client()
        ask(client)
        response = client.post(CONFIRM, {"code": "000000"})
        assert response.status_code == 200
        assert "That code is not right" in response.content.decode()
        assert AuditEvent.objects.filter(action="account.login_code_failed").count() == 1

    def test_a_code_used_once_does_not_sign_in_again(self, member: Any) -> None:
        with_number(member.user)
        client = Client()
        ask(client)
        code = texted_code()
        client.post(CONFIRM, {"code": code})
        other = Client()
        assert other.post(CONFIRM, {"code": code}).status_code == 302  # no code asked in this session
        assert other.get(reverse("partnerships:home", kwargs={"slug": member.partnership.slug})).status_code == 302

    def test_a_double_submit_sends_one_text(self, member: Any) -> None:
        with_number(member.user)
        client = Client()
        ask(client)
        ask(client)
        assert len(sms.outbox) == 1
        again = ask(Client(), ip="10.2.2.3")  # the same number asked from another browser a moment later
        assert again.status_code == 200
        assert "less than a minute ago" in again.content.decode()
        assert len(sms.outbox) == 1

    def test_too_many_requests_for_one_number_wait(self, member: Any) -> None:
        with_number(member.user)
        for i in range(5):
            OutgoingText.objects.all().delete()  # past the minute's gap
            caches["default"].clear()  # and past allauth's own three a minute
            ask(Client(), ip=f"10.3.3.{i}")
        response = ask(Client(), ip="10.3.3.9")
        assert "Too many codes have been asked for this number" in response.content.decode()
        assert len(sms.outbox) == 5

    def test_made_up_numbers_from_one_address_stop_that_address_not_the_owner(self, member: Any) -> None:
        with_number(member.user)
        for i in range(20):
            ask(Client(), f"07700 900{i:03d}"[:12] if i else "07700 900500", ip="10.4.4.4")
        assert "Too many codes" in ask(Client(), "07700 900600", ip="10.4.4.4").content.decode()
        assert ask(Client(), ip="10.5.5.5").status_code == 302  # the owner, elsewhere, gets her code
        assert [t.to for t in sms.outbox] == [NUMBER]

    def test_email_codes_work_as_before(self, member: Any) -> None:
        from django.core import mail

        response = Client().post(REQUEST, {"email": member.user.email})
        assert response.status_code == 302 and len(mail.outbox) == 1 and not sms.outbox


class TestMobilePage:
    def test_a_person_adds_and_confirms_her_number(self, member: Any) -> None:
        client = signed_in(member.user)
        assert client.get(reverse("account_email")).status_code == 200
        response = client.post(MOBILE, {"action": "set", "phone": "07700 900123"})
        assert response.status_code == 302 and response["Location"] == MOBILE_CONFIRM
        member.user.refresh_from_db()
        assert (member.user.phone, member.user.phone_verified) == (NUMBER, False)
        assert "07700 900123" in client.get(MOBILE_CONFIRM).content.decode()
        response = client.post(MOBILE_CONFIRM, {"code": "999999" if texted_code() != "999999" else "000000"})
        assert response.status_code == 400 and "That code is not right" in response.content.decode()
        response = client.post(MOBILE_CONFIRM, {"code": texted_code()})
        assert response.status_code == 302
        member.user.refresh_from_db()
        assert member.user.phone_verified
        actions = set(AuditEvent.objects.filter(target_id=str(member.user.pk)).values_list("action", flat=True))
        assert {"account.phone_set", "account.phone_confirmed"} <= actions

    def test_a_number_on_another_account_or_not_a_mobile_is_refused(self, member: Any, worker: Any) -> None:
        with_number(worker.user)
        client = signed_in(member.user)
        response = client.post(MOBILE, {"action": "set", "phone": "07700 900123"})
        assert response.status_code == 400 and "This number is on another account" in response.content.decode()
        response = client.post(MOBILE, {"action": "set", "phone": "0131 496 0000"})
        assert response.status_code == 400 and "Enter a UK mobile number" in response.content.decode()
        member.user.refresh_from_db()
        assert member.user.phone == "" and not sms.outbox

    def test_a_code_runs_out_after_three_wrong_tries(self, member: Any) -> None:
        client = signed_in(member.user)
        client.post(MOBILE, {"action": "set", "phone": "07700 900123"})
        for _ in range(3):
            client.post(MOBILE_CONFIRM, {"code": "x"})
        response = client.post(MOBILE_CONFIRM, {"code": texted_code()})
        assert response.status_code == 302 and response["Location"] == MOBILE
        member.user.refresh_from_db()
        assert not member.user.phone_verified

    def test_a_person_stops_texts_and_removes_her_number(self, member: Any) -> None:
        with_number(member.user)
        client = signed_in(member.user)
        client.post(MOBILE, {"action": "stop"})
        member.user.refresh_from_db()
        assert member.user.texts_stopped
        dropped = sms.send_text(to=NUMBER, body="An event tomorrow", kind="notifications.notice", reference="n:1")
        assert dropped.reason == OutgoingText.Reason.OPTED_OUT and not sms.outbox
        ask(Client())  # a sign-in code she asks for still comes
        assert len(sms.outbox) == 1
        client.post(MOBILE, {"action": "start"})
        client.post(MOBILE, {"action": "remove"})
        member.user.refresh_from_db()
        assert (member.user.phone, member.user.texts_stopped) == ("", False)
        assert AuditEvent.objects.filter(action="account.texts_stopped").exists()

    def test_the_page_needs_signing_in(self) -> None:
        assert Client().get(MOBILE).status_code == 302
        assert Client().post(MOBILE, {"action": "stop"}).status_code == 302


def test_in_the_demo_aisha_signs_in_by_text(capsys: pytest.CaptureFixture[str], settings: Any) -> None:
    from coproduce.demo_data import load_demo

    load_demo()
    settings.COPRODUCE_SMS_BACKEND = "console"
    client = Client()
    assert ask(client).status_code == 302
    printed = capsys.readouterr().out
    found = re.search(r"Text message to \+447700900123: (\S+) is your Coproduce code", printed)
    assert found, printed
    assert client.post(CONFIRM, {"code": found.group(1)}).status_code == 302
