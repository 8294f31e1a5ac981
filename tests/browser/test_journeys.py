"""People's real journeys through the site, on a phone-sized screen, checked with axe-core at the phone
and desktop sizes on every page state they reach (see support.assert_accessible)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import Page, expect

from coproduce.core.models import OutgoingEmail
from tests.browser.conftest import PageFactory
from tests.browser.support import assert_accessible, assert_clean_markup, fresh_totp, path_of, sign_in_session
from tests.factories import PASSWORD, MembershipFactory, add_totp, staff_membership

pytestmark = pytest.mark.browser

NEW_PASSWORD = "otters are tidy swimmers 7"


def sign_in_with_password(page: Page, email: str, password: str) -> None:
    page.goto(reverse("account_login"))
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_load_state()


def open_partnership_menu(page: Page) -> None:
    """On a phone the partnership's sections are behind the header's Menu button."""
    menu = page.get_by_role("button", name="Menu")
    if menu.is_visible():
        menu.click()


def tick(page: Page, name: re.Pattern[str]) -> None:
    """Tick a checkbox as a person does: the design system draws the box over the label, so click that."""
    checkbox = page.get_by_role("checkbox", name=name)
    page.locator(f"label[for='{checkbox.get_attribute('id')}']").click()
    expect(checkbox).to_be_checked()


def invitation_link(email: str, base_url: str) -> str:
    messages = [message for message in mail.outbox if email in message.to]
    assert len(messages) == 1, f"expected one invitation email to {email}, got {len(messages)}"
    found = re.search(r"https?://\S+/invitations/[^\s/]+/", str(messages[0].body))
    assert found, messages[0].body
    # The email names the site's public address; the test server listens elsewhere.
    return base_url + urlsplit(found.group(0)).path


def test_coordinator_invites_someone_who_joins_on_a_phone_without_javascript(
    new_page: PageFactory, live_server: Any, partnership: Any
) -> None:
    coordinator = staff_membership(partnership, role="coordinator", mfa=False)
    secret = add_totp(coordinator.user)
    home = reverse("partnerships:home", kwargs={"slug": partnership.slug})
    page = new_page("phone")

    # Sign in: password, then the code from the authenticator app.
    page.goto(reverse("account_login"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert_accessible(page, "sign-in page")
    page.get_by_label("Email", exact=True).fill(coordinator.user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(reverse("mfa_authenticate")) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter the code from your authenticator app")
    assert_accessible(page, "two-factor sign-in stage")
    page.get_by_label("Code", exact=True).fill(fresh_totp(secret))
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(re.escape(home) + "$"))  # one partnership: straight to its home
    expect(page.get_by_role("heading", level=1)).to_have_text(partnership.name)
    assert_accessible(page, "partnership home, coordinator")

    # Invitations, through the menu.
    open_partnership_menu(page)
    page.get_by_role("link", name="Invitations").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invitations")
    assert_accessible(page, "invitations, empty form")

    # Sent empty: an error summary and a message next to each field.
    page.get_by_role("button", name="Send invitation").click()
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_visible()
    expect(
        summary.get_by_role("link", name="Enter the email address or the mobile number of the person to invite.")
    ).to_be_visible()
    expect(summary.get_by_role("link", name="Choose at least one role.")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page, "invitations, form with errors")
    # The summary's link takes the person to the field.
    summary.get_by_role("link", name="Enter the email address or the mobile number of the person to invite.").click()
    expect(page.get_by_label("Email address")).to_be_focused()

    page.get_by_label("Email address").fill("newcomer@example.org")
    tick(page, re.compile(r"^Member\b"))
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("status")).to_contain_text("Invitation to newcomer@example.org made")
    sent = page.get_by_role("table", name="Sent invitations").get_by_role("row").filter(has_text="newcomer@example.org")
    expect(sent).to_contain_text("Email sent.")  # the tests' task backend sends it at once
    assert_accessible(page, "invitations, invitation sent")
    link = invitation_link("newcomer@example.org", live_server.url)

    # Had the email not gone, the page would say so, and the coordinator can send it again.
    OutgoingEmail.objects.filter(kind="partnerships.invitation").update(status=OutgoingEmail.Status.FAILED)
    page.reload()
    expect(sent).to_contain_text("The email could not be sent.")
    send_again = sent.get_by_role("button", name="Send again the invitation to newcomer@example.org")
    expect(send_again).to_be_visible()
    assert_accessible(page, "invitations, an email that could not be sent")
    send_again.click()
    expect(page.get_by_role("status")).to_contain_text("The invitation to newcomer@example.org is being sent again.")
    expect(sent).to_contain_text("Email sent.")

    # The newcomer opens the emailed link on a phone with JavaScript switched off.
    newcomer = new_page("phone", javascript=False)
    newcomer.goto(link)
    expect(newcomer.get_by_role("heading", level=1)).to_have_text(f"Join {partnership.name}")
    assert_accessible(newcomer, "invitation, new account form (no JavaScript)")

    newcomer.get_by_label("Your name, as others will see it").fill("Sam")
    newcomer.get_by_label("Create a password").fill(NEW_PASSWORD)
    newcomer.get_by_label("Type the password again").fill(NEW_PASSWORD + " oops")
    newcomer.get_by_role("button", name="Create my account and join").click()
    expect(newcomer.get_by_role("alert").filter(has_text="There is a problem")).to_contain_text(
        "The passwords do not match"
    )
    expect(newcomer.get_by_label("Type the password again")).to_have_attribute("aria-invalid", "true")
    assert_accessible(newcomer, "invitation, passwords that do not match (no JavaScript)")

    newcomer.get_by_label("Create a password").fill(NEW_PASSWORD)
    newcomer.get_by_label("Type the password again").fill(NEW_PASSWORD)
    newcomer.get_by_role("button", name="Create my account and join").click()
    expect(newcomer).to_have_url(re.compile(re.escape(home) + "$"))
    expect(newcomer.get_by_role("status")).to_contain_text(f"Welcome to {partnership.name}")
    expect(newcomer.get_by_role("heading", level=1)).to_have_text(partnership.name)
    assert_accessible(newcomer, "partnership home after joining (no JavaScript)")

    # Sign out from the account menu (a <details>, so it opens without JavaScript) …
    newcomer.get_by_text("Account", exact=True).click()
    newcomer.get_by_role("button", name="Sign out").click()
    sign_in_link = newcomer.get_by_role("banner").get_by_role("link", name="Sign in")
    expect(sign_in_link).to_be_visible()
    assert_accessible(newcomer, "after signing out (no JavaScript)")

    # … and back in with the new password.
    sign_in_link.click()
    newcomer.get_by_label("Email", exact=True).fill("newcomer@example.org")
    newcomer.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    newcomer.get_by_role("button", name="Sign in", exact=True).click()
    expect(newcomer).to_have_url(re.compile(re.escape(home) + "$"))
    expect(newcomer.get_by_role("heading", level=1)).to_have_text(partnership.name)
    assert_clean_markup(newcomer, "partnership home, signed in again")


def test_worker_without_an_authenticator_sets_one_up_before_reaching_the_partnership(
    new_page: PageFactory, partnership: Any
) -> None:
    worker = staff_membership(partnership, role="worker", mfa=False)
    home = reverse("partnerships:home", kwargs={"slug": partnership.slug})
    page = new_page("phone")

    sign_in_with_password(page, worker.user.email, PASSWORD)
    page.goto(home)
    expect(page).to_have_url(re.compile(re.escape(reverse("accounts:mfa-required")) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    assert_accessible(page, "two-factor sign-in required")

    page.get_by_role("link", name="Set up an authenticator app").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("mfa_activate_totp")) + "$"))
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    assert_accessible(page, "authenticator app set-up")

    # The setup key is printed as text under its heading, for people who cannot scan the QR code.
    key_text = page.locator("main").inner_text()
    found = re.search(r"Setup key\s.*?\b([A-Z2-7]{16,})\b", key_text, re.S)
    assert found, f"no setup key shown as text on the page:\n{key_text}"
    page.get_by_label("Authenticator code").fill(fresh_totp(found.group(1)))
    page.get_by_role("button", name="Turn on").click()
    expect(page).not_to_have_url(re.compile(re.escape(reverse("mfa_activate_totp")) + "$"))
    assert_accessible(page, "after turning on the authenticator app")

    page.goto(home)
    expect(page).to_have_url(re.compile(re.escape(home) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(partnership.name)
    assert_accessible(page, "partnership home, worker")


def test_a_member_of_another_partnership_gets_page_not_found(
    new_page: PageFactory, partnership: Any, outsider: Any
) -> None:
    staff_membership(partnership, role="coordinator")  # the partnership has content to hide
    page = new_page("phone")
    sign_in_session(page, outsider.user)
    for name in ("home", "people", "organisations", "invitations", "audit"):
        url = reverse(f"partnerships:{name}", kwargs={"slug": partnership.slug})
        response = page.goto(url)
        assert response is not None
        assert response.status == 404, f"{url} answered {response.status}"
        expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
        expect(page.get_by_text(partnership.name)).to_have_count(0)
        assert_clean_markup(page, f"404 for {url}")
    assert_accessible(page, "page not found, signed in")


def test_ten_failed_sign_ins_lock_that_email_only(new_page: PageFactory, partnership: Any) -> None:
    member = MembershipFactory(partnership=partnership, is_member=True)
    neighbour = MembershipFactory(partnership=partnership, is_member=True)
    page = new_page("phone")
    page.goto(reverse("account_login"))

    for attempt in range(1, 11):
        page.get_by_label("Email", exact=True).fill(member.user.email)
        page.get_by_label("Password", exact=True).fill(f"not the password {attempt}")
        with page.expect_response(lambda r: r.request.method == "POST") as answer:
            page.get_by_role("button", name="Sign in", exact=True).click()
        page.wait_for_load_state()
        if attempt < 10:
            assert answer.value.status == 200
            expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_be_visible()
            if attempt == 1:
                expect(page).to_have_title(re.compile(r"^Error: "))
                assert_accessible(page, "sign-in page, wrong password")
    assert answer.value.status == 429
    expect(page.get_by_role("heading", level=1)).to_have_text("Too many attempts to sign in")
    expect(page.get_by_text("Try again in 15 minutes.")).to_be_visible()
    assert_accessible(page, "too many attempts to sign in")

    # Someone else behind the same address (this browser) signs in straight after.
    sign_in_with_password(page, neighbour.user.email, PASSWORD)
    home = reverse("partnerships:home", kwargs={"slug": partnership.slug})
    expect(page).to_have_url(re.compile(re.escape(home) + "$"))
    assert path_of(page) == home


def test_five_wrong_codes_end_the_sign_in_and_say_how_long_to_wait(new_page: PageFactory, partnership: Any) -> None:
    coordinator = staff_membership(partnership, role="coordinator", mfa=False)
    secret = add_totp(coordinator.user)
    page = new_page("phone")
    sign_in_with_password(page, coordinator.user.email, PASSWORD)
    expect(page).to_have_url(re.compile(re.escape(reverse("mfa_authenticate")) + "$"))
    for attempt in range(1, 6):
        right = fresh_totp(secret)
        page.get_by_label("Code", exact=True).fill("000000" if right != "000000" else "111111")
        page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state()
        if attempt == 1:
            expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_be_visible()
    alert = page.get_by_role("alert").filter(has_text="There have been too many wrong codes")
    expect(alert).to_contain_text("wait 1 minute, then sign in again with your password")
    expect(page.get_by_label("Code", exact=True)).to_have_count(0)
    assert_accessible(page, "too many wrong codes")
    page.get_by_role("link", name="Sign in again").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("account_login")) + "$"))
