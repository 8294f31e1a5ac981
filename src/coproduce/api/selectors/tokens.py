"""Reading tokens: the one a secret names, and a person's own."""

from __future__ import annotations

import hashlib

from django.db.models import QuerySet

from coproduce.api.models import AccessToken, TokenUse
from coproduce.core.exceptions import NotPermitted
from coproduce.partnerships.models import Membership

SECRET_START = "cpt_"  # noqa: S105  # nosec B105  # how every secret starts, not a secret


def digest_of(secret: str) -> str:
    """The sha256 digest a token is stored and found by (the secret itself is never kept)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def token_by_secret(secret: str) -> AccessToken | None:
    """The token with this secret, whatever its state (the caller tells expired and revoked apart), or None."""
    if not secret.startswith(SECRET_START) or len(secret) > 200:
        return None
    return AccessToken.objects.select_related("partnership", "user").filter(digest=digest_of(secret)).first()


def tokens_of(membership: Membership) -> QuerySet[AccessToken]:
    """The person's own tokens in this partnership, newest first."""
    return AccessToken.objects.filter(user_id=membership.user_id, partnership_id=membership.partnership_id)


def own_token(membership: Membership, token_id: int) -> AccessToken:
    """One of the person's own tokens; anyone else's, or none, is out of reach."""
    token = tokens_of(membership).filter(pk=token_id).first()
    if token is None:
        raise NotPermitted()
    return token


def recent_uses(token: AccessToken, *, limit: int = 20) -> list[TokenUse]:
    return list(token.uses.all()[:limit])
