"""Voice in a real browser: a parent on a phone shares an idea, sees supports and comments arrive and
hears what the partnership did with it; a coordinator moderates and responds; the usual script payloads
never run; and every voice page state passes axe-core (WCAG 2.2 AA) at the phone and desktop sizes."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Dialog, Locator, Page, expect

from coproduce.notifications.models import Notice
from coproduce.voice import services
from coproduce.voice.models import Comment, Flag, Idea, Response, Support
from tests.browser.conftest import PageFactory
from tests.browser.support import assert_accessible, sign_in_session
from tests.factories import MembershipFactory, UserFactory, staff_membership

pytestmark = pytest.mark.browser

XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_LINK = "[open me](javascript:alert(1))"


def voice_url(name: str, partnership: Any, **kwargs: Any) -> str:
    return reverse(f"voice:{name}", kwargs={"slug": partnership.slug, **kwargs})


def choose(page: Page, label: str) -> None:
    """Choose a radio button as a person does: the design system draws it over its label, so click that."""
    radio = page.get_by_role("radio", name=label, exact=True)
    page.locator(f"label[for='{radio.get_attribute('id')}']").click()
    expect(radio).to_be_checked()


def no_dialogs(page: Page) -> list[str]:
    """Every alert, confirm or prompt the page opens is recorded (and dismissed): there must be none."""
    opened: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        opened.append(f"{dialog.type}: {dialog.message} on {page.url}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return opened


def header_notifications(page: Page) -> Locator:
    return page.get_by_role("banner").get_by_role("link", name=re.compile(r"^Notifications"))


class Steps:
    """Counts what a person does (each click, each field filled) and the time it takes."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.count = 0
        self.started = time.monotonic()

    def click(self, target: Locator) -> None:
        self.count += 1
        target.click()

    def fill(self, target: Locator, text: str) -> None:
        self.count += 1
        target.fill(text)

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started


def test_a_parent_on_a_phone_shares_an_idea_and_hears_what_became_of_it(
    new_page: PageFactory, partnership: Any
) -> None:
    parent = MembershipFactory(partnership=partnership, is_member=True, user=UserFactory(display_name="Aisha"))
    neighbour = MembershipFactory(partnership=partnership, is_member=True, user=UserFactory(display_name="Ben"))
    coordinator = staff_membership(partnership, role="coordinator")
    page = new_page("phone")
    sign_in_session(page, parent.user)
    home = reverse("partnerships:home", kwargs={"slug": partnership.slug})

    # From the partnership's home page to a shared idea: few steps, well under a minute.
    page.goto(home)
    steps = Steps(page)
    steps.click(page.get_by_role("link", name="Share an idea"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Share an idea")
    steps.fill(page.get_by_label("Title"), "Crèche at job fairs")
    steps.fill(page.get_by_label("Your idea"), "So parents of **toddlers** can come and talk to employers.")
    steps.click(page.get_by_role("button", name="Share my idea"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Crèche at job fairs")
    expect(page.get_by_role("status")).to_contain_text("Your idea is posted")
    assert steps.count <= 4, f"sharing an idea took {steps.count} steps"
    assert steps.seconds < 60, f"sharing an idea took {steps.seconds:.1f} s"
    idea = Idea.objects.get()
    assert idea.author_id == parent.user_id
    expect(page.locator(".cp-user-text strong")).to_have_text("toddlers")
    expect(page.get_by_text("0 supports")).to_be_visible()
    expect(page.get_by_text("No comments yet.")).to_be_visible()
    assert_accessible(page, "idea page just shared (phone)")

    # Someone else finds it in the list, supports it in place (htmx) and comments.
    other = new_page("desktop")
    sign_in_session(other, neighbour.user)
    other.goto(voice_url("ideas", partnership))
    expect(other.get_by_role("heading", level=2, name="1 idea")).to_be_visible()
    assert_accessible(other, "idea list with one idea")
    support = other.get_by_role("button", name="Support “Crèche at job fairs”")
    support.click()
    expect(support).to_have_attribute("aria-pressed", "true")
    expect(other.get_by_text("1 support, including yours")).to_be_visible()
    assert other.url.endswith(voice_url("ideas", partnership))  # swapped in place, no page load
    other.get_by_role("link", name="Crèche at job fairs").click()
    other.get_by_label("Add a comment").fill("Yes! The library has a room we could use.")
    other.get_by_role("button", name="Post comment").click()
    expect(other.get_by_role("status")).to_contain_text("Your comment is posted")
    assert Support.objects.filter(idea=idea).count() == 1
    assert Comment.objects.filter(idea=idea).count() == 1

    # The parent sees them arrive, and a notification in the header.
    page.reload()
    expect(page.get_by_text("1 support", exact=True)).to_be_visible()
    expect(page.get_by_text("Yes! The library has a room we could use.")).to_be_visible()
    expect(page.locator("#comment-" + str(Comment.objects.get().pk))).to_contain_text("Ben")
    expect(header_notifications(page)).to_contain_text("1")
    assert_accessible(page, "idea page with a support and a comment (phone)")

    # A coordinator responds: first without saying anything, then properly.
    staff = new_page("desktop")
    sign_in_session(staff, coordinator.user)
    staff.goto(voice_url("idea", partnership, idea_id=idea.pk))
    staff.get_by_role("link", name="Respond for the partnership").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text(re.compile("Respond"))
    assert_accessible(staff, "respond form")
    staff.get_by_role("button", name=re.compile("Publish")).click()
    expect(staff.get_by_role("alert").filter(has_text="There is a problem")).to_contain_text(
        "Choose what is happening with the idea."
    )
    expect(staff).to_have_title(re.compile(r"^Error: "))
    assert_accessible(staff, "respond form with errors")
    choose(staff, "In progress")
    staff.get_by_label("Response").fill("We will run a crèche at the **May** job fair.")
    staff.get_by_label("Link to what it became").fill("/p/elsewhere/tests/1/")
    staff.get_by_label("Words for the link").fill("The test of change")
    staff.get_by_role("button", name=re.compile("Publish")).click()
    expect(staff.get_by_role("status")).to_contain_text("Your response is published")
    assert_accessible(staff, "idea page after responding")

    # The parent is told, reads the notification and sees what the partnership did.
    page.reload()
    expect(header_notifications(page)).to_contain_text("2")
    header_notifications(page).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    told = page.get_by_role("link", name=re.compile("The partnership responded to “Crèche at job fairs”: In progress"))
    expect(told).to_be_visible()
    assert_accessible(page, "notifications with a response (phone)")
    told.click()
    responses = page.locator("#responses")
    expect(responses).to_contain_text("In progress")
    expect(responses.locator("strong")).to_have_text("May")
    expect(responses.get_by_role("link", name="The test of change")).to_have_attribute("href", "/p/elsewhere/tests/1/")
    page.goto(reverse("notifications:inbox", kwargs={"slug": partnership.slug}))
    page.get_by_role("button", name="Mark all as read").click()
    expect(header_notifications(page)).to_have_text("Notifications")
    assert not Notice.objects.filter(user=parent.user, read_at__isnull=True).exists()
    page.goto(voice_url("you-said-we-did", partnership))
    expect(page.get_by_role("main")).to_contain_text("Crèche at job fairs")
    expect(page.get_by_role("main")).to_contain_text("We will run a crèche at the May job fair.")
    assert_accessible(page, "you said, we did with one entry (phone)")


def test_a_coordinator_hides_a_reported_idea_and_its_author_sees_why(new_page: PageFactory, partnership: Any) -> None:
    parent = MembershipFactory(partnership=partnership, is_member=True)
    neighbour = MembershipFactory(partnership=partnership, is_member=True)
    coordinator = staff_membership(partnership, role="coordinator")
    idea = services.idea_create(actor=parent, title="Ring Jo on 07700 900123", body="She knows about jobs.")

    # A member reports it, first forgetting to say why.
    reporter = new_page("phone")
    sign_in_session(reporter, neighbour.user)
    reporter.goto(voice_url("idea", partnership, idea_id=idea.pk))
    reporter.get_by_role("link", name="Report this idea to a coordinator").click()
    assert_accessible(reporter, "report an idea")
    reporter.get_by_role("button", name="Send to a coordinator").click()
    expect(reporter.get_by_role("alert").filter(has_text="There is a problem")).to_contain_text(
        "Say why, so the coordinator knows what to look at."
    )
    assert_accessible(reporter, "report an idea, with errors")
    reporter.get_by_label("What is the problem?").fill("It gives someone's phone number")
    reporter.get_by_role("button", name="Send to a coordinator").click()
    expect(reporter.get_by_role("status")).to_contain_text("A coordinator will look at it")

    # The coordinator works the queue: hide, with a reason the author will see.
    moderator = new_page("phone")
    sign_in_session(moderator, coordinator.user)
    moderator.goto(voice_url("moderation", partnership))
    expect(moderator.get_by_role("heading", level=2, name="1 open report")).to_be_visible()
    expect(moderator.get_by_role("main")).to_contain_text("It gives someone's phone number")
    assert_accessible(moderator, "moderation queue with a report")
    moderator.get_by_role("link", name="Hide or keep this idea").click()
    assert_accessible(moderator, "moderate an idea")
    choose(moderator, "Hide it from everyone but its author")
    moderator.get_by_role("button", name="Save decision").click()
    expect(moderator.get_by_role("alert").filter(has_text="There is a problem")).to_be_visible()
    assert_accessible(moderator, "moderate an idea, with errors")
    moderator.get_by_label("Reason").fill("It gives a phone number (rule 2). Share it again without it.")
    moderator.get_by_role("button", name="Save decision").click()
    expect(moderator.get_by_role("status")).to_contain_text("It is hidden")
    expect(moderator.get_by_role("heading", level=2, name="0 open reports")).to_be_visible()
    expect(moderator.get_by_role("main")).to_contain_text("It gives a phone number (rule 2)")
    assert_accessible(moderator, "moderation queue, empty, one idea hidden")
    assert Flag.objects.get().outcome == "hidden"

    # Others no longer find it; its author is told why.
    reporter.goto(voice_url("ideas", partnership))
    expect(reporter.get_by_role("main")).not_to_contain_text("Ring Jo")
    author = new_page("phone")
    sign_in_session(author, parent.user)
    author.goto(voice_url("ideas", partnership))
    expect(header_notifications(author)).to_contain_text("1")
    header_notifications(author).click()
    author.get_by_role("link", name=re.compile("A coordinator hid your idea")).click()
    expect(author.get_by_text("A coordinator has hidden this idea.")).to_be_visible()
    expect(author.get_by_role("main")).to_contain_text("It gives a phone number (rule 2).")
    assert_accessible(author, "hidden idea, seen by its author")


def test_script_in_ideas_comments_and_responses_never_runs(new_page: PageFactory, partnership: Any) -> None:
    member = MembershipFactory(partnership=partnership, is_member=True)
    coordinator = staff_membership(partnership, role="coordinator")
    page = new_page("phone")
    dialogs = no_dialogs(page)
    sign_in_session(page, member.user)
    payload = f"{XSS_SCRIPT} {XSS_IMG} {XSS_LINK}"

    page.goto(voice_url("idea-new", partnership))
    page.get_by_label("Title").fill(f"{XSS_SCRIPT}{XSS_IMG}")
    page.get_by_label("Your idea").fill(payload)
    page.get_by_role("button", name="Share my idea").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{XSS_SCRIPT}{XSS_IMG}")  # shown as text
    idea = Idea.objects.get()
    page.get_by_label("Add a comment").fill(payload)
    page.get_by_role("button", name="Post comment").click()
    expect(page.get_by_role("status")).to_contain_text("Your comment is posted")

    staff = new_page("desktop")
    staff_dialogs = no_dialogs(staff)
    sign_in_session(staff, coordinator.user)
    staff.goto(voice_url("idea-respond", partnership, idea_id=idea.pk))
    choose(staff, "Being considered")
    staff.get_by_label("Response").fill(payload)
    staff.get_by_label("Link to what it became").fill("javascript:alert(1)")
    staff.get_by_label("Words for the link").fill(XSS_IMG)
    staff.get_by_role("button", name=re.compile("Publish")).click()
    expect(staff.get_by_role("alert").filter(has_text="There is a problem")).to_contain_text(
        "A link must be a page on this site starting with a single /"
    )
    staff.get_by_label("Link to what it became").fill("//evil.example/")
    staff.get_by_role("button", name=re.compile("Publish")).click()
    expect(staff.get_by_role("alert").filter(has_text="There is a problem")).to_be_visible()
    assert not Response.objects.exists()
    staff.get_by_label("Link to what it became").fill("/p/elsewhere/")
    staff.get_by_role("button", name=re.compile("Publish")).click()
    expect(staff.get_by_role("status")).to_contain_text("Your response is published")

    for visitor in (page, staff):
        for address in (
            voice_url("idea", partnership, idea_id=idea.pk),
            voice_url("ideas", partnership),
            voice_url("ideas", partnership) + "?q=script",
            voice_url("you-said-we-did", partnership),
            reverse("notifications:inbox", kwargs={"slug": partnership.slug}),
            reverse("partnerships:home", kwargs={"slug": partnership.slug}),
        ):
            visitor.goto(address)
            visitor.wait_for_load_state("load")
            expect(visitor.locator("main img")).to_have_count(0)
            expect(visitor.locator("main a[href^='javascript:' i]")).to_have_count(0)
    page.goto(voice_url("idea", partnership, idea_id=idea.pk))
    main = page.get_by_role("main")
    expect(main).to_contain_text(XSS_SCRIPT)  # the words are there, as text
    expect(main).to_contain_text(XSS_IMG)
    expect(main.get_by_text("open me").first).to_be_visible()
    expect(page.locator("#responses")).to_contain_text(XSS_SCRIPT)
    assert_accessible(page, "idea page full of script payloads")
    page.wait_for_timeout(300)  # a handler that ran late would open its dialog by now
    assert dialogs == [] and staff_dialogs == [], dialogs + staff_dialogs


@pytest.fixture
def voice_site(partnership: Any) -> dict[str, Any]:
    member = MembershipFactory(partnership=partnership, is_member=True)
    other = MembershipFactory(partnership=partnership, is_member=True)
    worker = staff_membership(partnership, role="worker")
    coordinator = staff_membership(partnership, role="coordinator")
    challenge = services.challenge_create(actor=coordinator, title="How could job fairs suit parents of toddlers?")
    idea = services.idea_create(
        actor=member, title="Crèche at job fairs", body="For **toddlers**.", challenge=challenge, show_name=False
    )
    services.idea_create(actor=worker, title="Evening hours", body="After six.")
    comment = services.comment_create(actor=other, idea=idea, body="Yes, please.")
    services.comment_create(actor=member, idea=idea, body="Thank you", parent=comment)
    services.support_toggle(actor=other, idea=idea, support=True)
    services.flag_create(actor=other, comment=comment, reason="Just checking the queue")
    services.idea_respond(actor=coordinator, idea=idea, status="in_progress", text="A crèche at the May fair.")
    return {"member": member, "coordinator": coordinator, "idea": idea, "comment": comment, "challenge": challenge}


def test_every_voice_page_state_passes_axe(new_page: PageFactory, partnership: Any, voice_site: dict[str, Any]) -> None:
    idea, comment, challenge = voice_site["idea"], voice_site["comment"], voice_site["challenge"]
    page = new_page("phone")
    sign_in_session(page, voice_site["member"].user)

    def visit(name: str, label: str, **kwargs: Any) -> None:
        page.goto(voice_url(name, partnership, **kwargs))
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page, label)

    def submit_empty(button: str, label: str) -> None:
        page.get_by_role("button", name=button).click()
        expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_be_visible()
        expect(page).to_have_title(re.compile(r"^Error: "))
        assert_accessible(page, label)

    # A member's pages.
    visit("ideas", "idea list")
    page.goto(voice_url("ideas", partnership) + "?q=nothing-matches-this&status=done")
    assert_accessible(page, "idea list, nothing matches")
    visit("idea", "idea page, unnamed author, with discussion and a response", idea_id=idea.pk)
    page.goto(voice_url("idea", partnership, idea_id=idea.pk) + f"?reply_to={comment.pk}")
    page.get_by_role("button", name="Post reply").click()
    expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_be_visible()
    assert_accessible(page, "idea page, empty reply")
    visit("idea", "idea page again", idea_id=idea.pk)
    submit_empty("Post comment", "idea page, empty comment")
    visit("idea-new", "share an idea")
    submit_empty("Share my idea", "share an idea, with errors")
    visit("idea-edit", "change your idea", idea_id=idea.pk)
    visit("idea-withdraw", "withdraw your idea", idea_id=idea.pk)
    visit("comment-flag", "report a comment", comment_id=comment.pk)
    submit_empty("Send to a coordinator", "report a comment, with errors")
    visit("challenges", "challenges")
    visit("challenge", "a challenge with its ideas", challenge_id=challenge.pk)
    visit("challenge-new", "new challenge")
    submit_empty("Publish the question", "new challenge, with errors")
    visit("you-said-we-did", "you said, we did")
    visit("equal-voice", "who is being heard")
    visit("house-rules", "house rules")

    # A coordinator's pages.
    sign_in_session(page, voice_site["coordinator"].user)
    visit("idea", "idea page, seen by a coordinator", idea_id=idea.pk)
    visit("moderation", "moderation queue")
    visit("moderate-comment", "moderate a comment", comment_id=comment.pk)
    submit_empty("Save decision", "moderate a comment, with errors")
    visit("idea-respond", "respond form", idea_id=idea.pk)
    visit("equal-voice", "who is being heard, seen by a coordinator")


def test_supporting_and_following_work_without_javascript(new_page: PageFactory, partnership: Any) -> None:
    author = MembershipFactory(partnership=partnership, is_member=True)
    idea = services.idea_create(actor=author, title="Bus passes for interviews", body="They cost a lot.")
    member = MembershipFactory(partnership=partnership, is_member=True)
    page = new_page("phone", javascript=False)
    sign_in_session(page, member.user)
    page.goto(voice_url("ideas", partnership) + "?sort=supported")
    page.get_by_role("button", name="Support “Bus passes for interviews”").click()
    expect(page).to_have_url(re.compile(re.escape(voice_url("ideas", partnership) + "?sort=supported") + "$"))
    expect(page.get_by_text("1 support, including yours")).to_be_visible()
    assert_accessible(page, "idea list after supporting (no JavaScript)")
    page.get_by_role("link", name="Bus passes for interviews").click()
    page.get_by_role("button", name="Follow this idea").click()
    expect(page.get_by_role("status")).to_contain_text("You are following this idea")
    assert_accessible(page, "idea page after following (no JavaScript)")
    assert Support.objects.filter(idea=idea, user=member.user).count() == 1


def test_following_says_what_pressing_does_and_moderation_offers_only_what_applies(
    page: Page, partnership: Any
) -> None:
    author = MembershipFactory(partnership=partnership, is_member=True)
    idea = services.idea_create(actor=author, title="Bus passes for interviews", body="They cost a lot.")
    member = MembershipFactory(partnership=partnership, is_member=True)
    sign_in_session(page, member.user)

    page.goto(voice_url("idea", partnership, idea_id=idea.pk))
    expect(page.get_by_role("button", name="Follow this idea")).to_be_visible()
    expect(page.get_by_role("button", name="Stop following")).to_have_count(0)
    page.get_by_role("button", name="Follow this idea").click()
    expect(page.get_by_text("You are following this idea: you will hear")).to_be_visible()
    expect(page.get_by_role("button", name="Stop following")).to_be_visible()
    expect(page.get_by_role("button", name="Follow this idea")).to_have_count(0)
    assert_accessible(page, "idea page, following it")

    # "Show my name" starts ticked, so its hint speaks of unticking it.
    page.goto(voice_url("idea-new", partnership))
    expect(page.get_by_role("checkbox", name="Show my name to others")).to_be_checked()
    expect(page.locator("main")).not_to_contain_text("leave this unticked")
    expect(page.locator("main")).to_contain_text("Untick it if you would rather others see")

    # A coordinator moderating a visible idea is offered to hide it, not to show it again.
    coordinator = staff_membership(partnership, role="coordinator")
    sign_in_session(page, coordinator.user)
    page.goto(voice_url("moderate-idea", partnership, idea_id=idea.pk))
    expect(page.get_by_role("radio", name="Hide it from everyone but its author")).to_be_checked()
    expect(page.get_by_role("radio", name="Show it again")).to_have_count(0)
    assert_accessible(page, "moderating a visible idea")
