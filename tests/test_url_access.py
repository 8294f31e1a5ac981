"""Every URL pattern, for every role: the answer each person gets to a GET.

The table must name every pattern the site has; a new pattern without a row fails the suite, so
nobody can add a page without deciding who may see it."""

from __future__ import annotations

import re
from importlib import import_module
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from coproduce.datarights import services as datarights_services
from coproduce.partnerships.tokens import invitation_token
from coproduce.voice import services as voice_services
from tests.conftest import signed_in
from tests.factories import InvitationFactory, MembershipFactory, PartnershipFactory, staff_membership

ROLES = ["anonymous", "member", "observer", "worker", "partner_lead", "coordinator", "outsider", "staff_no_mfa"]
IN_PARTNERSHIP = ["member", "observer", "worker", "partner_lead", "coordinator"]


def everyone(status: int, **overrides: int) -> dict[str, int]:
    return {role: overrides.get(role, status) for role in ROLES}


# Pages inside a partnership: sign in first (302), staff without two-factor are sent to set it up
# (302), anyone outside the partnership gets the same 404 as for a page that does not exist.
PARTNERSHIP_PAGE = {**everyone(200), "anonymous": 302, "outsider": 404, "staff_no_mfa": 302}
COORDINATOR_PAGE = {**everyone(404), "anonymous": 302, "coordinator": 200, "staff_no_mfa": 302}
SIGNED_IN_PAGE = everyone(200, anonymous=302)
# Pages that write: observers only read, so their forms answer 404 like any page out of reach.
TAKING_PART_PAGE = {**PARTNERSHIP_PAGE, "observer": 404}
# POST-only addresses: a GET is refused with 405 for those allowed to post, 404 for the rest.
POST_ONLY = {**PARTNERSHIP_PAGE, **dict.fromkeys(IN_PARTNERSHIP, 405)}
TAKING_PART_POST_ONLY = {**POST_ONLY, "observer": 404}


def only(*roles: str) -> dict[str, int]:
    """A page for these people in the partnership alone (an author, a creator, a coordinator)."""
    return {**everyone(404), "anonymous": 302, "staff_no_mfa": 302, **dict.fromkeys(roles, 200)}


EXPECTED: dict[str, dict[str, int]] = {
    "core:landing": everyone(
        200, member=302, observer=302, worker=302, partner_lead=302, coordinator=302, outsider=302, staff_no_mfa=302
    ),  # one partnership: straight to its home
    "core:accessibility": everyone(200),
    "core:privacy": everyone(200),
    "core:language": everyone(405),  # the language switcher: POST only
    "partnerships:home": PARTNERSHIP_PAGE,
    "partnerships:people": PARTNERSHIP_PAGE,
    "partnerships:organisations": PARTNERSHIP_PAGE,
    # Everyone's own data, whatever their role: the addresses take no id, so there is no one else's to ask for.
    # With nothing prepared yet, a download sends the person to the page to prepare it.
    "partnerships:my-data": PARTNERSHIP_PAGE,
    "partnerships:my-data-json": {**PARTNERSHIP_PAGE, **dict.fromkeys(IN_PARTNERSHIP, 302)},
    "partnerships:my-data-zip": {**PARTNERSHIP_PAGE, **dict.fromkeys(IN_PARTNERSHIP, 302)},
    "partnerships:roles-edit": COORDINATOR_PAGE,
    # Partner leads invite staff of their own organisation.
    "partnerships:invitations": {**COORDINATOR_PAGE, "partner_lead": 200},
    "partnerships:audit": COORDINATOR_PAGE,
    # A member's own list of what keyworkers recorded with her, and her switch: members only.
    "partnerships:assisted": only("member"),
    # POST only: the coordinator's GET is refused with 405, everyone else learns nothing.
    "partnerships:invitation-revoke": {**COORDINATOR_PAGE, "coordinator": 405, "partner_lead": 405},
    "partnerships:invitation-resend": {**COORDINATOR_PAGE, "coordinator": 405, "partner_lead": 405},
    "partnerships:settings": COORDINATOR_PAGE,
    "partnerships:settings-details": COORDINATOR_PAGE,
    "partnerships:settings-texts": COORDINATOR_PAGE,
    "partnerships:organisation-new": COORDINATOR_PAGE,
    "partnerships:organisation-edit": COORDINATOR_PAGE,
    "partnerships:organisation-retire": COORDINATOR_PAGE,
    "partnerships:organisation-reinstate": {**COORDINATOR_PAGE, "coordinator": 405},
    # The token is the proof; anyone holding it sees the invitation (signed-in people are told
    # if it is for another address).
    "partnerships:invitation-accept": everyone(200),
    # A printed invitation card: for whoever may handle the invitation (here one for a member: coordinators).
    # Its short link, like the token, is the proof: it leads anyone holding it to the invitation's page.
    "partnerships:invitation-card": COORDINATOR_PAGE,
    "partnerships:invitation-short": everyone(302),
    # Data rights. In the world below the member has asked for erasure; the coordinator may take the member out.
    "datarights:leave": PARTNERSHIP_PAGE,
    "datarights:remove": COORDINATOR_PAGE,
    "datarights:erasure": PARTNERSHIP_PAGE,
    "datarights:erasures": COORDINATOR_PAGE,
    "datarights:erasure-confirm": COORDINATOR_PAGE,
    "accounts:mfa-required": SIGNED_IN_PAGE,
    "accounts:mobile": SIGNED_IN_PAGE,
    "accounts:mobile-confirm": everyone(302),  # no code sent in this session: back to the number page
    # Voice. In the world below the member wrote the idea and posed the challenge, the worker wrote the
    # comment and flagged the idea.
    "voice:ideas": PARTNERSHIP_PAGE,
    "voice:idea-new": TAKING_PART_PAGE,
    "voice:idea": PARTNERSHIP_PAGE,
    # Recording an idea with a member: workers and coordinators (partnerships/assisted.py).
    "voice:idea-record-with": only("worker", "coordinator"),
    "voice:idea-edit": only("member"),
    "voice:idea-withdraw": only("member"),
    "voice:idea-support": TAKING_PART_POST_ONLY,
    "voice:idea-follow": POST_ONLY,
    "voice:comment-create": TAKING_PART_POST_ONLY,
    "voice:idea-flag": TAKING_PART_PAGE,
    "voice:idea-respond": COORDINATOR_PAGE,
    "voice:comment-edit": only("worker"),
    "voice:comment-delete": only("worker"),
    "voice:comment-flag": TAKING_PART_PAGE,
    "voice:challenges": PARTNERSHIP_PAGE,
    "voice:challenge-new": TAKING_PART_PAGE,
    "voice:challenge": PARTNERSHIP_PAGE,
    "voice:challenge-edit": only("member", "coordinator"),
    "voice:moderation": COORDINATOR_PAGE,
    "voice:moderate-idea": COORDINATOR_PAGE,
    "voice:moderate-comment": COORDINATOR_PAGE,
    "voice:flag-dismiss": {**COORDINATOR_PAGE, "coordinator": 405},
    "voice:house-rules": PARTNERSHIP_PAGE,
    "voice:you-said-we-did": PARTNERSHIP_PAGE,
    "voice:equal-voice": PARTNERSHIP_PAGE,
    # allauth's pages
    "account_login": everyone(200, **dict.fromkeys(ROLES[1:], 302)),
    "account_logout": everyone(200, anonymous=302),
    "account_inactive": everyone(200),
    "account_signup": everyone(200, **dict.fromkeys(ROLES[1:], 302)),  # closed: "sign-up is closed" page
    "account_reauthenticate": SIGNED_IN_PAGE,
    "account_email": SIGNED_IN_PAGE,
    "account_email_verification_sent": everyone(200),
    "account_change_password": SIGNED_IN_PAGE,
    "account_set_password": everyone(302),  # everyone has a password: sent to change it instead
    "account_reset_password": everyone(200),
    "account_confirm_login_code": everyone(302),  # no code requested in this session
    "account_confirm_email": everyone(200),  # an unknown key shows "link expired or invalid"
    "account_reset_password_from_key_done": everyone(200),
    "account_reset_password_from_key": everyone(200),  # a forged key shows "bad token"
    "account_reset_password_done": everyone(200),
    "account_request_login_code": everyone(200, **dict.fromkeys(ROLES[1:], 302)),
    "mfa_index": SIGNED_IN_PAGE,
    "mfa_authenticate": everyone(302),  # only in the middle of signing in
    "mfa_reauthenticate": {**SIGNED_IN_PAGE, "member": 302, "observer": 302, "outsider": 302, "staff_no_mfa": 302},
    # Changing two-factor settings asks for the password again unless the person signed in within
    # the last few minutes (these clients were signed in without a password); staff who already have
    # an authenticator are sent to the overview rather than activating a second one.
    "mfa_activate_totp": everyone(302),
    "mfa_deactivate_totp": {**everyone(404), "anonymous": 302, "worker": 302, "partner_lead": 302, "coordinator": 302},
    "mfa_view_recovery_codes": {**everyone(404), "anonymous": 302},
    "mfa_generate_recovery_codes": everyone(302),
    "mfa_download_recovery_codes": {**everyone(404), "anonymous": 302},
    "usersessions_list": SIGNED_IN_PAGE,
}


# Each later capability keeps its rows, and makes what its pages need, in tests/<app>/access.py:
# ROWS (URL name -> role -> status) and build(world) -> {URL name: kwargs}. Every name in these
# namespaces is reversed with the partnership's slug as well.
APP_TABLES = {
    "governance": "tests.governance.access",
    "support": "tests.support.access",
    "fund": "tests.fund.access",
    "improvement": "tests.improvement.access",
    "decisions": "tests.decisions.access",
    "conversations": "tests.conversations.access",
    "dataprotection": "tests.dataprotection.access",
    "notifications": "tests.notifications.access",
    "commitments": "tests.commitments.access",
    "learning": "tests.learning.access",
    # learning's rows come in parts (a key's namespace is what comes before "_")
    "learning_pay": "tests.learning.access_pay",
    "learning_log": "tests.learning.log.access",
    "evaluation": "tests.evaluation.access",
    "evaluation_results": "tests.evaluation.access_results",
    "evaluation_entry": "tests.evaluation.access_entry",
    "evaluation_panel": "tests.evaluation.access_panel",
    "evaluation_health": "tests.evaluation.access_health",
    # open data: the page of a partnership's datasets, and each capability's own
    "reports_open": "tests.reports.access_open",
    "fund_open": "tests.fund.access_open",
    "support_open": "tests.support.access_open",
    "voice_open": "tests.voice.access_open",
    "decisions_open": "tests.decisions.access_open",
    "commitments_open": "tests.commitments.access_open",
    "evaluation_open": "tests.evaluation.access_open",
    "reports_outcomes": "tests.reports.access_outcomes",
    "reports": "tests.reports.access",
    # the API token pages (the API itself has its own table: tests/api/test_api_access.py)
    "api_pages": "tests.api.access_pages",
}
for _module in APP_TABLES.values():
    _rows = import_module(_module).ROWS
    assert not set(_rows) & set(EXPECTED), f"{_module} repeats rows: {sorted(set(_rows) & set(EXPECTED))}"
    EXPECTED.update(_rows)


API_NAMESPACE = "api:v1"


def all_url_names() -> list[str]:
    names: list[str] = []

    def walk(resolver: URLResolver, namespace: str | None) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                if inner == API_NAMESPACE:
                    continue  # the API answers tokens, not sessions: its own table is tests/api/test_api_access.py
                walk(entry, inner)
            elif isinstance(entry, URLPattern):
                assert entry.name, f"URL pattern {entry.pattern} has no name"
                names.append(f"{namespace}:{entry.name}" if namespace else entry.name)

    walk(get_resolver(), None)
    return names


def test_every_url_pattern_is_in_the_table() -> None:
    names = all_url_names()
    missing = sorted(set(names) - set(EXPECTED))
    stale = sorted(set(EXPECTED) - set(names))
    assert not missing, f"URL patterns with no row in the access table: {missing}"
    assert not stale, f"rows for URL patterns that no longer exist: {stale}"


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    partnership = PartnershipFactory(slug="here")
    people = {
        "member": MembershipFactory(partnership=partnership, is_member=True),
        "observer": MembershipFactory(partnership=partnership, is_member=False, is_observer=True),
        "worker": staff_membership(partnership, role="worker"),
        "partner_lead": staff_membership(partnership, role="partner_lead"),
        "coordinator": staff_membership(partnership, role="coordinator"),
        "outsider": MembershipFactory(partnership=PartnershipFactory(slug="there"), is_member=True),
        "staff_no_mfa": staff_membership(partnership, role="worker", mfa=False),
    }
    invitation = InvitationFactory(partnership=partnership, short_code="CARD234567")
    erasure = datarights_services.erasure_request(actor=people["member"])
    challenge = voice_services.challenge_create(actor=people["member"], title="How could job fairs suit parents?")
    idea = voice_services.idea_create(
        actor=people["member"], title="Job fairs in school hours", body="Start after drop-off.", challenge=challenge
    )
    comment = voice_services.comment_create(actor=people["worker"], idea=idea, body="We could try that in May.")
    flag = voice_services.flag_create(actor=people["worker"], idea=idea, reason="Checking the queue works.")
    world: dict[str, Any] = {
        "partnership": partnership,
        "people": people,
        "invitation": invitation,
        "challenge": challenge,
        "idea": idea,
        "comment": comment,
        "flag": flag,
        "erasure": erasure,
    }
    world["app_kwargs"] = {}
    for module in APP_TABLES.values():
        world["app_kwargs"].update(import_module(module).build(world))
    return world


VOICE_IDEA_PAGES = [
    "voice:idea",
    "voice:idea-edit",
    "voice:idea-withdraw",
    "voice:idea-support",
    "voice:idea-follow",
    "voice:comment-create",
    "voice:idea-flag",
    "voice:idea-respond",
    "voice:moderate-idea",
]
VOICE_COMMENT_PAGES = ["voice:comment-edit", "voice:comment-delete", "voice:comment-flag", "voice:moderate-comment"]


def url_for(name: str, world: dict[str, Any]) -> str:
    pattern_kwargs: dict[str, dict[str, Any]] = {
        "partnerships:roles-edit": {"membership_id": world["people"]["member"].pk},
        "partnerships:invitation-revoke": {"invitation_id": world["invitation"].pk},
        "partnerships:invitation-resend": {"invitation_id": world["invitation"].pk},
        "partnerships:invitation-accept": {"token": invitation_token(world["invitation"])},
        "partnerships:invitation-card": {"invitation_id": world["invitation"].pk},
        "partnerships:invitation-short": {"code": world["invitation"].short_code},
        **{
            f"partnerships:organisation-{action}": {"organisation_id": world["people"]["worker"].organisation_id}
            for action in ("edit", "retire", "reinstate")
        },
        **{name: {"idea_id": world["idea"].pk} for name in VOICE_IDEA_PAGES},
        **{name: {"comment_id": world["comment"].pk} for name in VOICE_COMMENT_PAGES},
        **{name: {"challenge_id": world["challenge"].pk} for name in ("voice:challenge", "voice:challenge-edit")},
        "voice:flag-dismiss": {"flag_id": world["flag"].pk},
        "datarights:remove": {"membership_id": world["people"]["member"].pk},
        "datarights:erasure-confirm": {"erasure_id": world["erasure"].pk},
        "account_confirm_email": {"key": "not-a-real-key"},
        "account_reset_password_from_key": {"uidb36": "1", "key": "set-password"},
        **world["app_kwargs"],
    }
    kwargs = pattern_kwargs.get(name, {})
    in_partnership = ("partnerships:", "voice:", "datarights:", *(f"{app.split('_')[0]}:" for app in APP_TABLES))
    if name.startswith(in_partnership) and name not in (
        "partnerships:invitation-accept",
        "partnerships:invitation-short",
    ):
        kwargs = {"slug": world["partnership"].slug, **kwargs}
    return reverse(name, kwargs=kwargs)


def client_for(role: str, world: dict[str, Any]) -> Client:
    if role == "anonymous":
        return Client()
    return signed_in(world["people"][role].user)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer_on_every_page(role: str, world: dict[str, Any]) -> None:
    client = client_for(role, world)
    wrong = []
    for name in all_url_names():
        url = url_for(name, world)
        status = client.get(url).status_code
        if status != EXPECTED[name][role]:
            wrong.append(f"{name} ({url}): expected {EXPECTED[name][role]}, got {status}")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


def test_pages_outside_the_partnership_look_exactly_like_missing_pages(world: dict[str, Any]) -> None:
    client = signed_in(world["people"]["outsider"].user)
    forbidden = client.get(reverse("partnerships:people", kwargs={"slug": world["partnership"].slug}))
    missing = client.get(reverse("partnerships:people", kwargs={"slug": "no-such-partnership"}))
    assert forbidden.status_code == missing.status_code == 404

    def without_csrf_token(content: bytes) -> bytes:
        # The token, and the address asked for, which the language switcher returns to (the asker typed it).
        content = re.sub(rb'name="csrf(-token|middlewaretoken)" (content|value)="[^"]+"', b"", content)
        return re.sub(rb'name="next" value="[^"]*"', b"", content)

    assert without_csrf_token(forbidden.content) == without_csrf_token(missing.content)
