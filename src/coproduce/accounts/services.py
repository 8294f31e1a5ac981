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


def sign_in_code_text(*, person: Any, phone: str, code: str) -> None:
    """Queue a sign-in code as a text message to ``phone`` (the person's confirmed number, or the number
    they are confirming), in their language, and audit it (never the code). Limits are checked by the forms
    before a code is made (``accounts/forms.py``); the text outbox's own limits per number and per day
    apply too (``core.sms``)."""
    from django.utils import translation
    from django.utils.crypto import get_random_string
    from django.utils.translation import gettext

    from coproduce.core.sms import send_text

    with translation.override(person.language or None):
        body = gettext(
            "%(code)s is your Coproduce code. It works for 15 minutes. Nobody from Coproduce will ask you for it."
        ) % {"code": code}
    with transaction.atomic():
        text = send_text(
            to=phone,
            body=body,
            kind=SIGN_IN_CODE_TEXT,
            # A new reference for every code: each code asked for is its own text.
            reference=f"code:{get_random_string(16)}",
        )
        audit_record(
            actor=None,
            action="account.login_code_texted",
            target=person,
            target_label="",
            detail={"sent": text.status != text.Status.DROPPED, **({"reason": text.reason} if text.reason else {})},
        )


# The kind of the outbox's sign-in-code texts (counted by the forms' gap between two codes to one number).
SIGN_IN_CODE_TEXT = "account.sign_in_code"


def sign_in_code_texted_lately(*, phone: str, within: timedelta = timedelta(minutes=1)) -> bool:
    """Whether a sign-in code was queued for this number within ``within``: a second request (a double
    submit) sends nothing more."""
    from coproduce.core.models import OutgoingText
    from coproduce.core.sms import number_key

    return OutgoingText.objects.filter(
        kind=SIGN_IN_CODE_TEXT, number_key=number_key(phone), created_at__gte=timezone.now() - within
    ).exists()


def sign_in_code_requested(*, rule: limits.Rule, account: str, address: str | None) -> None:
    """Count one request for a code by text message, for the number and the address, and audit it."""
    with transaction.atomic():
        counted = limits.failure_record(rule, account=account, address=address)
        audit_record(
            actor=None,
            action="account.login_code_text_requested",
            target=None,
            target_label="",
            detail={"requests": counted.failures},
        )


# --- the person's mobile number and their text messages ---------------------------------------------------

# How long a code sent to confirm a number works, and how many wrong tries it takes.
NUMBER_CODE_TIMEOUT = timedelta(minutes=15)
NUMBER_CODE_TRIES = 3


class NumberTakenError(Exception):
    """The number is another account's."""


def phone_set(*, person: Any, phone: str) -> str:
    """Give the person a new mobile number (E.164), not confirmed yet, and text a code to it; returns the
    code's keyed hash for the page's session (the code itself is kept nowhere but in the text). Raises
    ``NumberTakenError`` when another account holds the number."""
    from django.contrib.auth import get_user_model
    from django.utils.crypto import get_random_string

    with transaction.atomic(durable=True):
        person = get_user_model().objects.select_for_update().get(pk=person.pk)
        if get_user_model().objects.filter(phone=phone).exclude(pk=person.pk).exists():
            raise NumberTakenError
        changed = person.phone != phone
        person.phone = phone
        if changed:
            person.phone_verified = False
        person.save(update_fields=["phone", "phone_verified"])
        audit_record(actor=person, action="account.phone_set", target=person, target_label="")
        code = get_random_string(6, allowed_chars="0123456789")
        sign_in_code_text(person=person, phone=phone, code=code)
    return code_hash(phone, code)


def code_hash(phone: str, code: str) -> str:
    from django.utils.crypto import salted_hmac

    return salted_hmac("coproduce.accounts.number_code", f"{phone}:{code.strip()}", algorithm="sha256").hexdigest()


def phone_confirm(*, person: Any, phone: str) -> None:
    """The person typed the right code for ``phone``: it is confirmed (if it is still their number)."""
    from django.contrib.auth import get_user_model

    with transaction.atomic(durable=True):
        updated = get_user_model().objects.filter(pk=person.pk, phone=phone).update(phone_verified=True)
        if updated:
            audit_record(actor=person, action="account.phone_confirmed", target=person, target_label="")


def phone_remove(*, person: Any) -> None:
    from django.contrib.auth import get_user_model

    with transaction.atomic(durable=True):
        get_user_model().objects.filter(pk=person.pk).update(phone="", phone_verified=False)
        audit_record(actor=person, action="account.phone_removed", target=person, target_label="")


def texts_set(*, person: Any, stopped: bool) -> None:
    """Stop (or start again) every text message to the person, but the sign-in codes they ask for."""
    from django.contrib.auth import get_user_model

    with transaction.atomic(durable=True):
        get_user_model().objects.filter(pk=person.pk).update(texts_stopped=stopped)
        audit_record(
            actor=person,
            action="account.texts_stopped" if stopped else "account.texts_started",
            target=person,
            target_label="",
        )
