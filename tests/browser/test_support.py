"""A parent's support plan on a phone: read and add to the plan, agree a check-in, share a part with one
organisation, see a referral's progress and who has read the plan. And the keyworker's side. axe-core on
every page state (support.assert_accessible), at the phone and desktop sizes."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from coproduce.support import services
from coproduce.support.defaults import ensure_defaults
from coproduce.support.models import CheckIn, Goal, OutcomeArea, Share
from tests.browser.conftest import PageFactory
from tests.browser.support import assert_accessible, sign_in_session
from tests.factories import MembershipFactory, OrganisationFactory, staff_membership
from tests.support.world import service_of

pytestmark = pytest.mark.browser


@pytest.fixture
def plan_world(partnership: Any) -> dict[str, Any]:
    ensure_defaults(partnership)
    charity = OrganisationFactory(partnership=partnership, name="One Parent Futures")
    college = OrganisationFactory(partnership=partnership, name="Riverside College")
    keyworker = staff_membership(partnership, role="worker", organisation=charity)
    tutor = staff_membership(partnership, role="worker", organisation=college)
    member = MembershipFactory(partnership=partnership, is_member=True)
    member.user.display_name = "Aisha"
    member.user.save()
    keyworker.user.display_name = "Jamie Reid"
    keyworker.user.save()
    tutor.user.display_name = "Euan Ross"
    tutor.user.save()
    plan = services.plan_start(actor=member)
    services.team_propose(actor=member, plan=plan, person=keyworker, role="keyworker")
    services.about_update(
        actor=member, plan=plan, version=plan.version, what_matters="My two kids.", wants="A job in school hours."
    )
    areas = list(OutcomeArea.objects.filter(partnership=partnership)[:3])
    checkin = services.checkin_create(
        actor=keyworker,
        plan=plan,
        date=datetime.date.today(),
        notes="Talked about courses at the hub.",
        ratings={area.pk: (4, 5, 5) for area in areas},
        with_member=True,
    )
    course = service_of(college, name="Maths in school hours")
    referral = services.referral_create(
        actor=keyworker, plan=plan, service=course, parts=["about"], note="Tuesdays suit her.", member_agrees=True
    )
    services.referral_move(actor=tutor, referral=referral, status="accepted", message="A place in the Tuesday group.")
    plan.refresh_from_db()
    return {
        "member": member,
        "keyworker": keyworker,
        "tutor": tutor,
        "plan": plan,
        "checkin": checkin,
        "referral": referral,
        "college": college,
        "partnership": partnership,
    }


def test_a_parent_reads_adds_to_and_shares_their_plan_on_a_phone(
    new_page: PageFactory, plan_world: dict[str, Any]
) -> None:
    slug = plan_world["partnership"].slug
    plan = plan_world["plan"]
    # Euan at the college opens the referral, which shows what Aisha shared with it: a recorded read.
    tutor_page = new_page("desktop")
    sign_in_session(tutor_page, plan_world["tutor"].user)
    tutor_page.goto(reverse("support:referral", kwargs={"slug": slug, "referral_id": plan_world["referral"].pk}))
    expect(tutor_page.get_by_text("My two kids.")).to_be_visible()
    assert_accessible(tutor_page, "a referral received, with what was shared", both_sizes=False)

    page = new_page("phone")
    sign_in_session(page, plan_world["member"].user)
    page.goto(reverse("support:home", kwargs={"slug": slug}))
    expect(page.get_by_role("heading", level=1)).to_have_text("My support plan")
    assert_accessible(page, "support home, member")
    page.get_by_role("link", name="Open my plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My plan")
    expect(page.get_by_text("A job in school hours.")).to_be_visible()
    assert_accessible(page, "my plan")

    # Add a goal in her own words.
    page.get_by_role("link", name="Add a goal").click()
    assert_accessible(page, "add a goal")
    page.get_by_role("button", name="Save").click()  # empty: a clear message, nothing saved
    expect(page.get_by_role("alert")).to_contain_text("Write the goal in your own words.")
    assert_accessible(page, "add a goal, with an error")
    page.get_by_label("My goal").fill("A part-time job by the summer")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("strong", has_text="A part-time job by the summer")).to_be_visible()
    assert Goal.objects.filter(plan=plan, text="A part-time job by the summer").exists()

    # Agree the check-in Jamie recorded with her.
    page.get_by_role("link", name=re.compile(r"^Check-in of")).click()
    expect(page.get_by_text("Waiting for you to agree.")).to_be_visible()
    assert_accessible(page, "a check-in to agree")
    page.get_by_role("button", name="I agree this check-in").click()
    expect(page.get_by_text("You agreed it.")).to_be_visible()
    assert_accessible(page, "an agreed check-in")
    page.goto(reverse("support:progress", kwargs={"slug": slug, "plan_id": plan.pk}))
    expect(page.get_by_role("heading", level=1)).to_have_text("How far you have come")
    assert_accessible(page, "progress chart")

    # Share her goals with the college, and nothing else.
    page.goto(reverse("support:sharing", kwargs={"slug": slug, "plan_id": plan.pk}))
    assert_accessible(page, "who can see my plan")
    college = plan_world["college"]
    box = page.locator(f"#share-{college.pk}-goals")
    page.locator(f"label[for='share-{college.pk}-goals']").click()
    expect(box).to_be_checked()
    page.get_by_role("button", name="Save for Riverside College").click()
    expect(page.get_by_text("Riverside College can now see only what you ticked.")).to_be_visible()
    assert_accessible(page, "sharing saved")
    live = set(Share.objects.filter(plan=plan, organisation=college, withdrawn_at=None).values_list("part", flat=True))
    assert live == {"about", "goals"}

    # Where the referral stands.
    page.goto(reverse("support:plan", kwargs={"slug": slug, "plan_id": plan.pk}))
    page.get_by_role("link", name=re.compile("Maths in school hours")).click()
    expect(page.get_by_text("A place in the Tuesday group.")).to_be_visible()
    assert_accessible(page, "a referral's progress, member")

    # Who has looked.
    page.goto(reverse("support:reads", kwargs={"slug": slug, "plan_id": plan.pk}))
    expect(page.get_by_role("cell", name="Euan Ross")).to_be_visible()
    assert_accessible(page, "who has looked at my plan")


def test_a_keyworker_sees_their_caseload_and_records_a_check_in(
    new_page: PageFactory, plan_world: dict[str, Any]
) -> None:
    slug = plan_world["partnership"].slug
    page = new_page("phone")
    sign_in_session(page, plan_world["keyworker"].user)
    page.goto(reverse("support:home", kwargs={"slug": slug}))
    expect(page.get_by_role("heading", level=1)).to_have_text("Support")
    assert_accessible(page, "caseload")
    page.get_by_role("link", name="Aisha", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aisha's plan")
    page.get_by_role("link", name="Record a check-in").click()
    assert_accessible(page, "record a check-in")
    page.get_by_label("Date of the check-in").fill("2000-01-01")
    page.get_by_role("button", name="Save the check-in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page, "record a check-in, with an error")
    page.goto(reverse("support:directory", kwargs={"slug": slug}))
    assert_accessible(page, "service directory")


def test_coordinator_and_partner_lead_pages_are_accessible(new_page: PageFactory, plan_world: dict[str, Any]) -> None:
    partnership = plan_world["partnership"]
    slug = partnership.slug
    coordinator = staff_membership(partnership, role="coordinator", organisation=plan_world["college"])
    page = new_page("desktop")
    sign_in_session(page, coordinator.user)
    for name, heading in (
        ("figures", "Support figures"),
        ("settings", "Support settings"),
    ):
        page.goto(reverse(f"support:{name}", kwargs={"slug": slug}))
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert_accessible(page, f"support {name}, coordinator")
    page.get_by_role("link", name=re.compile("^Confidence$")).click()
    assert_accessible(page, "an outcome area's wording")
    page.goto(reverse("support:outcome-area-new", kwargs={"slug": slug}))
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an area to the wheel")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the area's name.")
    assert_accessible(page, "add an outcome area, with errors")
    page.goto(reverse("support:service-new", kwargs={"slug": slug}))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the service's name.")
    assert_accessible(page, "add a service, with errors")


def test_a_parent_records_a_check_in_on_her_own_short_form(page: Any, plan_world: dict[str, Any]) -> None:
    """Issue 19: the parent got the keyworker's form (24 drop-downs, the worker's rating hers to change, only
    the first of several mistakes listed). Now: one drop-down per area, and every mistake at the top."""
    slug = plan_world["partnership"].slug
    plan = plan_world["plan"]
    areas = list(OutcomeArea.objects.filter(partnership=plan_world["partnership"], active=True))
    sign_in_session(page, plan_world["member"].user)
    page.goto(reverse("support:plan", kwargs={"slug": slug, "plan_id": plan.pk}))
    page.get_by_role("link", name="Record a check-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a check-in")
    form = page.locator("main form")
    expect(form.get_by_role("combobox")).to_have_count(len(areas))
    expect(form.get_by_text("The worker's rating")).to_have_count(0)
    expect(form.get_by_text("The point we agree")).to_have_count(0)
    assert_accessible(page, "a parent's check-in form")

    # Three mistakes at once: all three are listed in the error summary, each a link to its field.
    page.get_by_label("Date of the check-in").fill((datetime.date.today() + datetime.timedelta(days=5)).isoformat())
    page.get_by_role("button", name="Save the check-in").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("The date of a check-in cannot be in the future.")
    expect(summary).to_contain_text("Choose a number for at least one area.")
    expect(summary.get_by_role("link")).to_have_count(2)
    assert_accessible(page, "a parent's check-in form, with errors")

    page.get_by_label("Date of the check-in").fill(datetime.date.today().isoformat())
    page.get_by_label(areas[0].name).select_option(label="7 – Getting there")
    page.get_by_label(areas[2].name).select_option("4")
    page.get_by_role("button", name="Save the check-in").click()
    expect(page.get_by_text("Check-in saved.")).to_be_visible()
    checkin = CheckIn.objects.filter(plan=plan).exclude(pk=plan_world["checkin"].pk).get()
    saved = {r.area_id: (r.member_rating, r.worker_rating, r.agreed) for r in checkin.ratings.all()}
    assert saved == {areas[0].pk: (7, None, 7), areas[2].pk: (4, None, 4)}
    assert_accessible(page, "a parent's check-in, saved")


def test_a_keyworker_sees_every_mistake_in_a_check_in_at_once(page: Any, plan_world: dict[str, Any]) -> None:
    slug = plan_world["partnership"].slug
    areas = list(OutcomeArea.objects.filter(partnership=plan_world["partnership"], active=True))
    sign_in_session(page, plan_world["keyworker"].user)
    page.goto(reverse("support:checkin-new", kwargs={"slug": slug, "plan_id": plan_world["plan"].pk}))
    expect(page.locator(".cp-area .cp-optional")).to_have_count(0)  # "the point we agree" is needed, not optional
    page.get_by_label("Date of the check-in").fill((datetime.date.today() + datetime.timedelta(days=5)).isoformat())
    page.locator(f"#id_member_{areas[0].pk}").select_option("4")
    page.locator(f"#id_worker_{areas[1].pk}").select_option("5")
    page.get_by_role("button", name="Save the check-in").click()
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("listitem")).to_have_count(3)
    expect(summary).to_contain_text(f"Choose the point you agree on for {areas[0].name}, from 1 to 10.")
    expect(summary).to_contain_text(f"Choose the point you agree on for {areas[1].name}, from 1 to 10.")
    summary.get_by_role("link", name=re.compile(areas[1].name)).click()
    expect(page.locator(f"#id_agreed_{areas[1].pk}")).to_be_focused()
    assert_accessible(page, "a worker's check-in form, with errors")
