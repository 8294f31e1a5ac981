"""The API's own endpoints: the token's partnership, and who the token speaks for."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Query, Schema

from coproduce.api.framework import PageQuery, actor, page_of, paginate, router
from coproduce.api.models import AccessToken
from coproduce.partnerships.models import Membership, Partnership

r = router("partnerships")


class PartnershipSummary(Schema):
    slug: str
    name: str


class Contact(Schema):
    email: str
    phone: str
    address: str
    website: str


class PartnershipOut(Schema):
    slug: str
    name: str
    description: str
    contact: Contact
    open_data: bool
    open_data_licence: str
    roles: list[str]


class TokenOut(Schema):
    name: str
    prefix: str
    scope: str
    expires_at: datetime


class MeOut(Schema):
    display_name: str
    partnership: PartnershipSummary
    roles: list[str]
    token: TokenOut


def _roles(membership: Membership) -> list[str]:
    return [str(getattr(role, "value", role)) for role in membership.roles]


@r.get("/partnerships", response=page_of(PartnershipSummary), summary="The partnership the token is for")
def list_partnerships(request: HttpRequest, page: Query[PageQuery]) -> dict[str, object]:
    token: AccessToken = request.auth  # type: ignore[attr-defined]
    actor(request, token.partnership.slug)
    return paginate(request, Partnership.objects.filter(pk=token.partnership_id), order="id")


@r.get("/partnerships/{slug}", response=PartnershipOut, summary="A partnership, and your roles in it")
def get_partnership(request: HttpRequest, slug: str) -> dict[str, object]:
    membership = actor(request, slug)
    partnership = membership.partnership
    return {
        "slug": partnership.slug,
        "name": partnership.name,
        "description": partnership.description,
        "contact": {
            "email": partnership.contact_email,
            "phone": partnership.contact_phone,
            "address": partnership.contact_address,
            "website": partnership.website,
        },
        "open_data": partnership.open_data,
        "open_data_licence": partnership.open_data_licence,
        "roles": _roles(membership),
    }


@r.get("/me", response=MeOut, summary="Who the token speaks for")
def me(request: HttpRequest) -> dict[str, object]:
    token: AccessToken = request.auth  # type: ignore[attr-defined]
    membership = actor(request, token.partnership.slug)
    return {
        "display_name": membership.user.display_name,  # type: ignore[attr-defined]
        "partnership": {"slug": membership.partnership.slug, "name": membership.partnership.name},
        "roles": _roles(membership),
        "token": {"name": token.name, "prefix": token.prefix, "scope": token.scope, "expires_at": token.expires_at},
    }
