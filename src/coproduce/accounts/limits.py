"""How many failed sign-in steps are heard, and how long the next one waits after too many.

One rule for every step: after a number of failures, each further failure makes the next attempt wait, twice
as long each time, up to a longest wait. While a key waits, an attempt is refused without being
checked, even if it is right. The counts live in the database (``SignInFailures``), so that every web process
sees the same ones; a count is forgotten after a quiet period, and an account's count ends when it signs in.

The numbers, written out in SECURITY.md:

* **password** — per email address tried, from anywhere: after 20 failures, 1 minute, doubling, at most
  15 minutes. django-axes also locks one email at one address after 10 (settings). No limit on an address
  alone: one person's mistakes, or someone trying made-up emails, must not stop others on the same network.
* **authenticator code** (app or recovery code, the second step after a right password) — per account:
  after 5 failures, 1 minute, doubling, at most an hour; the 5th failure and each one after it also end the
  pending sign-in, so the password must be given again, and the 5th sends the person an email. Per client
  address, across accounts: after 20 failures, the same waits (this step is reached only with a right
  password).
* **emailed sign-in code** — per email address: as the authenticator code per account (allauth also ends a
  code after 3 wrong tries). Not per address: someone asking codes for made-up emails could then stop real
  people at that address, and which emails hold accounts would show. A code of 8 letters from 20 cannot be
  guessed in the tries this leaves. A code sent by text message counts the same way, per number.
* **asking for a code by text message** — per number and per client address (``TEXTED_CODE_REQUEST``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from coproduce.accounts.models import SignInFailures

Scope = Literal["account", "address"]

# A wait doubles at most this many times before its cap applies, so the arithmetic stays small.
_MAX_DOUBLINGS = 20


@dataclass(frozen=True)
class Limit:
    scope: Scope
    failures_allowed: int
    first_wait: timedelta
    longest_wait: timedelta
    forget_after: timedelta

    def wait_after(self, failures: int) -> timedelta | None:
        """How long the next attempt waits once there have been ``failures``; None before the limit."""
        if failures < self.failures_allowed:
            return None
        doublings = min(failures - self.failures_allowed, _MAX_DOUBLINGS)
        return min(self.first_wait * 2**doublings, self.longest_wait)


@dataclass(frozen=True)
class Rule:
    """One kind of sign-in step. ``name`` is also the audit actions' stem (``account.<name>_failed``)."""

    name: str
    limits: tuple[Limit, ...]
    alert_template: str = ""  # the email to the person when the account's count reaches failures_allowed

    @property
    def account_limit(self) -> Limit:
        return next(limit for limit in self.limits if limit.scope == "account")


MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)

PASSWORD = Rule("sign_in", (Limit("account", 20, MINUTE, 15 * MINUTE, DAY),))
AUTHENTICATOR_CODE = Rule(
    "mfa",
    (Limit("account", 5, MINUTE, HOUR, DAY), Limit("address", 20, MINUTE, HOUR, HOUR)),
    alert_template="account/email/mfa_failures",
)
EMAILED_CODE = Rule(
    "login_code", (Limit("account", 5, MINUTE, HOUR, DAY),), alert_template="account/email/login_code_failures"
)

# Asking for a sign-in code by text message: every request counts, per number and per client address (texts
# cost money, and a flood of codes to someone's phone is abuse). Per number: after 5 requests, 1 minute,
# doubling, at most an hour, forgotten after a quiet hour. Per address: after 20, the same. Wrong codes typed
# count under EMAILED_CODE, per number ("phone:+44…"), as a code sent by email counts per email address.
TEXTED_CODE_REQUEST = Rule(
    "login_code_text", (Limit("account", 5, MINUTE, HOUR, HOUR), Limit("address", 20, MINUTE, HOUR, HOUR))
)

# The request attribute where the sign-in backend leaves a wrong password's Failure for the audit event
# (an attribute's name, which the security linters take for a password).
PASSWORD_FAILURE = "coproduce_password_failure"  # noqa: S105  # nosec B105


@dataclass(frozen=True)
class Failure:
    """What one more failure led to."""

    failures: int  # the account's failures in this run
    wait: timedelta | None  # how long the next attempt waits (the longest of the keys'), or None
    alert: bool  # the account's count has just reached failures_allowed: tell the person


def account_of_email(email: str | None) -> str:
    """The account an email address names, as a limit counts it: the same for every spelling of its case,
    and for an email that belongs to nobody, so that a limit shows nothing about which emails hold accounts."""
    return (email or "").strip().lower()


def account_of_phone(phone: str | None) -> str:
    """The account a mobile number (E.164) names, as a limit counts it, whether or not it holds an account."""
    return f"phone:{phone}" if phone else ""


def account_of_person(person: Any) -> str:
    """The account of a person already known (the second step, after a right password)."""
    return f"person:{person.pk}"


def _key(rule: Rule, scope: Scope, value: str) -> str:
    return salted_hmac("coproduce.accounts.limits", f"{rule.name}:{scope}:{value}", algorithm="sha256").hexdigest()


def _keys(rule: Rule, *, account: str, address: str | None) -> Iterator[tuple[Limit, str]]:
    for limit in rule.limits:
        value = account if limit.scope == "account" else address
        if value:
            yield limit, _key(rule, limit.scope, value)


def waiting(rule: Rule, *, account: str, address: str | None, now: datetime | None = None) -> timedelta | None:
    """How long until an attempt for ``account`` from ``address`` is heard again; None when it is heard now."""
    now = now or timezone.now()
    keys = [key for _, key in _keys(rule, account=account, address=address)]
    until = (
        SignInFailures.objects.filter(key__in=keys, wait_until__gt=now, forget_at__gt=now)
        .order_by("-wait_until")
        .values_list("wait_until", flat=True)
        .first()
    )
    return until - now if until is not None else None


def failure_record(rule: Rule, *, account: str, address: str | None) -> Failure:
    """Count one failure for the account and the address, each row locked while it changes."""
    now = timezone.now()
    account_failures = 0
    waits: list[timedelta] = []
    with transaction.atomic():
        for limit, key in _keys(rule, account=account, address=address):
            row, _ = SignInFailures.objects.select_for_update().get_or_create(
                key=key, defaults={"forget_at": now + limit.forget_after}
            )
            if row.forget_at <= now:
                # Quiet long enough: counting starts again, in the same row. (Other forgotten rows are left to
                # ``forgotten_purge``: deleting them here would make every failure wait on every other one.)
                row.failures = 0
            row.failures += 1
            wait = limit.wait_after(row.failures)
            row.wait_until = now + wait if wait is not None else None
            row.forget_at = max(now + limit.forget_after, row.wait_until or now)
            row.save(update_fields=["failures", "wait_until", "forget_at"])
            if wait is not None:
                waits.append(wait)
            if limit.scope == "account":
                account_failures = row.failures
    account_limit = rule.account_limit
    return Failure(
        failures=account_failures,
        wait=max(waits) if waits else None,
        alert=bool(rule.alert_template) and account_failures == account_limit.failures_allowed,
    )


def forgotten_purge(now: datetime | None = None) -> int:
    """Delete the counts nobody has added to for their quiet spell (run daily by the scheduler); returns how
    many went. A forgotten row that is still there counts for nothing: ``waiting`` ignores it and
    ``failure_record`` starts it again from one."""
    deleted, _ = SignInFailures.objects.filter(forget_at__lte=now or timezone.now()).delete()
    return deleted


def hold(rule: Rule, *, account: str) -> None:
    """Lock the account's row for ``rule`` until the caller's transaction ends, so that attempts for one
    account are checked one after another: each sees the count the one before it left, and a burst of
    simultaneous guesses cannot all be heard before the first is counted. Call inside a transaction."""
    now = timezone.now()
    SignInFailures.objects.select_for_update().get_or_create(
        key=_key(rule, "account", account), defaults={"forget_at": now + rule.account_limit.forget_after}
    )


def success_record(rule: Rule, *, account: str) -> None:
    """The account got this step right: its count ends (an address's count does not)."""
    SignInFailures.objects.filter(key=_key(rule, "account", account)).delete()
