"""Making and revoking tokens, and recording their uses and refusals."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

import rules
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.api.models import AccessToken, TokenUse
from coproduce.api.selectors.tokens import SECRET_START, digest_of
from coproduce.core.audit import audit_record
from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.partnerships.models import Membership

LONGEST_DAYS = 365
DEFAULT_DAYS = 90


@dataclass(frozen=True)
class NewToken:
    token: AccessToken
    secret: str  # shown once, never stored


def token_create(*, actor: Membership, name: str, scope: str, days: int, secret: str | None = None) -> NewToken:
    """Make a token for the acting person in their partnership. Observers only read, so theirs only read.
    ``secret`` is for the demo alone (``api/demo.py``, a secret derived from the site's key); otherwise a new
    random one."""
    if not rules.test_rule("api.make_token", actor, actor.partnership):
        raise NotPermitted()
    name = (name or "").strip()
    if not name:
        raise ServiceError(_("Give the token a name, so you can tell it apart."), field="name")
    if scope not in AccessToken.Scope.values:
        raise ServiceError(_("Choose read only, or read and write."), field="scope")
    if scope == AccessToken.Scope.WRITE and not rules.test_rule("api.make_write_token", actor, actor.partnership):
        raise ServiceError(_("Observers can only make tokens that read."), field="scope")
    if not 1 <= days <= LONGEST_DAYS:
        raise ServiceError(_("A token lasts from 1 to %(days)s days.") % {"days": LONGEST_DAYS}, field="days")
    secret = secret or SECRET_START + secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic(durable=True):
        token = AccessToken.objects.create(
            user_id=actor.user_id,
            partnership_id=actor.partnership_id,
            name=name[:100],
            scope=scope,
            prefix=secret[:10],
            digest=digest_of(secret),
            created_at=now,
            expires_at=now + timedelta(days=days),
        )
        audit_record(
            actor=actor.user,
            action="api.token_created",
            partnership_id=actor.partnership_id,
            target=token,
            detail={"scope": scope, "days": days},
        )
    return NewToken(token=token, secret=secret)


def token_revoke(*, actor: Membership, token: AccessToken) -> None:
    """End one of the person's own tokens now. Revoking one already revoked changes nothing."""
    if token.user_id != actor.user_id or token.partnership_id != actor.partnership_id:
        raise NotPermitted()
    if token.revoked_at is not None:
        return
    with transaction.atomic(durable=True):
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor.user, action="api.token_revoked", partnership_id=actor.partnership_id, target=token)


def token_refused(*, token: AccessToken | None, reason: str) -> None:
    """Audit a request refused for its token (expired, revoked, unknown, wrong scope); never the secret."""
    audit_record(
        actor=token.user if token is not None else None,
        action="api.token_refused",
        partnership_id=token.partnership_id if token is not None else None,
        target=token,
        detail={"reason": reason},
    )


def token_used(*, token: AccessToken, method: str, path: str, status: int) -> None:
    """Record one use of a token and when it was last used."""
    now = timezone.now()
    with transaction.atomic():
        TokenUse.objects.create(token=token, at=now, method=method[:8], path=path[:300], status=status)
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
