"""Invitation tokens: ``<id>.<hmac>``. The HMAC covers the id, the email and a random nonce kept in
the database, keyed with SECRET_KEY, so neither a copy of the database nor a guessed id yields a
working link, and the token itself is never stored."""

from __future__ import annotations

from django.utils.crypto import constant_time_compare, salted_hmac

from coproduce.partnerships.models import Invitation

_SALT = "coproduce.partnerships.invitation"


def invitation_token(invitation: Invitation) -> str:
    mac = salted_hmac(_SALT, f"{invitation.pk}|{invitation.email}|{invitation.nonce}", algorithm="sha256")
    return f"{invitation.pk}.{mac.hexdigest()}"


def invitation_from_token(token: str) -> Invitation | None:
    """The invitation a token names, or None for a malformed or forged token."""
    pk_text, _, _mac = token.partition(".")
    if not pk_text.isdigit() or len(pk_text) > 18:
        return None
    invitation = Invitation.objects.select_related("partnership", "organisation").filter(pk=int(pk_text)).first()
    if invitation is None:
        return None
    if not constant_time_compare(invitation_token(invitation), token):
        return None
    return invitation
