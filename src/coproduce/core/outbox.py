"""The outbox: every email the platform sends is queued here and sent by a background task.

A request only writes a row (:func:`queue_email`, :func:`queue_message`, :func:`queue_composed`), so a
mail server that is slow, hangs or refuses never holds up or breaks a page. The task (``core.tasks.
send_email``) sends it with the ``EMAIL_TIMEOUT`` of the settings, and :func:`deliver` makes sending safe
to run again: a message sent already is not sent twice. A failed attempt is retried with back-off
(``COPRODUCE_EMAIL_ATTEMPTS`` runs in all, see ``core.background``); after the last, :func:`give_up`
marks the message failed, and the page that shows it can say so ("the email could not be sent").

The task is enqueued in the same transaction as the row, not on commit: the database backend stores the
task in the same database, so the message and its task are saved together or not at all, and no crash
between the two can leave a message that nobody sends (ADR 19).

Secrets: the content of a queued message (a sign-in code, a password-reset link) is kept in its row only
until it is sent or given up, then cleared with the recipients (:data:`CLEARED`); the task's own stored
arguments hold only the row's id. A *composed* message (:func:`queue_composed`) stores no content at all:
its composer makes it at the moment of sending from the ids it was given — an invitation link is never
stored. A worker killed after the mail server accepted a message but before it was marked sent sends it
again when the task is run again: an email may, rarely, arrive twice; it is never lost silently.
"""

from __future__ import annotations

import smtplib
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from coproduce.core.background import database_error_is_transient
from coproduce.core.models import OutgoingEmail

# Everything a sent or given-up message no longer needs (and must not keep).
CLEARED: dict[str, Any] = {"recipients": [], "from_email": "", "subject": "", "body": "", "html": "", "headers": {}}

Composer = TypeVar("Composer", bound=Callable[..., EmailMessage | None])
_COMPOSER_MARK = "_coproduce_email_composer"


def composer(function: Composer) -> Composer:
    """Mark a function that makes an email when it is sent: it takes the ids given to
    :func:`queue_composed` as keyword arguments and returns the message, or None when it is no longer
    needed (an invitation withdrawn meanwhile). Only marked functions are ever called by name."""
    setattr(function, _COMPOSER_MARK, True)
    return function


def _enqueue(message: OutgoingEmail) -> OutgoingEmail:
    """Enqueue the message's task in the transaction that saves it (see the module's docstring)."""
    from coproduce.core.tasks import send_email

    send_email.enqueue(message.pk)
    return message


def queue_email(
    *,
    kind: str,
    to: list[str],
    subject: str,
    body: str,
    html: str = "",
    from_email: str = "",
    headers: dict[str, str] | None = None,
) -> OutgoingEmail:
    """Queue an email to send in the background. ``kind`` names it in the records (no personal data)."""
    with transaction.atomic():
        return _enqueue(
            OutgoingEmail.objects.create(
                kind=kind[:100],
                recipients=list(to),
                subject=subject,
                body=body,
                html=html,
                from_email=from_email or "",
                headers=dict(headers or {}),
            )
        )


def queue_message(message: EmailMessage, *, kind: str) -> OutgoingEmail:
    """Queue a message made elsewhere (e.g. rendered by allauth): its To addresses, subject, text, HTML
    part if it has one, sender and headers."""
    alternatives = getattr(message, "alternatives", None) or []
    html = next((str(content) for content, mimetype in alternatives if mimetype == "text/html"), "")
    return queue_email(
        kind=kind,
        to=list(message.to),
        subject=str(message.subject),
        body=str(message.body),
        html=html,
        from_email=str(message.from_email or ""),
        headers={str(k): str(v) for k, v in message.extra_headers.items()},
    )


def queue_composed(*, kind: str, compose: Callable[..., EmailMessage | None], **arguments: int | str) -> OutgoingEmail:
    """Queue an email that ``compose`` (marked with :func:`composer`) makes when it is sent."""
    if not getattr(compose, _COMPOSER_MARK, False):
        raise ValueError(f"{compose!r} is not marked as an email composer")
    path = f"{compose.__module__}.{compose.__qualname__}"
    with transaction.atomic():
        return _enqueue(OutgoingEmail.objects.create(kind=kind[:100], composer=path, arguments=arguments))


def _email(row: OutgoingEmail) -> EmailMessage | None:
    if row.composer:
        compose = import_string(row.composer)
        if not getattr(compose, _COMPOSER_MARK, False):
            raise ValueError(f"{row.composer} is not an email composer")
        made: EmailMessage | None = compose(**row.arguments)
        return made
    email = EmailMultiAlternatives(
        row.subject, row.body, row.from_email or None, list(row.recipients), headers=dict(row.headers)
    )
    if row.html:
        email.attach_alternative(row.html, "text/html")
    return email


def deliver(message_id: int, *, run: str) -> str:
    """Send one queued message; ``run`` is the id of the task run doing it. Returns ``"sent"``,
    ``"cancelled"`` (its composer found it no longer needed) or ``""`` when there is nothing to do: the
    message is sent or given up already, or another task run is sending it. Only a message that is
    waiting, or that this same task was sending when its worker stopped, is taken. A failure to send is
    recorded on the message (``retrying``) and raised, for the task to be retried or given up."""
    now = timezone.now()
    waiting = Q(status__in=[OutgoingEmail.Status.QUEUED, OutgoingEmail.Status.RETRYING])
    taken = OutgoingEmail.objects.filter(
        waiting | Q(status=OutgoingEmail.Status.SENDING, claimed_by=run), pk=message_id
    )
    if not taken.update(
        status=OutgoingEmail.Status.SENDING, claimed_by=run[:64], claimed_at=now, attempts=F("attempts") + 1
    ):
        return ""
    this_run = OutgoingEmail.objects.filter(pk=message_id, status=OutgoingEmail.Status.SENDING, claimed_by=run[:64])
    row = OutgoingEmail.objects.get(pk=message_id)
    try:
        email = _email(row)
        if email is None:
            this_run.update(status=OutgoingEmail.Status.CANCELLED, finished_at=timezone.now(), **CLEARED)
            return "cancelled"
        email.send()
    except Exception as error:
        this_run.update(status=OutgoingEmail.Status.RETRYING, last_error=describe(error))
        raise
    this_run.update(status=OutgoingEmail.Status.SENT, finished_at=timezone.now(), **CLEARED)
    return "sent"


def give_up(message_id: int) -> None:
    """Mark a message that could not be sent as failed, and clear its content."""
    OutgoingEmail.objects.filter(pk=message_id).exclude(
        status__in=[OutgoingEmail.Status.SENT, OutgoingEmail.Status.CANCELLED]
    ).update(status=OutgoingEmail.Status.FAILED, finished_at=timezone.now(), **CLEARED)


def error_is_transient(error: BaseException) -> bool:
    """Whether sending may work next time: a mail server that is down, slow or says "try later" (4xx),
    or a lost database connection. A permanent refusal (5xx, every recipient refused for good) is not."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _text in error.recipients.values()]
        return any(400 <= code < 500 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return isinstance(error, OSError) or database_error_is_transient(error)


def describe(error: BaseException) -> str:
    """The error's kind and the mail server's reply code: never its text, which may quote an address."""
    code = getattr(error, "smtp_code", None)
    return f"{type(error).__name__}{f' {code}' if code else ''}"[:200]
