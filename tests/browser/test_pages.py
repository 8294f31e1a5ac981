"""Every page not already walked through in test_journeys.py, at the phone and at the desktop size:
axe-core (WCAG 2.2 AA), no markup the CSP forbids, nothing logged as an error."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from coproduce.dataprotection import services as dataprotection_services
from coproduce.datarights import services as datarights
from coproduce.partnerships import services
from coproduce.partnerships.my_data import my_data_document
from coproduce.partnerships.my_data_files import my_data_zip
from tests.browser.conftest import PageFactory
from tests.browser.support import assert_accessible, axe_violations, format_violations, sign_in_session
from tests.dataprotection.helpers import record_agreement
from tests.factories import MembershipFactory, OrganisationFactory, PartnershipFactory, staff_membership
from tests.voice.factories import IdeaFactory

pytestmark = pytest.mark.browser


@dataclass
class Site:
    """A partnership with people, an organisation, invitations and an audit trail to show."""

    partnership: Any
    coordinator: Any
    member: Any
    partner_lead: Any
    organisation: Any
    erasure: Any = None  # another member's request, waiting for a coordinator


@pytest.fixture
def site(partnership: Any) -> Site:
    organisation = OrganisationFactory(partnership=partnership, name="Riverside Family Centre")
    coordinator = staff_membership(partnership, role="coordinator", organisation=organisation)
    staff_membership(partnership, role="worker", organisation=organisation)
    member = MembershipFactory(partnership=partnership, is_member=True)
    MembershipFactory(partnership=PartnershipFactory(name="Hillside Partnership"), user=member.user, is_member=True)
    services.invitation_create(actor=coordinator, email="invited@example.org", roles={"member"}, organisation=None)
    services.membership_roles_change(
        actor=coordinator, membership=member, roles={"member", "observer"}, organisation=None
    )
    member.refresh_from_db()
    partner_lead = staff_membership(partnership, role="partner_lead", organisation=organisation)
    services.partnership_settings_change(
        actor=coordinator,
        name=partnership.name,
        description="Parents and partners together.",
        contact_email="hello@riverside.example",
        contact_phone="01632 960 123",
        contact_address="12 Mill Street\nRiverside",
        website="https://riverside.example",
    )
    retired = services.organisation_create(
        actor=coordinator, name="Old Training Ltd", kind="private", org_id="GB-COH-SC123456"
    )
    services.organisation_retire(actor=coordinator, organisation=retired)
    dataprotection_services.data_protection_update(
        actor=coordinator,
        controllers=[organisation],
        arrangement="independent",
        contact_name="Data protection team",
        contact_email="dp@example.org",
        contact_address="1 High Street\nRiverside",
    )
    record_agreement(coordinator, special_category=True, special_condition="h", schedule_1_condition="Part 1")
    record_agreement(coordinator, purposes="Joined-up support, second version.")
    dataprotection_services.retention_apply(partnership=partnership, dry_run=True, actor=coordinator)
    asker = MembershipFactory(partnership=partnership, is_member=True)
    erasure = datarights.erasure_request(actor=asker)
    return Site(partnership, coordinator, member, partner_lead, organisation, erasure)


def fill_and_submit(label: str, value: str, button: str) -> Callable[[Page, Site], None]:
    """A visit's next step: type ``value`` into the field labelled ``label`` and press ``button``."""

    def then(page: Page, site: Site) -> None:
        page.get_by_label(label).fill(value)
        page.get_by_role("button", name=button).click()

    return then


@dataclass(frozen=True)
class Visit:
    """Who opens which page, and the first-level heading they should see."""

    who: str  # "anonymous", "member", "coordinator" or "partner_lead"
    url: Callable[[Site], str]
    heading: str | re.Pattern[str]
    status: int = 200
    shows: tuple[str, ...] = ()  # text the page must show
    then: Callable[[Page, Site], None] | None = None  # reach a further state of the page, also checked


def in_partnership(name: str) -> Callable[[Site], str]:
    return lambda site: reverse(f"partnerships:{name}", kwargs={"slug": site.partnership.slug})


def rights(name: str, **kwargs: Callable[[Site], Any]) -> Callable[[Site], str]:
    return lambda site: reverse(
        f"datarights:{name}", kwargs={"slug": site.partnership.slug, **{k: f(site) for k, f in kwargs.items()}}
    )


def url(name: str) -> Callable[[Site], str]:
    return lambda site: reverse(name)


def request_reset_link(page: Page, site: Site) -> None:
    page.get_by_label("Email", exact=True).fill(site.member.user.email)
    page.get_by_role("button", name="Email me a link").click()


def submit_a_period_too_short(page: Page, site: Site) -> None:
    page.locator("input[name=period_support__plan_reads]").fill("0")
    page.get_by_role("button", name="Save the periods").click()


def submit_an_empty_agreement(page: Page, site: Site) -> None:
    page.get_by_label("Why is the data shared?").fill("")
    page.get_by_role("button", name="Save as a new version").click()


def in_data_protection(name: str, **kwargs: Any) -> Callable[[Site], str]:
    return lambda site: reverse(f"dataprotection:{name}", kwargs={"slug": site.partnership.slug, **kwargs})


def prepare_my_data(page: Page, site: Site) -> None:
    page.get_by_role("button", name="Prepare my data").click()
    # The task runs when the request commits (the tests' task backend): the page comes back with it ready.
    expect(page.get_by_role("link", name="Download pages you can read (zip)")).to_be_visible()


def request_sign_in_code(page: Page, site: Site) -> None:
    page.get_by_label("Email", exact=True).fill(site.member.user.email)
    page.get_by_role("button", name="Send the code").click()


PAGES = {
    "landing, signed out": Visit("anonymous", url("core:landing"), "Welcome"),
    "landing, signed in (two partnerships)": Visit(
        "member", url("core:landing"), "Your partnerships", shows=("Riverside Test Partnership", "Hillside Partnership")
    ),
    "accessibility statement": Visit("anonymous", url("core:accessibility"), "Accessibility statement"),
    "privacy notice": Visit("anonymous", url("core:privacy"), "Privacy notice"),
    "sign-in page": Visit("anonymous", url("account_login"), "Sign in"),
    "sign-in code request, then the code page": Visit(
        "anonymous", url("account_request_login_code"), "Email me a sign-in code", then=request_sign_in_code
    ),
    "password reset request, then the email sent page": Visit(
        "anonymous", url("account_reset_password"), "Set a new password", then=request_reset_link
    ),
    "partnership home, member": Visit(
        "member", in_partnership("home"), "Riverside Test Partnership", shows=("hello@riverside.example",)
    ),
    "people": Visit("coordinator", in_partnership("people"), "People"),
    "partner organisations": Visit(
        "coordinator",
        in_partnership("organisations"),
        "Partner organisations",
        shows=("Riverside Family Centre", "Old Training Ltd", "Retired on"),
    ),
    "invitations with one sent": Visit(
        "coordinator", in_partnership("invitations"), "Invitations", shows=("invited@example.org",)
    ),
    "audit log": Visit("coordinator", in_partnership("audit"), "Audit log"),
    "settings": Visit("coordinator", in_partnership("settings"), "Settings", shows=("Partner organisations",)),
    "settings: name, description and contact": Visit(
        "coordinator",
        in_partnership("settings-details"),
        "Name, description and contact",
        then=fill_and_submit("Contact email address (optional)", "not an address", "Save"),
    ),
    "add a partner organisation, with errors": Visit(
        "coordinator",
        in_partnership("organisation-new"),
        "Add a partner organisation",
        then=fill_and_submit("Organisation identifier (optional)", "GB-SC-123", "Add the organisation"),
    ),
    "change a partner organisation": Visit(
        "coordinator",
        lambda site: reverse(
            "partnerships:organisation-edit",
            kwargs={"slug": site.partnership.slug, "organisation_id": site.organisation.pk},
        ),
        "Change Riverside Family Centre",
    ),
    "retire a partner organisation": Visit(
        "coordinator",
        lambda site: reverse(
            "partnerships:organisation-retire",
            kwargs={"slug": site.partnership.slug, "organisation_id": site.organisation.pk},
        ),
        "Retire Riverside Family Centre?",
    ),
    "invitations, partner lead": Visit(
        "partner_lead", in_partnership("invitations"), "Invitations", shows=("You can invite staff of",)
    ),
    "roles edit": Visit(
        "coordinator",
        lambda site: reverse(
            "partnerships:roles-edit", kwargs={"slug": site.partnership.slug, "membership_id": site.member.pk}
        ),
        re.compile(r"^Roles for "),
    ),
    "data protection settings": Visit(
        "coordinator", in_data_protection("settings"), "Data protection: controllers and contact"
    ),
    "retention periods, then a period too short": Visit(
        "coordinator", in_data_protection("retention"), "How long data is kept", then=submit_a_period_too_short
    ),
    "retention runs": Visit(
        "coordinator", in_data_protection("runs"), "What the retention job did", shows=("Dry run",)
    ),
    "data sharing agreement, member": Visit(
        "member", in_data_protection("agreement"), "Data sharing agreement", shows=("second version",)
    ),
    "data sharing agreement, first version": Visit(
        "member", in_data_protection("agreement-version", version=1), "Data sharing agreement"
    ),
    "data sharing agreement, change, then empty": Visit(
        "coordinator",
        in_data_protection("agreement-edit"),
        "Change the data sharing agreement",
        then=submit_an_empty_agreement,
    ),
    "partnership privacy notice, member": Visit(
        "member", in_data_protection("privacy"), "Privacy notice", shows=("Data protection team",)
    ),
    "leave confirmation": Visit(
        "member", rights("leave"), "Leave Riverside Test Partnership?", shows=("Your account: your name",)
    ),
    "erasure, asking": Visit(
        "member",
        rights("erasure"),
        "Erase my data",
        shows=("Your account: your name, email address and password",),
    ),
    "erasure requests": Visit("coordinator", rights("erasures"), "Erasure requests", shows=("Waiting",)),
    "erasure, confirming": Visit(
        "coordinator",
        rights("erasure-confirm", erasure_id=lambda site: site.erasure.pk),
        re.compile(r"^Erase .+'s data\?$"),
        then=lambda page, site: page.get_by_role("button", name="Confirm and erase").click(),
    ),
    "remove someone": Visit(
        "coordinator",
        rights("remove", membership_id=lambda site: site.member.pk),
        re.compile(r"^Take .+ out of the partnership\?$"),
        then=lambda page, site: page.get_by_role("button", name=re.compile("^Yes, take")).click(),
    ),
    "my data, then prepared with its summary": Visit(
        "member", in_partnership("my-data"), "My data", shows=("Prepare my data",), then=prepare_my_data
    ),
    "your sessions": Visit("member", url("usersessions_list"), "Your sessions"),
    "two-factor sign-in (MFA index)": Visit("coordinator", url("mfa_index"), "Two-factor sign-in"),
    "your account (email)": Visit("member", url("account_email"), "Your account"),
    "change password": Visit("member", url("account_change_password"), re.compile("password", re.I)),
    "page not found": Visit("anonymous", lambda site: "/no-such-page/", "Page not found", status=404),
    "page not found, signed in": Visit("member", lambda site: "/p/no-such-partnership/", "Page not found", status=404),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_page_is_accessible(page: Page, site: Site, name: str) -> None:
    visit = PAGES[name]
    if visit.who != "anonymous":
        sign_in_session(page, getattr(site, visit.who).user)
    response = page.goto(visit.url(site))
    assert response is not None
    assert response.status == visit.status, f"{name}: {response.url} answered {response.status}"
    expect(page.get_by_role("heading", level=1)).to_have_text(visit.heading)
    for text in visit.shows:
        expect(page.get_by_role("main").get_by_text(text).first).to_be_visible()
    assert_accessible(page, name, both_sizes=False)
    if visit.then:
        before = page.url
        visit.then(page, site)
        page.wait_for_load_state()
        assert page.url != before or page.get_by_role("alert").count(), f"{name}: the form went nowhere"
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page, f"{name} (after sending)", both_sizes=False)


@pytest.mark.parametrize("name", ["people"])  # the audit log, in sentences, fits a phone (issue 19)
def test_without_javascript_a_wide_table_scrolls_in_a_region_of_its_own(
    new_page: PageFactory, site: Site, name: str
) -> None:
    """Without JavaScript the design system's "boxes" layout is not applied, so a table wider than a phone
    scrolls: inside its wrapper, which the keyboard can reach, and without widening the page (the labels
    the table hides for screen readers are positioned inside the wrapper)."""
    visit = PAGES[name]
    page = new_page("phone", javascript=False)
    sign_in_session(page, getattr(site, visit.who).user)
    page.goto(visit.url(site))
    expect(page.get_by_role("heading", level=1)).to_have_text(visit.heading)
    region = page.get_by_role("region", name="Table, scrolls sideways on a small screen").first
    assert region.evaluate("w => w.scrollWidth > w.clientWidth"), "the table fits: nothing to check"
    assert region.get_attribute("tabindex") == "0"
    assert_accessible(page, f"{name}, JavaScript off", both_sizes=False)  # includes: the page is not wider


def test_the_my_data_zip_pages_are_accessible_offline(page: Page, site: Site) -> None:
    """The readable download's pages, opened from the zip with no server: axe at the phone size."""
    IdeaFactory(partnership=site.partnership, author=site.member.user, title="A crèche at <the> job fair")
    archive = zipfile.ZipFile(io.BytesIO(my_data_zip(my_data_document(site.member))))
    for name in ("index.html", "voice.html", "account.html", "records.html"):
        page.set_content(archive.read(name).decode())
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        violations = axe_violations(page)
        assert not violations, f"{name}:\n{format_violations(violations)}"
        wider = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert wider <= 0, f"{name} is {wider}px wider than the screen"


def test_a_coordinator_sees_what_needs_her_attention_and_no_caseload_she_does_not_have(page: Page, site: Site) -> None:
    from coproduce.voice import services as voice_services

    idea = voice_services.idea_create(actor=site.member, title="Bus passes", body="Call me on 07700 900123.")
    voice_services.flag_create(actor=site.partner_lead, idea=idea, reason="It gives a phone number")
    sign_in_session(page, site.coordinator.user)
    page.goto(reverse("partnerships:home", kwargs={"slug": site.partnership.slug}))
    attention = page.get_by_role("region", name="Needs your attention")
    for text in (
        "1 idea or comment flagged for moderation",
        "1 request to erase someone's data, waiting for you",
        "1 invitation not accepted yet",
    ):
        expect(attention.get_by_role("link", name=text)).to_be_visible()
    # She is a coordinator, not a keyworker: she has no caseload to go to.
    expect(page.get_by_role("link", name="Go to my caseload")).to_have_count(0)
    expect(page.get_by_role("link", name="Go to support")).to_be_visible()
    assert_accessible(page, "home, coordinator with things waiting")
    attention.get_by_role("link", name="1 idea or comment flagged for moderation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Moderation")

    # Someone who is not a coordinator has no such section.
    sign_in_session(page, site.member.user)
    page.goto(reverse("partnerships:home", kwargs={"slug": site.partnership.slug}))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("region", name="Needs your attention")).to_have_count(0)
