"""Demo people, partner organisations and partnerships (fictional)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model

from coproduce.core.audit import audit_record
from coproduce.partnerships.models import Membership, Organisation, Partnership
from coproduce.partnerships.roles import ROLE_FIELDS, Role

DEMO_PASSWORD = "riverside-demo-pass"  # noqa: S105 (printed for anyone trying the demo)
DEMO_SLUG = "riverside"


@dataclass
class DemoContext:
    verbose: bool = False
    partnerships: dict[str, Partnership] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    people: dict[str, Any] = field(default_factory=dict)  # key -> User
    memberships: dict[tuple[str, str], Membership] = field(default_factory=dict)

    def say(self, text: str) -> None:
        if self.verbose:
            print(text)


ORGANISATIONS = [
    (
        "council",
        "Riverside Council Employability Team",
        Organisation.Kind.PUBLIC,
        "Employability keyworkers, in-work support and the parental employability fund.",
    ),
    (
        "college",
        "Riverside College",
        Organisation.Kind.PUBLIC,
        "Short courses, tutor time and routes into further study, with classes inside school hours.",
    ),
    (
        "charity",
        "One Parent Futures",
        Organisation.Kind.THIRD_SECTOR,
        "The lone-parent charity: keyworkers, peer mentors and the co-located hub on Mill Street.",
    ),
    (
        "childcare",
        "Little Steps Childcare",
        Organisation.Kind.PRIVATE,
        "Nursery and after-school places, including short-notice sessions for interviews and courses.",
    ),
    (
        "money",
        "Riverside Money Advice",
        Organisation.Kind.COMMUNITY,
        "Benefits checks, better-off-in-work calculations and help with debt.",
    ),
]

# Fictional numbers in each register's format (partnerships.orgid); the council's is a real council code, as
# every code in that list is.
ORG_IDS = {
    "council": "GB-LAS-IVC",
    "college": "GB-SC-SC098765",
    "charity": "GB-SC-SC054321",
    "childcare": "GB-COH-SC654321",
    "money": "GB-SC-SC067890",
}

# 01632 960xxx is kept by Ofcom for drama: it rings nobody.
DEMO_CONTACT = {
    "contact_email": "partnership@riverside.example",
    "contact_phone": "01632 960 123",
    "contact_address": "Riverside Family Hub\n12 Mill Street\nRiverside\nRV1 2AB",
    "website": "https://riverside.example/parents",
}

# key, email, display name, roles, organisation key
PEOPLE: list[tuple[str, str, str, set[Role], str | None]] = [
    ("morag", "morag@riverside.example", "Morag Campbell", {Role.COORDINATOR}, "council"),
    ("jamie", "jamie@riverside.example", "Jamie Reid", {Role.WORKER}, "charity"),
    ("dev", "dev@riverside.example", "Dev Sharma", {Role.PARTNER_LEAD}, "college"),
    ("fiona", "fiona@riverside.example", "Fiona Grant", {Role.PARTNER_LEAD}, "charity"),
    ("sam", "sam@riverside.example", "Sam Okafor", {Role.WORKER}, "council"),
    ("priya", "priya@riverside.example", "Priya Nair", {Role.WORKER}, "money"),
    ("liam", "liam@riverside.example", "Liam Murray", {Role.WORKER}, "childcare"),
    ("euan", "euan@riverside.example", "Euan Ross", {Role.WORKER}, "college"),
    ("kerry", "kerry@riverside.example", "Kerry W", {Role.MEMBER, Role.WORKER}, "charity"),
    ("ruth", "ruth@funder.example", "Ruth Henderson", {Role.OBSERVER}, None),
    ("aisha", "aisha@riverside.example", "Aisha", {Role.MEMBER}, None),
    ("danielle", "danielle@riverside.example", "Danielle M", {Role.MEMBER}, None),
    ("marta", "marta@riverside.example", "Marta", {Role.MEMBER}, None),
    ("chloe", "chloe@riverside.example", "Chloe", {Role.MEMBER}, None),
    ("gemma", "gemma@riverside.example", "Gemma T", {Role.MEMBER}, None),
    ("leanne", "leanne@riverside.example", "Leanne", {Role.MEMBER}, None),
    ("hannah", "hannah@riverside.example", "Hannah B", {Role.MEMBER}, None),
    ("zofia", "zofia@riverside.example", "Zofia", {Role.MEMBER}, None),
    ("stacey", "stacey@riverside.example", "Stacey", {Role.MEMBER}, None),
    ("nicola", "nicola@riverside.example", "Nicola J", {Role.MEMBER}, None),
    ("tom", "tom@riverside.example", "Tom", {Role.MEMBER}, None),
]

SECOND_SLUG = "northfield"
SECOND_NAME = "Northfield Family Learning Network"
DEMO_AISHA_PHONE = "+447700900123"
SECOND_DESCRIPTION = "Family learning, ESOL and digital skills for parents in Northfield."
SECOND_ORGANISATIONS = [
    (
        "nf-library",
        "Northfield Library and Learning Centre",
        Organisation.Kind.PUBLIC,
        "Digital skills drop-ins and family learning.",
    ),
]
SECOND_PEOPLE: list[tuple[str, set[Role], str | None]] = [
    ("morag", {Role.COORDINATOR}, "nf-library"),
    ("aisha", {Role.MEMBER}, None),
    ("zofia", {Role.MEMBER}, None),
]


def _person(ctx: DemoContext, key: str, email: str, name: str) -> Any:
    user_model = get_user_model()
    user = user_model.objects.filter(email=email).first()
    if user is None:
        user = user_model.objects.create_user(email=email, password=DEMO_PASSWORD, display_name=name)
        ctx.say(f"  added {name} <{email}>")
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    ctx.people[key] = user
    return user


def _ensure_totp(user: Any) -> None:
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())
        RecoveryCodes.activate(user)


def _membership(
    ctx: DemoContext, partnership: Partnership, user: Any, roles: set[Role], org: Organisation | None
) -> Membership:
    membership = Membership.objects.filter(partnership=partnership, user=user).first()
    if membership is None:
        membership = Membership(partnership=partnership, user=user, organisation=org)
        membership.set_roles(roles)
        membership.save()
        audit_record(
            actor=None,
            action="membership.created_by_demo",
            partnership_id=partnership.pk,
            target=membership,
            target_label=user.name,
            detail={"roles": sorted(r.value for r in roles)},
        )
    return membership


def load(ctx: DemoContext) -> None:
    partnership, _ = Partnership.objects.get_or_create(
        slug=DEMO_SLUG,
        defaults={
            "name": "Riverside Parents' Employability Partnership",
            "description": (
                "Parents and five local organisations working together on employability support for "
                "single parents in Riverside: courses, childcare, money advice and keyworkers in one place."
            ),
            **DEMO_CONTACT,
            # Open data on (docs/open-data.md): /open/riverside/ answers anyone, signed in or not.
            "open_data": True,
        },
    )
    ctx.partnerships[DEMO_SLUG] = partnership
    for key, name, kind, description in ORGANISATIONS:
        org, _ = Organisation.objects.get_or_create(
            partnership=partnership,
            name=name,
            defaults={"kind": kind, "description": description, "org_id": ORG_IDS.get(key, "")},
        )
        ctx.organisations[key] = org
    for key, email, name, roles, org_key in PEOPLE:
        user = _person(ctx, key, email, name)
        ctx.memberships[(DEMO_SLUG, key)] = _membership(
            ctx, partnership, user, roles, ctx.organisations[org_key] if org_key else None
        )
        if any(ROLE_FIELDS[r] in ("is_worker", "is_coordinator", "is_partner_lead") for r in roles):
            _ensure_totp(user)
    # Aisha signs in with a code by text message: Ofcom's drama range, reaching nobody; the demo prints the
    # text in its terminal (docs/text-messages.md).
    get_user_model().objects.filter(email="aisha@riverside.example", phone="").update(
        phone=DEMO_AISHA_PHONE, phone_verified=True
    )
    second, _ = Partnership.objects.get_or_create(
        slug=SECOND_SLUG, defaults={"name": SECOND_NAME, "description": SECOND_DESCRIPTION}
    )
    ctx.partnerships[second.slug] = second
    for key, name, kind, description in SECOND_ORGANISATIONS:
        org, _ = Organisation.objects.get_or_create(
            partnership=second, name=name, defaults={"kind": kind, "description": description}
        )
        ctx.organisations[key] = org
    for key, roles, org_key in SECOND_PEOPLE:
        ctx.memberships[(second.slug, key)] = _membership(
            ctx, second, ctx.people[key], roles, ctx.organisations[org_key] if org_key else None
        )


def totp_secret_of(user: Any) -> str:
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        return ""
    return str(get_mfa_adapter().decrypt(authenticator.data["secret"]))


def sign_in_lines() -> list[str]:
    """One line per demo person: role, email, password and (staff) the authenticator secret."""
    partnership = Partnership.objects.get(slug=DEMO_SLUG)
    lines = [f"{'role':<22} {'email':<30} {'password':<20} authenticator secret (staff)"]
    memberships = Membership.objects.filter(partnership=partnership).select_related("user", "organisation")
    order = {key: index for index, (key, *_rest) in enumerate(PEOPLE)}
    by_email = {email: key for key, email, *_rest in PEOPLE}
    for membership in sorted(memberships, key=lambda m: order.get(by_email.get(m.user.email, ""), 999)):
        roles = " + ".join(str(r.label).lower() for r in membership.roles)
        secret = totp_secret_of(membership.user) if membership.is_staff_role else ""
        lines.append(f"{roles:<22} {membership.user.email:<30} {DEMO_PASSWORD:<20} {secret}".rstrip())
    return lines
