"""Sign-in limits (accounts/limits.py, SECURITY.md): the second step's codes, the emailed code and the password,
each failure audited, counted in the database, keyed so that made-up emails and shared addresses deny nobody."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.core import mail
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coproduce.accounts.models import SignInFailures
from coproduce.core.models import AuditEvent
from coproduce.methods.totp import totp_code
from tests.factories import PASSWORD, UserFactory, staff_membership

LOGIN = "/accounts/login/"
MFA = "/accounts/2fa/authenticate/"


def sign_in(client: Client, email: str, password: str = PASSWORD, ip: str = "10.1.1.1", **headers: Any) -> Any:
    return client.post(LOGIN, {"login": email, "password": password}, REMOTE_ADDR=ip, **headers)


def secret_of(user: Any) -> str:
    return str(user.authenticator_set.get(type=Authenticator.Type.TOTP).wrap().instance.data["secret"])


def right_code(user: Any) -> str:
    """The code the person's app shows now, with time to use it before it changes."""
    if 30 - time.time() % 30 < 3:
        time.sleep(30 - time.time() % 30 + 0.1)
    return totp_code(secret_of(user), time.time())


def wrong_code(user: Any) -> str:
    now = time.time()
    near = {totp_code(secret_of(user), now + step) for step in (-60, -30, 0, 30, 60)}
    return next(code for code in ("123456", "654321", "111111") if code not in near)


def at_second_step(user: Any, ip: str = "10.1.1.1") -> Client:
    client = Client()
    response = sign_in(client, user.email, ip=ip)
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    return client


def is_signed_in(client: Client, membership: Any) -> bool:
    home = reverse("partnerships:home", kwargs={"slug": membership.partnership.slug})
    return client.get(home).status_code == 200


def let_the_wait_pass() -> None:
    """As if the waits had run out (the limits read the time from the database rows)."""
    SignInFailures.objects.update(wait_until=timezone.now() - timedelta(seconds=1))


def forget_this_process() -> None:
    """What a second web process would not see: everything this one keeps in its own memory."""
    for backend in caches.all():
        if isinstance(backend, LocMemCache):
            backend.clear()


def alerts_to(user: Any) -> list[Any]:
    return [message for message in mail.outbox if user.email in message.to and "wrong" in message.subject]


class TestAuthenticatorCode:
    def test_the_sixth_code_is_refused_even_when_right_and_the_sign_in_is_voided(self, coordinator: Any) -> None:
        user = coordinator.user
        client = at_second_step(user)
        for attempt in range(1, 5):
            response = client.post(MFA, {"code": wrong_code(user)})
            assert response.status_code == 200 and "Sign in again" not in response.content.decode(), attempt
        fifth = client.post(MFA, {"code": wrong_code(user)})
        assert "Sign in again" in fifth.content.decode()
        assert "wait 1 minute, then sign in again with your password" in fifth.content.decode()
        # The pending sign-in has ended: the right code now only leads back to the password.
        sixth = client.post(MFA, {"code": right_code(user)})
        assert sixth.status_code == 302 and sixth["Location"].startswith(reverse("account_login"))
        assert not is_signed_in(client, coordinator)
        # Giving the password again does not help while the account waits, however right the code.
        again = at_second_step(user)
        refused = again.post(MFA, {"code": right_code(user)})
        assert "There have been too many wrong codes" in refused.content.decode()
        assert not is_signed_in(again, coordinator)
        # Once the wait is over the right code works.
        let_the_wait_pass()
        later = at_second_step(user)
        assert later.post(MFA, {"code": right_code(user)}).status_code == 302
        assert is_signed_in(later, coordinator)

    def test_every_wrong_code_is_audited_with_the_clients_address_and_without_the_code(self, coordinator: Any) -> None:
        user = coordinator.user
        client = at_second_step(user, ip="192.0.2.44")
        codes = [wrong_code(user)] * 3
        for code in codes:
            client.post(MFA, {"code": code}, REMOTE_ADDR="192.0.2.44")
        events = list(AuditEvent.objects.filter(action="account.mfa_failed").order_by("id"))
        assert [event.detail["failures"] for event in events] == [1, 2, 3]
        assert {event.target_id for event in events} == {str(user.pk)}
        assert {event.ip_address for event in events} == {"192.0.2.44"}
        assert all(event.actor is None for event in events)
        assert not any(code in str(event.detail) for event in events for code in codes)

    def test_the_person_is_emailed_once_when_wrong_codes_pile_up(self, coordinator: Any) -> None:
        user = coordinator.user
        client = at_second_step(user)
        for _ in range(4):
            client.post(MFA, {"code": wrong_code(user)})
        assert alerts_to(user) == []
        client.post(MFA, {"code": wrong_code(user)})
        [alert] = alerts_to(user)
        assert "5 wrong codes" in alert.body and "/accounts/password/reset/" in alert.body
        # More failures after the wait send no second email.
        for _ in range(2):
            let_the_wait_pass()
            at_second_step(user).post(MFA, {"code": wrong_code(user)})
        assert len(alerts_to(user)) == 1
        assert AuditEvent.objects.filter(action="account.mfa_failed").count() == 7

    def test_the_waits_grow(self, coordinator: Any) -> None:
        user = coordinator.user
        client = at_second_step(user)
        for _ in range(5):
            response = client.post(MFA, {"code": wrong_code(user)})
        assert "wait 1 minute," in response.content.decode()
        for expected in ("2 minutes", "4 minutes", "8 minutes"):
            let_the_wait_pass()
            response = at_second_step(user).post(MFA, {"code": wrong_code(user)})
            assert f"wait {expected}," in response.content.decode()

    def test_a_right_code_before_the_limit_works_and_starts_the_count_again(self, coordinator: Any) -> None:
        user = coordinator.user
        client = at_second_step(user)
        for _ in range(4):
            client.post(MFA, {"code": wrong_code(user)})
        assert client.post(MFA, {"code": right_code(user)}).status_code == 302
        assert is_signed_in(client, coordinator)
        client.post(reverse("account_logout"))
        again = at_second_step(user)
        for _ in range(4):
            response = again.post(MFA, {"code": wrong_code(user)})
            assert "Sign in again" not in response.content.decode()

    def test_recovery_codes_are_limited_the_same_way(self, coordinator: Any) -> None:
        user = coordinator.user
        recovery = RecoveryCodes.activate(user).get_unused_codes()
        client = at_second_step(user)
        for wrong in ("00000000", "11111111", "22222222", "33333333", "44444444"):
            assert wrong not in recovery
            client.post(MFA, {"code": wrong})
        assert AuditEvent.objects.filter(action="account.mfa_failed", target_id=str(user.pk)).count() == 5
        assert len(alerts_to(user)) == 1
        # A good recovery code is refused while the account waits …
        refused = at_second_step(user).post(MFA, {"code": recovery[0]})
        assert "There have been too many wrong codes" in refused.content.decode()
        assert AuditEvent.objects.filter(action="account.mfa_refused").count() == 1
        # … and works once the wait is over.
        let_the_wait_pass()
        later = at_second_step(user)
        assert later.post(MFA, {"code": recovery[0]}).status_code == 302
        assert is_signed_in(later, coordinator)

    def test_one_address_trying_many_accounts_waits_but_others_do_not(self, partnership: Any) -> None:
        staff = [staff_membership(partnership, role="worker") for _ in range(5)]
        for membership in staff[:4]:
            client = at_second_step(membership.user, ip="198.51.100.7")
            for _ in range(5):
                client.post(MFA, {"code": wrong_code(membership.user)}, REMOTE_ADDR="198.51.100.7")
        # 20 wrong codes from that address: the fifth person's right code from there waits …
        fifth = staff[4]
        from_there = at_second_step(fifth.user, ip="198.51.100.7")
        refused = from_there.post(MFA, {"code": right_code(fifth.user)}, REMOTE_ADDR="198.51.100.7")
        assert "There have been too many wrong codes" in refused.content.decode()
        # … but not from anywhere else.
        elsewhere = at_second_step(fifth.user, ip="198.51.100.8")
        assert elsewhere.post(MFA, {"code": right_code(fifth.user)}, REMOTE_ADDR="198.51.100.8").status_code == 302

    def test_confirming_who_you_are_when_signed_in_is_limited_too(self, coordinator: Any) -> None:
        from tests.conftest import signed_in

        user = coordinator.user
        client = signed_in(user)
        for _ in range(4):
            client.post(reverse("mfa_reauthenticate"), {"code": wrong_code(user)})
        fifth = client.post(reverse("mfa_reauthenticate"), {"code": wrong_code(user)})
        assert "Wait 1 minute and try again." in fifth.content.decode()
        refused = client.post(reverse("mfa_reauthenticate"), {"code": right_code(user)})
        assert refused.status_code == 200 and "too many wrong codes" in refused.content.decode()
        events = AuditEvent.objects.filter(action="account.mfa_failed")
        assert events.count() == 5 and all(event.actor == user and event.detail["reauthentication"] for event in events)
        assert is_signed_in(client, coordinator)  # still signed in: only the confirming waits

    def test_the_count_is_shared_by_every_process(self, coordinator: Any) -> None:
        user = coordinator.user
        client = at_second_step(user)
        for _ in range(3):
            client.post(MFA, {"code": wrong_code(user)})
        forget_this_process()
        for _ in range(2):
            response = client.post(MFA, {"code": wrong_code(user)})
        assert "Sign in again" in response.content.decode()
        assert SignInFailures.objects.count() == 2  # the account's and the address's, in the database

    def test_a_used_code_cannot_be_used_again_from_another_process(self, coordinator: Any) -> None:
        user = coordinator.user
        code = right_code(user)
        first = at_second_step(user)
        assert first.post(MFA, {"code": code}).status_code == 302
        forget_this_process()
        second = at_second_step(user)
        assert second.post(MFA, {"code": code}).status_code == 200
        assert not is_signed_in(second, coordinator)


def request_code(client: Client, email: str, ip: str = "10.1.1.1") -> Any:
    return client.post(reverse("account_request_login_code"), {"email": email}, REMOTE_ADDR=ip)


def confirm_code(client: Client, code: str, ip: str = "10.1.1.1") -> Any:
    return client.post(reverse("account_confirm_login_code"), {"code": code}, REMOTE_ADDR=ip)


def last_code_sent() -> str:
    found = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", str(mail.outbox[-1].body), re.MULTILINE)
    assert found, mail.outbox[-1].body
    return found.group(1)


class TestEmailedCode:
    def test_wrong_codes_are_audited_limited_and_alerted_across_codes(self, member: Any) -> None:
        user = member.user
        first, second, third = Client(), Client(), Client()
        request_code(first, user.email)
        request_code(second, user.email)
        request_code(third, user.email)
        right = last_code_sent()  # the third client's
        for _ in range(3):  # allauth ends the first code after three tries
            confirm_code(first, "XXXX-XXXX")
        confirm_code(second, "XXXX-XXXX")
        ended = confirm_code(second, "XXXX-XXXX")  # the fifth wrong code for this account
        assert ended.status_code == 302 and ended["Location"] == reverse("account_request_login_code")
        assert "Wait 1 minute, then ask for a new code" in second.get(ended["Location"]).content.decode()
        assert AuditEvent.objects.filter(action="account.login_code_failed", target_id=str(user.pk)).count() == 5
        assert len(alerts_to(user)) == 1
        # The third code is right, but the account waits: refused, and that code ends.
        refused = confirm_code(third, right)
        assert refused.status_code == 302
        assert not is_signed_in(third, member)
        assert AuditEvent.objects.filter(action="account.login_code_refused").count() == 1
        # No new code is sent while the account waits.
        before = len(mail.outbox)
        asked = request_code(Client(), user.email)
        assert asked.status_code == 200 and "too many wrong codes for this email address" in asked.content.decode()
        assert len(mail.outbox) == before
        let_the_wait_pass()
        caches["default"].clear()  # a minute on: allauth allows three codes a minute for one email
        client = Client()
        request_code(client, user.email)
        assert confirm_code(client, last_code_sent()).status_code == 302
        assert is_signed_in(client, member)

    def test_an_email_with_no_account_waits_just_like_one_with_an_account(self, member: Any) -> None:
        answers = {}
        for email in (member.user.email, "nobody-here@example.org"):
            for tries in (3, 2):
                client = Client()
                request_code(client, email)
                for _ in range(tries):
                    confirm_code(client, "XXXX-XXXX")
            answers[email] = request_code(Client(), email).content.decode()
        assert "too many wrong codes for this email address" in answers["nobody-here@example.org"]
        assert "too many wrong codes for this email address" in answers[member.user.email]
        unknown = AuditEvent.objects.filter(action="account.login_code_failed", target_id="")
        assert unknown.count() == 5 and all(event.detail["known_account"] is False for event in unknown)
        assert [message.to for message in mail.outbox if "wrong" in message.subject] == [[member.user.email]]

    def test_asking_for_codes_is_counted_in_the_database_by_every_process(self, member: Any) -> None:
        # allauth allows three codes a minute for one email; a second process must see the first's.
        for _ in range(3):
            assert request_code(Client(), member.user.email).status_code == 302
        forget_this_process()
        assert request_code(Client(), member.user.email).status_code == 200  # refused, with a message


class TestPasswordLimits:
    def test_an_account_tried_from_many_addresses_waits(self, member: Any) -> None:
        for attempt in range(20):
            assert sign_in(Client(), member.user.email, "wrong password", ip=f"10.2.0.{attempt + 1}").status_code == 200
        refused = sign_in(Client(), member.user.email, ip="10.3.0.1")
        assert refused.status_code == 429
        assert "Try again in 1 minute." in refused.content.decode()
        assert "sign in with a code sent to your email" in refused.content.decode()
        refusal = AuditEvent.objects.get(action="account.sign_in_refused")
        assert refusal.target_id == str(member.user.pk) and refusal.ip_address == "10.3.0.1"
        let_the_wait_pass()
        assert sign_in(Client(), member.user.email, ip="10.3.0.1").status_code == 302
        assert not SignInFailures.objects.exists()  # a right password ends the count

    def test_attempts_refused_by_the_lock_out_are_not_counted_again(self, member: Any) -> None:
        for attempt in range(25):  # the 10th locks this email at this address; the rest are refused unchecked
            sign_in(Client(), member.user.email, f"wrong {attempt}", ip="10.4.0.1")
        events = AuditEvent.objects.filter(action="account.sign_in_failed").order_by("id")
        assert [event.detail.get("failures") for event in events] == [*range(1, 11), *[None] * 15]
        assert sign_in(Client(), member.user.email, ip="10.4.0.2").status_code == 302

    def test_the_emailed_code_is_a_way_in_while_the_password_waits(self, member: Any) -> None:
        for attempt in range(20):
            sign_in(Client(), member.user.email, "wrong password", ip=f"10.5.0.{attempt + 1}")
        assert sign_in(Client(), member.user.email).status_code == 429
        client = Client()
        request_code(client, member.user.email)
        assert confirm_code(client, last_code_sent()).status_code == 302
        assert is_signed_in(client, member)


PROXY = "10.0.0.1"


class TestBehindAProxy:
    @pytest.fixture(autouse=True)
    def _one_proxy(self, settings: Any) -> None:
        settings.COPRODUCE_PROXY_COUNT = 1

    def test_made_up_emails_from_four_addresses_lock_out_nobody(self, partnership: Any) -> None:
        attackers = ["203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4"]
        for attempt in range(100):
            address = attackers[attempt % 4]
            response = sign_in(
                Client(), f"made-up-{attempt % 10}@example.org", "guess", ip=PROXY, HTTP_X_FORWARDED_FOR=address
            )
            assert response.status_code in (200, 429)
        people = [UserFactory() for _ in range(6)]
        for person, address in zip(people, ["198.51.100.20"] * 3 + attackers[:3], strict=True):
            response = sign_in(Client(), person.email, ip=PROXY, HTTP_X_FORWARDED_FOR=address)
            assert response.status_code == 302, (person.email, address)

    def test_the_lock_out_is_keyed_on_the_client_behind_the_proxy(self, member: Any) -> None:
        for attempt in range(10):
            sign_in(Client(), member.user.email, f"wrong {attempt}", ip=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.5")
        assert sign_in(Client(), member.user.email, ip=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 429
        assert sign_in(Client(), member.user.email, ip=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.6").status_code == 302

    def test_the_audit_log_records_the_client_not_the_proxy(self, member: Any) -> None:
        # The left entry is whatever the client wrote; the proxy appended the one it saw.
        sign_in(Client(), member.user.email, "wrong", ip=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
        event = AuditEvent.objects.get(action="account.sign_in_failed")
        assert event.ip_address == "203.0.113.9"
        sign_in(Client(), member.user.email, ip=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.10")
        assert AuditEvent.objects.get(action="account.signed_in").ip_address == "203.0.113.10"


def test_without_a_proxy_a_forwarded_address_is_ignored(member: Any, settings: Any) -> None:
    settings.COPRODUCE_PROXY_COUNT = 0
    for attempt in range(10):
        forwarded = f"203.0.113.{attempt}"
        sign_in(Client(), member.user.email, f"wrong {attempt}", ip="10.6.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert AuditEvent.objects.filter(action="account.sign_in_failed", ip_address="10.6.0.1").count() == 10
    assert sign_in(Client(), member.user.email, ip="10.6.0.1", HTTP_X_FORWARDED_FOR="203.0.113.99").status_code == 429


def test_the_shared_cache_is_a_table_every_process_reads(db: Any, settings: Any) -> None:
    from django.db import connection

    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert settings.CACHES["default"]["LOCATION"] in connection.introspection.table_names()


def test_a_page_view_does_not_touch_the_shared_cache(member: Any) -> None:
    """The shared cache costs a query; pages keep their counts and fragments in each process's own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.conftest import signed_in

    client = signed_in(member.user)
    home = reverse("partnerships:home", kwargs={"slug": member.partnership.slug})
    client.get(home)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(home).status_code == 200
    assert not [query["sql"] for query in queries if "coproduce_cache" in query["sql"]]


class TestMemberTwoFactor:
    def test_a_member_can_turn_on_an_authenticator_app_and_is_then_asked_for_it(
        self, member: Any, settings: Any
    ) -> None:
        settings.MFA_TOTP_TOLERANCE = 1  # the next period's code is heard too, so the test need not wait for it
        user = member.user
        client = Client()
        assert sign_in(client, user.email).status_code == 302
        account_page = client.get(reverse("account_email")).content.decode()
        assert f'<a href="{reverse("mfa_index")}">Set up or change two-factor sign-in</a>' in account_page
        setup = client.get(reverse("mfa_activate_totp"))
        assert setup.status_code == 200
        secret = setup.context["form"].secret
        if 30 - time.time() % 30 < 3:
            time.sleep(30 - time.time() % 30 + 0.1)
        turned_on = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret, time.time())})
        assert turned_on.status_code == 302
        assert user.authenticator_set.filter(type=Authenticator.Type.TOTP).exists()
        client.post(reverse("account_logout"))
        again = Client()
        assert sign_in(again, user.email)["Location"] == reverse("mfa_authenticate")
        assert not is_signed_in(again, member)
        # The code used to turn it on cannot be used again: the next one.
        assert again.post(MFA, {"code": totp_code(secret, time.time() + 30)}).status_code == 302
        assert is_signed_in(again, member)
        # Signing in with an emailed code asks for the app too.
        by_code = Client()
        request_code(by_code, user.email)
        answer = confirm_code(by_code, last_code_sent())
        assert answer["Location"] == reverse("mfa_authenticate")
        assert not is_signed_in(by_code, member)


class TestTheRule:
    def test_waits_double_from_the_limit_up_to_the_longest(self) -> None:
        from coproduce.accounts.limits import DAY, HOUR, MINUTE, Limit

        limit = Limit("account", 5, MINUTE, HOUR, DAY)
        assert [limit.wait_after(failures) for failures in (1, 4)] == [None, None]
        assert [limit.wait_after(failures) for failures in (5, 6, 7, 10)] == [
            MINUTE,
            2 * MINUTE,
            4 * MINUTE,
            32 * MINUTE,
        ]
        assert limit.wait_after(11) == limit.wait_after(10_000) == HOUR

    def test_a_count_is_forgotten_after_a_quiet_spell(self, db: Any) -> None:
        from coproduce.accounts import limits

        for _ in range(4):
            limits.failure_record(limits.AUTHENTICATOR_CODE, account="person:7", address="192.0.2.1")
        SignInFailures.objects.update(forget_at=timezone.now() - timedelta(seconds=1))
        again = limits.failure_record(limits.AUTHENTICATOR_CODE, account="person:7", address="192.0.2.1")
        assert again.failures == 1 and again.wait is None
        assert SignInFailures.objects.count() == 2  # the same two rows, counting again from one

    def test_a_failure_leaves_other_forgotten_counts_to_the_purge(self, db: Any) -> None:
        from coproduce.accounts import limits

        limits.failure_record(limits.AUTHENTICATOR_CODE, account="person:7", address="192.0.2.1")
        SignInFailures.objects.update(forget_at=timezone.now() - timedelta(seconds=1))
        limits.failure_record(limits.AUTHENTICATOR_CODE, account="person:8", address="198.51.100.1")
        assert SignInFailures.objects.count() == 4  # no failure waits on deleting someone else's rows
        assert limits.waiting(limits.AUTHENTICATOR_CODE, account="person:7", address="192.0.2.1") is None
        assert limits.forgotten_purge() == 2
        assert SignInFailures.objects.count() == 2

    def test_the_table_holds_no_email_or_address(self, db: Any) -> None:
        from coproduce.accounts import limits

        limits.failure_record(limits.AUTHENTICATOR_CODE, account="aisha@example.org", address="192.0.2.1")
        keys = " ".join(SignInFailures.objects.values_list("key", flat=True))
        assert "aisha" not in keys and "192.0.2.1" not in keys
