"""The fund's side of the flexible money in a real browser: a coordinator, on her phone, sets up this year's
pot (with a slip first), adds something it may pay for and retires another; a worker declares an interest in a
supplier and withdraws it; a coordinator reads barrier payments in the ledger, added up and naming nobody.
Forms are driven with and without JavaScript; axe-core (WCAG 2.2 AA) checks every page state at the phone
and desktop sizes."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from coproduce.fund import services
from coproduce.fund.models import BarrierCategory, FlexiblePot, InterestDeclaration, Spending
from coproduce.support import services as support
from tests.browser.conftest import PageFactory
from tests.browser.support import assert_accessible, sign_in_session
from tests.factories import OrganisationFactory, staff_membership
from tests.support.money import ask, money_world

pytestmark = pytest.mark.browser

JAVASCRIPT = [pytest.param(True, id="javascript"), pytest.param(False, id="no-javascript")]


def tick(page: Page, name: str, *, checked: bool = True) -> None:
    """Tick (or untick) a checkbox as a person does: the design system draws the box over the label, so
    click that."""
    checkbox = page.get_by_role("checkbox", name=re.compile(re.escape(name)))
    page.locator(f"label[for='{checkbox.get_attribute('id')}']").click()
    expect(checkbox).to_be_checked(checked=checked)


@pytest.mark.parametrize("javascript", JAVASCRIPT)
def test_a_coordinator_sets_up_this_years_pot_on_her_phone(
    new_page: PageFactory, partnership: Any, javascript: bool
) -> None:
    organisation = OrganisationFactory(partnership=partnership, name="Riverside College")
    coordinator = staff_membership(partnership, role="coordinator", organisation=organisation)
    services.contribution_record(
        actor=coordinator,
        organisation=organisation,
        kind="money",
        description="Core grant",
        value_pence=2_000_000,
        received=True,
    )
    slug = partnership.slug
    page = new_page("phone", javascript=javascript)
    sign_in_session(page, coordinator.user)

    page.goto(reverse("fund:flexible", kwargs={"slug": slug}))
    expect(page.get_by_role("heading", level=1)).to_have_text("Flexible money for parents' barriers")
    expect(page.locator("main")).to_contain_text("No flexible money has been set aside yet.")
    assert_accessible(page, "flexible money with no pot")

    page.get_by_role("link", name="Set up this year's flexible money").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up the flexible money")
    assert_accessible(page, "the empty pot form")

    # A slip: a keyworker's limit above a coordinator's. A clear message, nothing saved.
    page.get_by_label("Money set aside for barrier payments, in pounds").fill("5000")
    page.get_by_label("A keyworker may agree up to, in pounds").fill("600")
    page.get_by_label("A coordinator may agree up to, in pounds").fill("500")
    page.get_by_label("Most one parent may receive in the year, in pounds").fill("1000")
    page.get_by_role("button", name="Set it up").click()
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_contain_text("A keyworker's limit cannot be more than a coordinator's.")
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page, "the pot form with an error")
    assert not FlexiblePot.objects.filter(partnership=partnership).exists()

    page.get_by_label("A keyworker may agree up to, in pounds").fill("150")
    page.get_by_role("button", name="Set it up").click()
    expect(page.get_by_text("The flexible money is set up. Now add what it may pay for.")).to_be_visible()
    pot = FlexiblePot.objects.get(partnership=partnership)
    assert (pot.set_aside_pence, pot.keyworker_limit_pence, pot.coordinator_limit_pence, pot.yearly_cap_pence) == (
        500_000,
        15_000,
        50_000,
        100_000,
    )
    assert pot.starts_on <= timezone.localdate() <= pot.ends_on
    limits = page.get_by_role("table", name="The money and the limits")
    expect(limits).to_contain_text("£5,000")
    expect(limits).to_contain_text("£150")
    expect(page.get_by_role("link", name="Set up this year's flexible money")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("Nothing yet: add what the flexible money may pay for.")
    assert_accessible(page, "flexible money with a pot and no categories")

    # What it may pay for: first a slip (no name), then two; one is then retired.
    for name, examples in (("Driving lessons", "Theory test fee"), ("Travel", "Bus pass for the first month")):
        page.get_by_role("link", name="Add something it may pay for").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Add something the flexible money may pay for")
        if name == "Driving lessons":
            page.get_by_role("button", name="Add it").click()
            expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_contain_text(
                "Give the category a name."
            )
            assert_accessible(page, "the category form with an error")
        page.get_by_label("What it pays for").fill(name)
        page.get_by_label("Examples in plain words").fill(examples)
        page.get_by_role("button", name="Add it").click()
        expect(page.get_by_text("The flexible money may now pay for that.")).to_be_visible()
        expect(page.locator("main li").filter(has_text=name)).to_contain_text(examples)
    assert set(BarrierCategory.objects.filter(pot=pot).values_list("name", "active")) == {
        ("Driving lessons", True),
        ("Travel", True),
    }

    page.locator("main li").filter(has_text="Driving lessons").get_by_role("link", name=re.compile("^Change")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change what the flexible money pays for")
    expect(page.get_by_label("What it pays for")).to_have_value("Driving lessons")
    assert_accessible(page, "the category form, changing one")
    tick(page, "Open for new requests", checked=False)
    page.get_by_role("button", name="Save the changes").click()
    expect(page.get_by_text("The category is changed.")).to_be_visible()
    assert not BarrierCategory.objects.get(pot=pot, name="Driving lessons").active
    assert BarrierCategory.objects.get(pot=pot, name="Travel").active
    expect(page.locator("main li").filter(has_text="Driving lessons")).to_contain_text("Retired")
    expect(page.locator("main li").filter(has_text="Travel")).not_to_contain_text("Retired")
    assert_accessible(page, "flexible money with a pot and a retired category")


@pytest.mark.parametrize("javascript", JAVASCRIPT)
def test_a_worker_declares_an_interest_and_withdraws_it(
    new_page: PageFactory, partnership: Any, javascript: bool
) -> None:
    worker = staff_membership(partnership, role="worker")
    page = new_page("phone", javascript=javascript)
    sign_in_session(page, worker.user)

    page.goto(reverse("fund:interests", kwargs={"slug": partnership.slug}))
    expect(page.get_by_role("heading", level=1)).to_have_text("Declared interests in suppliers")
    expect(page.locator("main")).to_contain_text("You have declared no interests.")
    # A worker sees only her own declarations, not everyone's.
    expect(page.get_by_role("heading", name="Everyone's declarations")).to_have_count(0)
    assert_accessible(page, "declared interests, none yet")

    page.get_by_role("button", name="Declare it").click()
    expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_contain_text(
        "Name the supplier you have an interest in."
    )
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page, "the interest form with an error")
    assert not InterestDeclaration.objects.exists()

    page.get_by_label("Supplier you have an interest in").fill("Mill Street  Uniforms")
    page.get_by_role("button", name="Declare it").click()
    expect(page.get_by_text("Your interest is declared.")).to_be_visible()
    declaration = InterestDeclaration.objects.get()
    assert declaration.membership_id == worker.pk
    assert declaration.supplier_key == "mill street uniforms"
    assert declaration.withdrawn_at is None
    own = page.locator("main li").filter(has_text="Mill Street")
    expect(own).to_contain_text("declared")
    assert_accessible(page, "declared interests, one declared")

    page.get_by_role("button", name=re.compile("^Withdraw")).click()
    expect(page.get_by_text("Your declaration is withdrawn")).to_be_visible()
    declaration.refresh_from_db()
    assert declaration.withdrawn_at is not None
    expect(own).to_contain_text("withdrawn")
    expect(page.get_by_role("button", name=re.compile("^Withdraw"))).to_have_count(0)
    assert_accessible(page, "declared interests, one withdrawn")


def test_a_coordinator_reads_barrier_payments_in_the_ledger_naming_nobody(page: Page) -> None:
    world: dict[str, Any] = money_world()
    member = world["people"]["member"]
    for amount in (84_00, 30_00, 45_00, 60_00, 25_00):
        request = ask(world, amount, category="travel", what_for="Bus pass for the first month")
        request = support.barrier_approve(actor=world["people"]["keyworker"], asked=request)
        support.barrier_mark_paid(
            actor=world["people"]["keyworker"],
            asked=request,
            method="supplier",
            paid_on=timezone.localdate(),
            reference=f"RCPT-{amount}",
        )
    assert Spending.objects.filter(partnership=world["partnership"], category="barrier").count() == 5
    sign_in_session(page, world["people"]["coordinator"].user)

    page.goto(reverse("fund:ledger", kwargs={"slug": world["partnership"].slug}))
    expect(page.get_by_role("heading", level=1)).to_have_text("The pooled fund")
    table = page.get_by_role("table", name=re.compile(r"5 payments, £244 in all"))
    expect(table).to_be_visible()
    row = table.get_by_role("row").filter(has_text="Travel")
    expect(row).to_contain_text("5")
    expect(row).to_contain_text("£244")
    main = page.locator("main")
    assert member.user.display_name.strip()
    for words in (member.user.display_name, "RCPT-", "Bus pass for the first month"):
        expect(main).not_to_contain_text(words)
    assert_accessible(page, "the ledger with barrier payments, coordinator")
