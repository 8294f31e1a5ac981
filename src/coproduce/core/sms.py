"""Text messages (SMS): one small interface, :func:`send_text`, and the backends that send them.

A request only writes a row (``OutgoingText``) and its task, in one transaction, like the email outbox
(``core.outbox``, ADR 19): a provider that is slow, down or refusing never holds up or breaks a page. The
task (``core.tasks.send_text_message``) sends it through the configured backend (``COPRODUCE_SMS_BACKEND``):

* ``console`` — the demo: the text is printed in the terminal ("Text message to +447700900123: …");
* ``notify`` — GOV.UK Notify, with its Python client, one SMS template whose whole body is ``((body))``
  (``NOTIFY_API_KEY``, ``NOTIFY_SMS_TEMPLATE_ID``, ``NOTIFY_TIMEOUT``);
* ``locmem`` — the tests: texts are kept in :data:`outbox`, like Django's ``mail.outbox``.

Another provider is one class with a ``send(*, to, body, reference) -> str`` method (the provider's id for
the message), named by its dotted path in ``COPRODUCE_SMS_BACKEND``; it raises :class:`TransientSendError`
for what may work next time and :class:`PermanentSendError` for what never will.

Nothing is sent twice: a text has an idempotency key (by default its kind, reference and number), and the
same key queued again is the same row; the task claims the row before sending, so a task run twice sends
once. Limits (texts cost money and attract abuse): per number, per partnership and for the whole site per
day (``COPRODUCE_SMS_PER_NUMBER_PER_DAY``, ``…_PER_PARTNERSHIP_PER_DAY``, ``…_PER_DAY``). A text over a
limit, or to someone who asked for no texts, is not sent: its row says why (``dropped``), and whatever it
was telling the person is still in their inbox. Who asked for no texts is asked of the *blockers* the apps
above register (:func:`register_blocker`: a person's opt-out in accounts, a partnership's switch), at
queueing time and again just before sending.

Secrets: the number and the words (a sign-in code) stay in the row only until it is sent, given up or
dropped; logs and errors never carry them.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

import phonenumbers
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from coproduce.core.background import database_error_is_transient
from coproduce.core.models import OutgoingText

# What a text no longer needs once it is done, and must not keep.
CLEARED: dict[str, Any] = {"to": "", "body": ""}

# A longer text is cut: a text message is short, and Notify charges by the fragment.
MAX_BODY = 612

MOBILE_EXAMPLE = "07700 900123"
# Ofcom's mobile numbers for drama, 07700 900000 to 900999, reach nobody: the demo and the tests use them, and
# phonenumbers counts them as no kind of number, so they are let through as mobiles here.
DRAMA_RANGE = "7700900"
NOT_A_MOBILE = _("Enter a UK mobile number, like 07700 900123.")


# --- numbers -------------------------------------------------------------------------------------------


def mobile_number(raw: str, *, region: str = "") -> str:
    """The mobile number someone typed, in E.164 (``+447700900123``); raises ``ValidationError`` with a
    plain message when it is not a possible mobile number. A number without its country code is read as
    one of ``region`` (``COPRODUCE_SMS_REGION``, GB)."""
    region = region or settings.COPRODUCE_SMS_REGION
    text = (raw or "").strip()
    if not text or len(text) > 32:
        raise ValidationError(NOT_A_MOBILE, code="not_mobile")
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise ValidationError(NOT_A_MOBILE, code="not_mobile") from None
    kinds = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
    national = str(number.national_number)
    drama = number.country_code == 44 and len(national) == 10 and national.startswith(DRAMA_RANGE)
    if not drama and (not phonenumbers.is_valid_number(number) or phonenumbers.number_type(number) not in kinds):
        raise ValidationError(NOT_A_MOBILE, code="not_mobile")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def number_shown(e164: str) -> str:
    """A number as people write it in its own country (``07700 900123``)."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def number_key(e164: str) -> str:
    """A keyed hash of a number: what the outbox keeps to count a number's texts, instead of the number."""
    return salted_hmac("coproduce.core.sms.number", e164, algorithm="sha256").hexdigest()


# --- backends ------------------------------------------------------------------------------------------


class SendError(Exception):
    """Sending failed; ``code`` is the provider's status code, if any (never its text)."""

    def __init__(self, code: int | None = None) -> None:
        super().__init__(f"status {code}" if code else "failed")
        self.code = code


class TransientSendError(SendError):
    """It may work next time: the provider is down, slow or says "too many requests"."""


class PermanentSendError(SendError):
    """It never will: the provider refused the text (a bad number, a bad key, a missing template)."""


class TextBackend(Protocol):
    def send(self, *, to: str, body: str, reference: str) -> str: ...


@dataclass(frozen=True)
class SentText:
    to: str
    body: str
    reference: str


# The texts the ``locmem`` backend "sent", for the tests (emptied by the tests' fixture).
outbox: list[SentText] = []


class LocmemBackend:
    def send(self, *, to: str, body: str, reference: str) -> str:
        outbox.append(SentText(to=to, body=body, reference=reference))
        return f"locmem-{len(outbox)}"


class ConsoleBackend:
    """The demo's backend: the text in the terminal where ``coproduce demo`` runs."""

    def send(self, *, to: str, body: str, reference: str) -> str:
        sys.stdout.write(f"Text message to {to}: {body}\n")
        sys.stdout.flush()
        return ""


class NotifyBackend:
    """GOV.UK Notify: one SMS template whose body is ``((body))``, so every text is written here."""

    def __init__(self) -> None:
        if not settings.NOTIFY_API_KEY or not settings.NOTIFY_SMS_TEMPLATE_ID:
            raise ImproperlyConfigured("NOTIFY_API_KEY and NOTIFY_SMS_TEMPLATE_ID are needed to send texts.")

    def send(self, *, to: str, body: str, reference: str) -> str:
        from notifications_python_client.errors import APIError
        from notifications_python_client.notifications import NotificationsAPIClient
        from requests import RequestException

        client = NotificationsAPIClient(settings.NOTIFY_API_KEY, timeout=settings.NOTIFY_TIMEOUT)
        try:
            answer = client.send_sms_notification(
                phone_number=to,
                template_id=settings.NOTIFY_SMS_TEMPLATE_ID,
                personalisation={"body": body},
                reference=reference,
            )
        except APIError as error:
            code = error.status_code
            if code == 429 or code >= 500:
                raise TransientSendError(code) from None
            raise PermanentSendError(code) from None
        except RequestException:
            raise TransientSendError() from None
        return str((answer or {}).get("id", ""))[:100]


BACKENDS: dict[str, Callable[[], TextBackend]] = {
    "console": ConsoleBackend,
    "notify": NotifyBackend,
    "locmem": LocmemBackend,
}


def backend() -> TextBackend:
    name = settings.COPRODUCE_SMS_BACKEND
    made: TextBackend = BACKENDS[name]() if name in BACKENDS else import_string(name)()
    return made


# --- who gets no texts ---------------------------------------------------------------------------------

# A blocker answers, for a number, a partnership (or None) and a kind of text, the reason the text must not
# go (one of OutgoingText.Reason), or "" when it may. Called with keywords: to, partnership_id, kind.
Blocker = Callable[..., str]
_blockers: list[Blocker] = []


def register_blocker(blocker: Blocker) -> None:
    """Called from an app's ``ready()``: accounts (a person's opt-out), partnerships (texts turned off)."""
    if blocker not in _blockers:
        _blockers.append(blocker)


def blocked(*, to: str, partnership_id: int | None, kind: str) -> str:
    for blocker in _blockers:
        reason = blocker(to=to, partnership_id=partnership_id, kind=kind)
        if reason:
            return reason
    return ""


def _over_limit(key: str, partnership_id: int | None) -> str:
    since = timezone.now() - timedelta(days=1)
    counted = OutgoingText.objects.filter(created_at__gte=since).exclude(status=OutgoingText.Status.DROPPED)
    if counted.filter(number_key=key).count() >= settings.COPRODUCE_SMS_PER_NUMBER_PER_DAY:
        return OutgoingText.Reason.NUMBER_LIMIT
    if (
        partnership_id is not None
        and counted.filter(partnership_id=partnership_id).count() >= settings.COPRODUCE_SMS_PER_PARTNERSHIP_PER_DAY
    ):
        return OutgoingText.Reason.PARTNERSHIP_LIMIT
    if counted.count() >= settings.COPRODUCE_SMS_PER_DAY:
        return OutgoingText.Reason.SITE_LIMIT
    return ""


# --- the interface -------------------------------------------------------------------------------------


def send_text(
    *,
    to: str,
    body: str,
    kind: str,
    reference: str,
    partnership_id: int | None = None,
    idempotency_key: str = "",
) -> OutgoingText:
    """Queue a text to ``to`` (E.164) to be sent in the background; returns its row. ``kind`` and
    ``reference`` name it in the records (no personal data: "notice:123", not a name). The same
    ``idempotency_key`` (by default kind, reference and number) queued again returns the first row and sends
    nothing more. A text that may not go (opt-out, a limit) is recorded as dropped, with why."""
    key = number_key(to)
    idempotency_key = idempotency_key or hashlib.sha256(f"{kind}\n{reference}\n{key}".encode()).hexdigest()
    with transaction.atomic():
        existing = OutgoingText.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
        reason = blocked(to=to, partnership_id=partnership_id, kind=kind) or _over_limit(key, partnership_id)
        row = OutgoingText.objects.create(
            kind=kind[:100],
            reference=reference[:200],
            idempotency_key=idempotency_key[:64],
            number_key=key,
            partnership_id=partnership_id,
            **(
                {"status": OutgoingText.Status.DROPPED, "reason": reason, "finished_at": timezone.now()}
                if reason
                else {"to": to, "body": body[:MAX_BODY]}
            ),
        )
        if not reason:
            from coproduce.core.tasks import send_text_message

            send_text_message.enqueue(row.pk)
        return row


def deliver(text_id: int, *, run: str) -> str:
    """Send one queued text; ``run`` is the id of the task run doing it. Returns ``"sent"``, ``"dropped"``
    (the person asked for no texts since it was queued) or ``""`` when there is nothing to do (sent, given
    up, or another run is sending it). A failure is recorded (``retrying``) and raised for the task's
    policy: a transient one is tried again, a permanent one gives up."""
    waiting = Q(status__in=[OutgoingText.Status.QUEUED, OutgoingText.Status.RETRYING])
    taken = OutgoingText.objects.filter(
        waiting | Q(status=OutgoingText.Status.SENDING, claimed_by=run[:64]), pk=text_id
    )
    if not taken.update(
        status=OutgoingText.Status.SENDING,
        claimed_by=run[:64],
        claimed_at=timezone.now(),
        attempts=F("attempts") + 1,
    ):
        return ""
    this_run = OutgoingText.objects.filter(pk=text_id, status=OutgoingText.Status.SENDING, claimed_by=run[:64])
    row = OutgoingText.objects.get(pk=text_id)
    reason = blocked(to=row.to, partnership_id=row.partnership_id, kind=row.kind)
    if reason:
        this_run.update(status=OutgoingText.Status.DROPPED, reason=reason, finished_at=timezone.now(), **CLEARED)
        return "dropped"
    try:
        provider_id = backend().send(to=row.to, body=row.body, reference=row.reference or str(row.pk))
    except Exception as error:
        this_run.update(status=OutgoingText.Status.RETRYING, last_error=describe(error))
        raise
    this_run.update(status=OutgoingText.Status.SENT, provider_id=provider_id, finished_at=timezone.now(), **CLEARED)
    return "sent"


def give_up(text_id: int) -> None:
    """Mark a text that could not be sent as failed, and clear its number and words."""
    OutgoingText.objects.filter(pk=text_id).exclude(
        status__in=[OutgoingText.Status.SENT, OutgoingText.Status.DROPPED]
    ).update(status=OutgoingText.Status.FAILED, finished_at=timezone.now(), **CLEARED)


def error_is_transient(error: BaseException) -> bool:
    """Whether sending may work next time: the provider down, slow or busy, or a lost database connection;
    not a refusal (Notify's 400s and 403s) or a bug."""
    if isinstance(error, PermanentSendError):
        return False
    return isinstance(error, (TransientSendError, OSError)) or database_error_is_transient(error)


def describe(error: BaseException) -> str:
    """The error's kind and the provider's status code: never its text, which may quote the number."""
    code = getattr(error, "code", None)
    return f"{type(error).__name__}{f' {code}' if isinstance(code, int) else ''}"[:200]
