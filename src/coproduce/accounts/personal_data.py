"""What the account holds about its person, for "My data" (registered by ``partnerships.my_data``, since the
registry sits above accounts). Never a secret: no password hash, no authenticator secret or recovery code, no
session key."""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.db.models import Q

from coproduce.accounts.models import User
from coproduce.core.models import AuditEvent
from coproduce.core.personal_data import iso_or_none


def account_export(user: User) -> dict[str, list[dict[str, Any]]]:
    """The account, its two-factor methods, its sessions and its sign-in events: four queries."""
    methods = list(Authenticator.objects.filter(user_id=user.pk).order_by("created_at"))
    account = {
        "name": user.display_name,
        "email": user.email,
        "created": iso_or_none(user.date_joined),
        "last_sign_in": iso_or_none(user.last_login),
        "two_factor": any(m.type in (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN) for m in methods),
        "active": user.is_active,
    }
    sessions = [
        {
            "started": iso_or_none(s.created_at),
            "last_seen": iso_or_none(s.last_seen_at),
            "address": s.ip,
            "browser": s.user_agent,
        }
        for s in UserSession.objects.filter(user_id=user.pk).order_by("-created_at")
    ]
    # Account events have no partnership. A failed sign-in names the account it was tried on, not who tried:
    # its address is not the person's, so it is left out.
    events = AuditEvent.objects.filter(
        Q(actor_id=user.pk) | Q(target_type=User._meta.label_lower, target_id=str(user.pk)),
        partnership_id__isnull=True,
        action__startswith="account.",
    ).order_by("-occurred_at", "-id")
    sign_ins = [
        {
            "what": e.action.removeprefix("account."),
            "at": iso_or_none(e.occurred_at),
            "address": e.ip_address if e.actor_id == user.pk else None,
        }
        for e in events
    ]
    return {
        "account": [account],
        "two_factor_methods": [
            {
                "kind": str(m.get_type_display()),
                "added": iso_or_none(m.created_at),
                "last_used": iso_or_none(m.last_used_at),
            }
            for m in methods
        ],
        "sessions": sessions,
        "sign_in_events": sign_ins,
    }
