"""Demo only: an API token for one coordinator and one member, printed beside the sign-in lines.

A token's secret is never stored, so the demo's secrets are derived from the site's secret key and the
person's email: the loader makes (or renews) the token with that secret, and the sign-in lines work it out
again to print it. Never used outside the demo."""

from __future__ import annotations

from django.utils.crypto import salted_hmac

from coproduce.api.models import AccessToken
from coproduce.api.selectors.tokens import SECRET_START, token_by_secret
from coproduce.api.services.tokens import LONGEST_DAYS, token_create
from coproduce.partnerships.demo import DEMO_SLUG, PEOPLE, DemoContext
from coproduce.partnerships.models import Membership

# (the person's key in partnerships.demo.PEOPLE, the token's scope)
DEMO_TOKENS = [("morag", "write"), ("aisha", "write")]


def demo_secret(email: str) -> str:
    return SECRET_START + "demo_" + salted_hmac("coproduce.api.demo", email, algorithm="sha256").hexdigest()[:40]


def load(ctx: DemoContext) -> None:
    for key, scope in DEMO_TOKENS:
        membership = ctx.memberships[(DEMO_SLUG, key)]
        secret = demo_secret(membership.user.email)
        existing = token_by_secret(secret)
        if existing is not None and existing.usable():
            continue
        if existing is not None:  # a year on, or revoked: the demo makes it again with the same secret
            AccessToken.objects.filter(pk=existing.pk).delete()
        token_create(actor=membership, name="Demo token", scope=scope, days=LONGEST_DAYS, secret=secret)
        ctx.say(f"API token for {membership.user.email}")


def token_lines() -> list[str]:
    """The demo's API tokens, one line each: role, email, token."""
    lines = ["", "API tokens (demo only; send as  Authorization: Bearer <token>  to /api/v1/):"]
    memberships = Membership.objects.filter(partnership__slug=DEMO_SLUG).select_related("user")
    by_email = {membership.user.email: membership for membership in memberships}
    emails = {key: email for key, email, *_rest in PEOPLE}
    for key, _scope in DEMO_TOKENS:
        membership = by_email.get(emails[key])
        if membership is None:
            continue
        secret = demo_secret(membership.user.email)
        if token_by_secret(secret) is None:
            continue
        roles = " + ".join(str(role.label).lower() for role in membership.roles)
        lines.append(f"{roles:<22} {membership.user.email:<30} {secret}")
    return lines
