from __future__ import annotations

import time
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from coproduce.core.models import AuditEvent
from coproduce.methods.totp import totp_code
from tests.conftest import signed_in
from tests.factories import PASSWORD, UserFactory, add_totp

LOGIN = "/accounts/login/"


def sign_in(client: Client, email: str, password: str, ip: str = "10.1.1.1") -> Any:
    return client.post(LOGIN, {"login": email, "password": password}, REMOTE_ADDR=ip)


class TestPasswordSignIn:
    def test_member_signs_in_with_password_and_it_is_audited(self, member: Any) -> None:
        client = Client()
        response = sign_in(client, member.user.email, PASSWORD)
        assert response.status_code == 302
        assert client.get(reverse("partnerships:home", kwargs={"slug": member.partnership.slug})).status_code == 200
        assert AuditEvent.objects.filter(action="account.signed_in", actor=member.user).count() == 1

    def test_sign_in_makes_a_new_session(self, member: Any) -> None:
        client = Client()
        client.get(LOGIN)
        before = client.cookies.get("sessionid")
        sign_in(client, member.user.email, PASSWORD)
        assert client.cookies["sessionid"].value != (before.value if before else None)

    def test_failed_sign_in_is_audited_without_the_password(self, member: Any) -> None:
        sign_in(Client(), member.user.email, "wrong password here")
        event = AuditEvent.objects.get(action="account.sign_in_failed")
        assert event.target_id == str(member.user.pk)
        assert "wrong password here" not in str(event.detail)

    def test_staff_with_an_authenticator_must_enter_a_code(self, coordinator: Any) -> None:
        from allauth.mfa.models import Authenticator

        client = Client()
        response = sign_in(client, coordinator.user.email, PASSWORD)
        assert response["Location"] == reverse("mfa_authenticate")
        home = reverse("partnerships:home", kwargs={"slug": coordinator.partnership.slug})
        assert client.get(home).status_code == 302  # not signed in yet
        secret = coordinator.user.authenticator_set.get(type=Authenticator.Type.TOTP).wrap().instance.data["secret"]
        if 30 - time.time() % 30 < 3:  # a busy machine could take the code past its 30 seconds
            time.sleep(30 - time.time() % 30 + 0.1)
        response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret, time.time())})
        assert response.status_code == 302
        assert client.get(home).status_code == 200


class TestLockout:
    def test_tenth_failure_locks_that_email_from_that_address_only(self, member: Any) -> None:
        other = UserFactory()
        client = Client()
        for attempt in range(9):
            assert sign_in(client, member.user.email, f"wrong {attempt}").status_code == 200
        locked = sign_in(client, member.user.email, "wrong again")
        assert locked.status_code == 429
        assert "15 minutes" in locked.content.decode()
        # Even the right password is refused until the cool-off ends …
        assert sign_in(Client(), member.user.email, PASSWORD).status_code == 429
        # … but nobody else behind the same address is locked out,
        assert sign_in(Client(), other.email, PASSWORD).status_code == 302
        # and the same person from another address can still sign in.
        assert sign_in(Client(), member.user.email, PASSWORD, ip="10.9.9.9").status_code == 302

    def test_success_resets_the_count(self, member: Any) -> None:
        for attempt in range(8):
            sign_in(Client(), member.user.email, f"wrong {attempt}")
        assert sign_in(Client(), member.user.email, PASSWORD).status_code == 302
        for attempt in range(8):
            assert sign_in(Client(), member.user.email, f"wrong {attempt}").status_code == 200


class TestCodeAndReset:
    def test_sign_in_by_emailed_code(self, member: Any) -> None:
        client = Client()
        response = client.post(reverse("account_request_login_code"), {"email": member.user.email})
        assert response.status_code == 302
        code = str(mail.outbox[-1].body)
        import re

        found = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", code, re.MULTILINE)
        assert found, code
        response = client.post(reverse("account_confirm_login_code"), {"code": found.group(1)})
        assert response.status_code == 302
        assert client.get(reverse("partnerships:home", kwargs={"slug": member.partnership.slug})).status_code == 200

    def test_password_reset_answers_the_same_whether_or_not_the_account_exists(self, member: Any) -> None:
        known = Client().post(reverse("account_reset_password"), {"email": member.user.email})
        unknown = Client().post(reverse("account_reset_password"), {"email": "nobody@example.org"})
        assert known.status_code == unknown.status_code == 302
        assert known["Location"] == unknown["Location"]

    def test_reset_links_last_one_hour(self, settings: Any) -> None:
        assert settings.PASSWORD_RESET_TIMEOUT == 3600


class TestSessions:
    def test_person_sees_their_sessions_page(self, member: Any) -> None:
        response = signed_in(member.user).get(reverse("usersessions_list"))
        assert response.status_code == 200

    def test_the_mfa_setup_page_shows_the_secret_as_text(self, partnership: Any) -> None:
        from tests.factories import staff_membership

        worker = staff_membership(partnership, role="worker", mfa=False)
        client = Client()
        sign_in(client, worker.user.email, PASSWORD)  # activating needs a fresh sign-in
        response = client.get(reverse("mfa_activate_totp"))
        assert response.status_code == 200
        assert response.context["form"].secret in response.content.decode()


@pytest.mark.parametrize(
    ("password", "ok"),
    [("short pass", False), ("a" * 12 + "Z1!", True), ("x" * 64 + "yz", True), ("z" * 129, False)],
)
def test_password_rules(password: str, ok: bool, db: Any) -> None:
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    try:
        validate_password(password)
    except ValidationError:
        assert not ok
    else:
        assert ok


def test_totp_code_matches_rfc_6238_vector() -> None:
    # RFC 6238 appendix B, SHA-1, T = 59 s, 8 digits; secret "12345678901234567890".
    assert totp_code("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", 59, digits=8) == "94287082"
    assert totp_code("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", 1111111109, digits=8) == "07081804"


def test_add_totp_helper_returns_a_working_secret(member: Any) -> None:
    secret = add_totp(member.user)
    assert len(totp_code(secret, time.time())) == 6
