"""Sign-in steps that leave a trace: every wrong or refused password and code is counted by the limits
(``accounts/limits.py``) and audited — never the code or password itself — and the person is emailed when
wrong codes pile up on their account."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from allauth.account.adapter import get_adapter as get_account_adapter
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import ngettext

from coproduce.accounts import limits
from coproduce.core.audit import audit_record


def wait_text(wait: timedelta) -> str:
    """A wait in whole minutes, rounded up, as a person reads it: "1 minute", "4 minutes"."""
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


def waiting(*, rule: limits.Rule, account: str, address: str | None) -> timedelta | None:
    """How long this step waits for this account from this address (as limits count it:
    ``core.clientaddress.client_address_for_limits``); None when it is heard now."""
    return limits.waiting(rule, account=account, address=address)


def sign_in_step_failed(
    *,
    person: Any,
    rule: limits.Rule,
    account: str,
    address: str | None,
    reauthentication: bool = False,
) -> limits.Failure:
    """Count one wrong password or code for ``account`` (``person`` is its holder, None for an email that
    belongs to nobody) from ``address`` (as limits count it), audit it, and email the person when the
    account's count reaches its limit. Not durable: the code forms call it inside ``sign_in_step_held``."""
    with transaction.atomic():
        failure = limits.failure_record(rule, account=account, address=address)
        detail: dict[str, Any] = {"failures": failure.failures}
        if failure.wait is not None:
            detail["wait_seconds"] = int(failure.wait.total_seconds())
        if person is None:
            detail["known_account"] = False
        if reauthentication:
            detail["reauthentication"] = True
        alert = failure.alert and person is not None
        if alert:
            detail["person_alerted"] = True
        audit_record(
            # Someone who is not yet signed in acts anonymously; the account is the target.
            actor=person if reauthentication else None,
            action=f"account.{rule.name}_failed",
            target=person,
            target_label="",
            detail=detail,
        )
    if alert:
        # After the count is stored: allauth's send_mail is how every account email leaves.
        _alert(person=person, rule=rule, failure=failure)
    return failure


def sign_in_step_refused(
    *,
    person: Any,
    rule: limits.Rule,
    wait: timedelta,
    reauthentication: bool = False,
) -> None:
    """Audit an attempt refused unchecked because its account or address is waiting."""
    detail: dict[str, Any] = {"wait_seconds": int(wait.total_seconds())}
    if reauthentication:
        detail["reauthentication"] = True
    audit_record(
        actor=person if reauthentication else None,
        action=f"account.{rule.name}_refused",
        target=person,
        target_label="",
        detail=detail,
    )


@contextmanager
def sign_in_step_held(*, rule: limits.Rule, account: str) -> Iterator[None]:
    """One transaction around checking a code for ``account``, with the account's row locked
    (``limits.hold``): simultaneous attempts for one account wait for one another instead of all being
    checked before any is counted. Raise nothing out of it that should not undo the count."""
    with transaction.atomic():
        limits.hold(rule, account=account)
        yield


def sign_in_step_passed(*, rule: limits.Rule, account: str) -> None:
    """The account got the step right: its count of failures ends."""
    limits.success_record(rule, account=account)


def _alert(*, person: Any, rule: limits.Rule, failure: limits.Failure) -> None:
    context = {
        "name": person.name,
        "failures": failure.failures,
        "when": date_format(timezone.localtime(), "j F Y, H:i"),
        "reset_url": settings.COPRODUCE_SITE_URL.rstrip("/") + reverse("account_reset_password"),
    }
    get_account_adapter().send_mail(rule.alert_template, person.email, context)
