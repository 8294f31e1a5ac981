"""Support pages: the forms a person fills in, their bad input (clear message, nothing half-saved, never a
500), the stale-edit page, the chart, caseload query counts and the downloads."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.urls import reverse

from coproduce.core.exceptions import ServiceError
from coproduce.datarights.models import ErasureRequest
from coproduce.support import services
from coproduce.support.models import Action, CheckIn, Goal, PlanRead, Referral, SupportPlan, TeamMember
from tests.conftest import signed_in
from tests.factories import MembershipFactory, OrganisationFactory, PartnershipFactory
from tests.support.world import SECRETS, build_world, service_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, Any]:
    return build_world()


def url(world: dict[str, Any], name: str, **kwargs: Any) -> str:
    return reverse(f"support:{name}", kwargs={"slug": world["partnership"].slug, **kwargs})


def as_(world: dict[str, Any], who: str) -> Any:
    return signed_in(world["people"][who].user)


def test_a_member_starts_their_plan_from_the_support_page(partnership: Any, member: Any) -> None:
    client = signed_in(member.user)
    home = client.get(reverse("support:home", kwargs={"slug": partnership.slug}))
    assert "Start my plan" in home.content.decode()
    response = client.post(reverse("support:plan-start", kwargs={"slug": partnership.slug}))
    plan = SupportPlan.objects.get(member=member)
    assert response.status_code == 302 and response["Location"].endswith(f"/plans/{plan.pk}/")


def test_a_stale_edit_shows_the_newer_version_and_keeps_what_was_typed(world: dict[str, Any]) -> None:
    plan = world["plan"]
    plan.refresh_from_db()
    old_version = plan.version
    services.about_update(
        actor=world["people"]["keyworker"], plan=plan, version=old_version, wants="Saved by Jamie first"
    )
    response = as_(world, "member").post(
        url(world, "about-edit", plan_id=plan.pk), {"version": old_version, "wants": "What I typed meanwhile"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else saved a change" in html
    assert "Saved by Jamie first" in html  # the newer version is shown
    assert "What I typed meanwhile" in html  # and nothing the member typed is lost
    assert f'value="{old_version + 1}"' in html  # saving again builds on the newer version
    plan.refresh_from_db()
    assert plan.wants == "Saved by Jamie first"
    again = as_(world, "member").post(
        url(world, "about-edit", plan_id=plan.pk), {"version": old_version + 1, "wants": "What I typed meanwhile"}
    )
    assert again.status_code == 302
    plan.refresh_from_db()
    assert plan.wants == "What I typed meanwhile"


def test_goal_and_action_forms_show_date_problems_next_to_the_field(world: dict[str, Any]) -> None:
    client = as_(world, "member")
    future = (datetime.date.today() + datetime.timedelta(days=20)).isoformat()
    later = (datetime.date.today() + datetime.timedelta(days=40)).isoformat()
    response = client.post(
        url(world, "goal-new", plan_id=world["plan"].pk), {"text": "A course", "target_date": future}
    )
    assert response.status_code == 302
    goal = Goal.objects.get(text="A course")
    response = client.post(
        url(world, "action-new", plan_id=world["plan"].pk),
        {"text": "Enrol", "owner": "member", "goal": goal.pk, "due": later},
    )
    assert response.status_code == 200
    assert "due after the goal" in response.content.decode()
    assert not Action.objects.filter(text="Enrol").exists()
    response = client.post(
        url(world, "goal-new", plan_id=world["plan"].pk), {"text": "Odd", "target_date": "31-02-2026"}
    )
    assert response.status_code == 200 and "Enter a real date" in response.content.decode()


def test_a_check_in_with_a_rating_outside_1_to_10_is_refused_on_the_page(world: dict[str, Any]) -> None:
    area = world["area"]
    before = CheckIn.objects.count()
    response = as_(world, "keyworker").post(
        url(world, "checkin-new", plan_id=world["plan"].pk),
        {"date": datetime.date.today().isoformat(), f"member_{area.pk}": "11", f"agreed_{area.pk}": "5"},
    )
    assert response.status_code == 200
    assert f"Give a number from 1 to 10 for {area.name}." in response.content.decode()
    assert CheckIn.objects.count() == before


def test_the_member_agrees_a_check_in_on_its_page(world: dict[str, Any]) -> None:
    checkin, area = world["checkin"], world["area"]
    page = as_(world, "member").get(url(world, "checkin", checkin_id=checkin.pk))
    assert "I agree this check-in" in page.content.decode()
    response = as_(world, "member").post(url(world, "checkin", checkin_id=checkin.pk), {f"agreed_{area.pk}": "6"})
    assert response.status_code == 302
    checkin.refresh_from_db()
    assert checkin.agreed_at is not None
    # Only the member agrees: the keyworker's POST is out of reach.
    assert as_(world, "keyworker").post(url(world, "checkin", checkin_id=checkin.pk), {}).status_code == 404


def test_the_progress_chart_has_a_data_table_and_refuses_a_backwards_period(world: dict[str, Any]) -> None:
    services.checkin_agree(actor=world["people"]["member"], checkin=world["checkin"])
    client = as_(world, "member")
    page = client.get(url(world, "progress", plan_id=world["plan"].pk)).content.decode()
    assert "<svg" in page and "<polyline" in page and "<table" in page and 'style="' not in page
    response = client.get(
        url(world, "progress", plan_id=world["plan"].pk), {"start": "2026-05-01", "end": "2026-01-01"}
    )
    assert response.status_code == 200
    assert "The end date must be the same as or after the start date." in response.content.decode()


def test_referral_form_bad_input(world: dict[str, Any]) -> None:
    client = as_(world, "keyworker")
    new = url(world, "referral-new", plan_id=world["plan"].pk)
    before = Referral.objects.count()
    response = client.post(new, {"service": world["service"].pk, "parts": ["about"]})
    assert response.status_code == 200 and "only be sent when the member agrees" in response.content.decode()
    other = service_of(OrganisationFactory(partnership=PartnershipFactory()), name="Elsewhere")
    response = client.post(new, {"service": other.pk, "member_agrees": "on"})
    assert response.status_code == 200 and "Choose a service from this partnership" in response.content.decode()
    assert Referral.objects.count() == before
    response = client.post(new, {"service": world["service"].pk, "parts": ["goals"], "member_agrees": "on"})
    assert response.status_code == 302 and Referral.objects.count() == before + 1


def test_a_closed_referral_cannot_be_changed_again_on_its_page(world: dict[str, Any]) -> None:
    referral = world["referral"]
    services.referral_move(actor=world["people"]["member"], referral=referral, status="closed")
    client = as_(world, "shared_worker")
    page = client.get(url(world, "referral", referral_id=referral.pk))
    assert "cannot change again" in page.content.decode()
    response = client.post(url(world, "referral", referral_id=referral.pk), {"do": "move", "status": "accepted"})
    assert response.status_code == 200 and "cannot change again" in response.content.decode()
    response = client.post(url(world, "referral", referral_id=referral.pk), {"do": "message", "message": "Hello"})
    assert response.status_code == 200
    referral.refresh_from_db()
    assert referral.status == "closed"


def test_the_receiver_moves_a_referral_on_and_the_member_sees_it(world: dict[str, Any]) -> None:
    referral = world["referral"]
    client = as_(world, "shared_worker")
    response = client.post(url(world, "referral", referral_id=referral.pk), {"do": "move", "status": "declined"})
    assert response.status_code == 200 and "Say why the referral is declined" in response.content.decode()
    response = client.post(
        url(world, "referral", referral_id=referral.pk),
        {"do": "move", "status": "accepted", "message": "Call us Monday"},
    )
    assert response.status_code == 302
    page = as_(world, "member").get(url(world, "referral", referral_id=referral.pk)).content.decode()
    assert "Accepted" in page and "Call us Monday" in page


def test_sharing_page_withdraws_and_cuts_access_at_once(world: dict[str, Any]) -> None:
    org = world["orgs"]["shared"]
    plan_url = url(world, "plan", plan_id=world["plan"].pk)
    assert as_(world, "shared_worker").get(plan_url).status_code == 200
    response = as_(world, "member").post(url(world, "sharing", plan_id=world["plan"].pk), {"organisation": org.pk})
    assert response.status_code == 302
    assert as_(world, "shared_worker").get(plan_url).status_code == 404


def test_the_caseload_takes_the_same_number_of_queries_for_3_or_30_members(
    world: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    keyworker = world["people"]["keyworker"]
    client = signed_in(keyworker.user)
    home = url(world, "home")
    client.get(home)

    def add(n: int) -> None:
        for _ in range(n):
            member = MembershipFactory(partnership=world["partnership"])
            plan = services.plan_start(actor=member)
            services.team_propose(actor=member, plan=plan, person=keyworker, role="keyworker")
            services.action_create(actor=member, plan=plan, text="Call", due=datetime.date.today())
            services.referral_create(actor=member, plan=plan, service=world["service"], parts=[], member_agrees=True)

    add(2)
    with django_assert_max_num_queries(14) as small:
        assert client.get(home).status_code == 200
    count = len(small.captured_queries)
    assert count > 5  # the count was really taken
    add(27)
    with django_assert_max_num_queries(count):
        page = client.get(home)
    assert page.content.decode().count("/support/plans/") >= 30


def test_the_caseload_shows_no_words_of_a_plan_so_who_has_looked_stays_true(world: dict[str, Any]) -> None:
    plan, keyworker, member = world["plan"], world["people"]["keyworker"], world["people"]["member"]
    words = "Ring the college about the January course"
    services.action_create(actor=member, plan=plan, text=words, due=datetime.date.today())
    reads = PlanRead.objects.filter(plan=plan).count()
    html = as_(world, "keyworker").get(url(world, "home")).content.decode()
    assert member.user.display_name in html and f"/support/plans/{plan.pk}/#actions" in html  # the action is listed
    assert words not in html and SECRETS["actions"] not in html  # but not what it says
    assert PlanRead.objects.filter(plan=plan).count() == reads
    # The plan page shows the words, and the member sees the keyworker's visit.
    assert words in as_(world, "keyworker").get(url(world, "plan", plan_id=plan.pk)).content.decode()
    assert PlanRead.objects.filter(plan=plan).count() == reads + 1
    assert PlanRead.objects.filter(plan=plan).first().reader_id == keyworker.user_id  # type: ignore[union-attr]


def test_the_plan_page_takes_a_fixed_number_of_queries(
    world: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    client = as_(world, "keyworker")
    plan_url = url(world, "plan", plan_id=world["plan"].pk)
    client.get(plan_url)
    with django_assert_max_num_queries(20) as first:
        client.get(plan_url)
    count = len(first.captured_queries)
    assert count > 5
    member = world["people"]["member"]
    for n in range(10):
        services.goal_create(actor=member, plan=world["plan"], text=f"Goal {n}")
        services.action_create(actor=member, plan=world["plan"], text=f"Action {n}")
    with django_assert_max_num_queries(count):
        client.get(plan_url)


def test_my_data_download_and_page(world: dict[str, Any]) -> None:
    client = as_(world, "member")
    response = client.get(url(world, "my-data-json"))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["plan"]["about_me"]["what_matters"].startswith("ABOUT-")
    page = client.get(url(world, "my-data"))
    assert "Ask for my data to be erased" in page.content.decode()


def test_erasure_through_the_pages(world: dict[str, Any]) -> None:
    member, coordinator = as_(world, "member"), as_(world, "coordinator")
    assert member.post(rights(world, "erasure")).status_code == 302
    listed = coordinator.get(rights(world, "erasures")).content.decode()
    erasure = ErasureRequest.objects.get()
    assert rights(world, "erasure-confirm", erasure_id=erasure.pk) in listed
    assert (
        "Confirm and erase" in coordinator.get(rights(world, "erasure-confirm", erasure_id=erasure.pk)).content.decode()
    )
    assert coordinator.post(rights(world, "erasure-confirm", erasure_id=erasure.pk)).status_code == 302
    world["plan"].refresh_from_db()
    assert world["plan"].erased_at is not None
    assert member.get(url(world, "plan", plan_id=world["plan"].pk)).status_code == 404


def test_after_erasure_no_page_a_coordinator_opens_links_the_member_to_the_plan(world: dict[str, Any]) -> None:
    person = world["people"]["member"].user
    plan = world["plan"]
    services.plan_read_record(reader=world["people"]["keyworker"], plan=plan, parts=["goals"], page="plan")
    as_(world, "member").post(rights(world, "erasure"))
    coordinator = as_(world, "coordinator")
    audit = reverse("partnerships:audit", kwargs={"slug": world["partnership"].slug})
    before = coordinator.get(audit).content.decode()
    assert person.display_name in before  # the test would catch her name if it stayed
    coordinator.post(rights(world, "erasure-confirm", erasure_id=ErasureRequest.objects.get().pk))
    pages = [audit, url(world, "home"), rights(world, "erasures"), url(world, "figures")]
    for address in pages:
        response = coordinator.get(address)
        assert response.status_code == 200, address
        html = response.content.decode()
        assert person.display_name not in html and person.email not in html, address
    html = coordinator.get(audit).content.decode()
    assert "Someone (erased) asked for their data to be erased." in html
    for name, kwargs in (("plan", {"plan_id": plan.pk}), ("referral", {"referral_id": world["referral"].pk})):
        assert coordinator.get(url(world, name, **kwargs)).status_code == 404


def test_confirming_an_erasure_nobody_asked_for_is_a_404(world: dict[str, Any]) -> None:
    response = as_(world, "coordinator").post(rights(world, "erasure-confirm", erasure_id=1))
    assert response.status_code == 404


def rights(world: dict[str, Any], name: str, **kwargs: Any) -> str:
    return reverse(f"datarights:{name}", kwargs={"slug": world["partnership"].slug, **kwargs})


def test_directory_filters_by_need(world: dict[str, Any]) -> None:
    from coproduce.support.models import NeedTag

    tag = NeedTag.objects.get(partnership=world["partnership"], key="childcare")
    childcare = service_of(world["orgs"]["other"], name="Short-notice childcare")
    childcare.needs.add(tag)
    client = as_(world, "member")
    everything = client.get(url(world, "directory")).content.decode()
    assert "Short-notice childcare" in everything and world["service"].name in everything
    filtered = client.get(url(world, "directory"), {"need": "childcare"}).content.decode()
    assert "Short-notice childcare" in filtered and world["service"].name not in filtered
    odd = client.get(url(world, "directory"), {"need": "<script>"})
    assert odd.status_code == 200


def test_a_member_who_is_also_a_worker_starts_their_own_plan_too(partnership: Any) -> None:
    from tests.factories import staff_membership

    kerry = staff_membership(partnership, role="worker", is_member=True)
    assert kerry.is_member and kerry.is_worker
    client = signed_in(kerry.user)
    page = client.get(reverse("support:home", kwargs={"slug": partnership.slug})).content.decode()
    assert "Start my plan" in page and "My members" in page
    assert client.post(reverse("support:plan-start", kwargs={"slug": partnership.slug})).status_code == 302
    assert SupportPlan.objects.filter(member=kerry).exists()


def test_an_observer_sees_figures_not_plans(world: dict[str, Any]) -> None:
    page = as_(world, "observer").get(url(world, "home")).content.decode()
    assert "Figures for the partnership" in page and "Start my plan" not in page
    figures = as_(world, "observer").get(url(world, "figures")).content.decode()
    assert "ABOUT-" not in figures and "GOAL-" not in figures


def test_a_partner_lead_adds_and_changes_their_organisations_services(world: dict[str, Any]) -> None:
    from coproduce.support.models import Service
    from tests.factories import staff_membership

    lead = staff_membership(world["partnership"], role="partner_lead", organisation=world["orgs"]["shared"])
    client = signed_in(lead.user)
    new = url(world, "service-new")
    form = {
        "organisation": world["orgs"]["shared"].pk,
        "name": "Interview clothes",
        "description": "Smart clothes to borrow for interviews.",
        "is_free": "on",
        "needs": [],
        "location_name": "The hub",
        "opening_times": "Mon 10–12",
        "email": "not-an-email",
    }
    response = client.post(new, form)
    assert response.status_code == 200 and "Enter an email address" in response.content.decode()
    assert not Service.objects.filter(name="Interview clothes").exists()
    response = client.post(new, {**form, "email": "hub@example.org"})
    assert response.status_code == 302
    service = Service.objects.get(name="Interview clothes")
    assert service.organisation == world["orgs"]["shared"] and service.locations.get().opening_times == "Mon 10–12"
    # Another organisation is not theirs to choose.
    response = client.post(new, {**form, "name": "Other", "organisation": world["orgs"]["other"].pk})
    assert response.status_code == 200 and not Service.objects.filter(name="Other").exists()
    edit = url(world, "service-edit", service_id=service.pk)
    assert client.post(edit, {**form, "email": "", "name": "Interview clothes and bags"}).status_code == 302
    service.refresh_from_db()
    assert service.name == "Interview clothes and bags"
    other_service = service_of(world["orgs"]["other"], name="Not theirs")
    assert client.get(url(world, "service-edit", service_id=other_service.pk)).status_code == 404


def test_a_coordinator_rewords_an_area_of_the_outcome_wheel(world: dict[str, Any]) -> None:
    area = world["area"]
    client = as_(world, "coordinator")
    edit = url(world, "outcome-area-edit", area_id=area.pk)
    stages = {f"stage_{i}": f"Stage {i}" for i in range(1, 6)}
    response = client.post(edit, {"name": "Self-belief", **stages, "stage_3": "", "active": "on"})
    assert response.status_code == 200 and "Name this stage." in response.content.decode()
    area.refresh_from_db()
    assert area.name != "Self-belief"
    assert client.post(edit, {"name": "Self-belief", **stages, "active": "on"}).status_code == 302
    area.refresh_from_db()
    assert area.name == "Self-belief" and area.stages == [f"Stage {i}" for i in range(1, 6)]
    assert area.stage_for(6) == "Stage 3"
    assert as_(world, "keyworker").get(edit).status_code == 404
    assert as_(world, "other_partnership_staff").get(edit).status_code == 404


def test_a_coordinator_adds_an_area_to_the_outcome_wheel(world: dict[str, Any]) -> None:
    from coproduce.core.models import AuditEvent
    from coproduce.support.models import OutcomeArea

    client = as_(world, "coordinator")
    new = url(world, "outcome-area-new")
    assert client.get(new).status_code == 200
    stages = {f"stage_{i}": f"Stage {i}" for i in range(1, 6)}
    before = OutcomeArea.objects.filter(partnership=world["partnership"]).count()
    # A missing stage: told which, nothing saved.
    response = client.post(new, {"name": "Housing", **stages, "stage_5": ""})
    assert response.status_code == 200 and "Name this stage." in response.content.decode()
    assert OutcomeArea.objects.filter(partnership=world["partnership"]).count() == before
    # Added after the others, in use at once, audited.
    assert client.post(new, {"name": "Housing", "question": "Is home settled?", **stages}).status_code == 302
    areas = list(OutcomeArea.objects.filter(partnership=world["partnership"]))
    assert len(areas) == before + 1
    housing = areas[-1]
    assert (housing.name, housing.key, housing.active) == ("Housing", "housing", True)
    assert housing.stages == [f"Stage {i}" for i in range(1, 6)]
    assert AuditEvent.objects.filter(action="support.outcome_area_added", target_id=str(housing.pk)).exists()
    # The same name again (in any case) is refused with a clear message.
    response = client.post(new, {"name": "HOUSING", **stages})
    assert response.status_code == 200 and "already has an area with that name" in response.content.decode()
    assert OutcomeArea.objects.filter(partnership=world["partnership"]).count() == before + 1
    # Only coordinators of this partnership.
    assert as_(world, "keyworker").post(new, {"name": "Other", **stages}).status_code == 404
    assert as_(world, "other_partnership_staff").get(new).status_code == 404


def test_adding_the_first_area_keeps_the_default_wheel(db: Any) -> None:
    from coproduce.support.defaults import AREAS
    from coproduce.support.models import OutcomeArea
    from tests.factories import PartnershipFactory, staff_membership

    coordinator = staff_membership(PartnershipFactory(), role="coordinator")
    area = services.outcome_area_create(
        actor=coordinator, name="Housing", question="", stages=[f"Stage {i}" for i in range(1, 6)]
    )
    names = list(OutcomeArea.objects.filter(partnership=coordinator.partnership).values_list("name", flat=True))
    assert len(names) == len(AREAS) + 1 and names[-1] == "Housing" == area.name


@pytest.mark.parametrize(
    "stored", ["javascript:alert(1)", " JAVASCRIPT:alert(1)", "data:text/html,hi", "//evil.example", "ftp://a.example"]
)
def test_a_stored_website_that_is_not_an_http_address_is_never_a_link(world: dict[str, Any], stored: str) -> None:
    """Issue 16: an imported "javascript:" website was shown as a link. Data saved before the import checked
    it may still hold one: the page makes no link of it."""
    service = world["service"]
    service.url = stored
    service.save(update_fields=["url"])
    page = as_(world, "member").get(url(world, "service", service_id=service.pk)).content.decode()
    assert stored.strip() not in page and "Website" not in page
    service.url = "https://college.example/courses"
    service.save(update_fields=["url"])
    page = as_(world, "member").get(url(world, "service", service_id=service.pk)).content.decode()
    assert '<a href="https://college.example/courses">https://college.example/courses</a>' in page


@pytest.mark.parametrize("typed", ["javascript:alert(1)", "ftp://files.example/leaflet.pdf", "https://" + "a" * 300])
def test_the_service_form_takes_only_http_web_addresses(world: dict[str, Any], typed: str) -> None:
    from coproduce.core.exceptions import ServiceError
    from coproduce.support.models import Service

    client = as_(world, "coordinator")
    form = {
        "organisation": world["orgs"]["shared"].pk,
        "name": "Interview clothes",
        "description": "Smart clothes to borrow for interviews.",
        "url": typed,
    }
    response = client.post(url(world, "service-new"), form)
    assert response.status_code == 200
    assert not Service.objects.filter(name="Interview clothes").exists()
    with pytest.raises(ServiceError) as error:  # and the service checks it again
        services.service_save(
            actor=world["people"]["coordinator"],
            organisation=world["orgs"]["shared"],
            name="Interview clothes",
            description="Smart clothes.",
            url=typed,
        )
    assert error.value.field == "url"


@pytest.mark.parametrize("value", ["abc", "", "1e3", "-1"])
@pytest.mark.parametrize("todo", ["agree", "end"])
def test_agreeing_or_ending_a_team_place_that_is_not_a_number_is_a_404(
    world: dict[str, Any], todo: str, value: str
) -> None:
    plan = world["plan"]
    response = as_(world, "member").post(url(world, "team", plan_id=plan.pk), {"do": todo, "team_member": value})
    assert response.status_code == 404
    assert TeamMember.objects.get(pk=world["keyworker_row"].pk).ended_at is None


def test_a_member_gets_her_own_short_check_in_form(world: dict[str, Any]) -> None:
    areas = list(world["area"].partnership.outcome_areas.filter(active=True))
    page = as_(world, "member").get(url(world, "checkin-new", plan_id=world["plan"].pk)).content.decode()
    # One drop-down per area, named by the area, each number naming its stage; nothing of the worker's.
    main = page[page.index('id="main-content"') :]  # the language switcher above it is a drop-down too
    assert main.count("<select") == len(areas)
    assert "worker's rating" not in page and "point we agree" not in page
    assert f'name="member_{areas[0].pk}"' in page and f'name="worker_{areas[0].pk}"' not in page
    assert "7 – Getting there" in page
    response = as_(world, "member").post(
        url(world, "checkin-new", plan_id=world["plan"].pk),
        {"date": datetime.date.today().isoformat(), f"member_{areas[0].pk}": "7", f"member_{areas[1].pk}": "3"},
    )
    assert response.status_code == 302
    checkin = CheckIn.objects.filter(plan=world["plan"]).exclude(pk=world["checkin"].pk).get()
    assert checkin.agreed_at is not None
    ratings = {r.area_id: (r.member_rating, r.worker_rating, r.agreed) for r in checkin.ratings.all()}
    assert ratings == {areas[0].pk: (7, None, 7), areas[1].pk: (3, None, 3)}


def test_a_member_cannot_give_the_workers_rating_by_posting_it(world: dict[str, Any]) -> None:
    area = world["area"]
    before = CheckIn.objects.count()
    response = as_(world, "member").post(
        url(world, "checkin-new", plan_id=world["plan"].pk),
        {"date": datetime.date.today().isoformat(), f"member_{area.pk}": "6", f"worker_{area.pk}": "2"},
    )
    assert response.status_code == 302  # the field is not on her form: ignored, not saved
    checkin = CheckIn.objects.filter(plan=world["plan"]).exclude(pk=world["checkin"].pk).get()
    assert [(r.member_rating, r.worker_rating) for r in checkin.ratings.all()] == [(6, None)]
    assert CheckIn.objects.count() == before + 1
    with pytest.raises(ServiceError) as error:
        services.checkin_create(
            actor=world["people"]["member"],
            plan=world["plan"],
            date=datetime.date.today(),
            ratings={area.pk: (6, 2, None)},
        )
    assert error.value.code == "worker_only"


@pytest.mark.parametrize("who", ["member", "keyworker"])
def test_every_mistake_in_a_check_in_is_listed_at_once(world: dict[str, Any], who: str) -> None:
    areas = list(world["area"].partnership.outcome_areas.filter(active=True))
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    if who == "member":
        data = {"date": future, f"member_{areas[0].pk}": "11", f"member_{areas[1].pk}": "0"}
        expected = [
            "The date of a check-in cannot be in the future.",
            f"Choose a number from 1 to 10 for {areas[0].name}.",
            f"Choose a number from 1 to 10 for {areas[1].name}.",
        ]
    else:
        data = {
            "date": future,
            f"member_{areas[0].pk}": "4",
            f"worker_{areas[1].pk}": "5",
            f"member_{areas[2].pk}": "12",
            f"agreed_{areas[2].pk}": "5",
        }
        expected = [
            "The date of a check-in cannot be in the future.",
            f"Choose the point you agree on for {areas[0].name}, from 1 to 10.",
            f"Choose the point you agree on for {areas[1].name}, from 1 to 10.",
            f"Give a number from 1 to 10 for {areas[2].name}.",
        ]
    before = CheckIn.objects.count()
    response = as_(world, who).post(url(world, "checkin-new", plan_id=world["plan"].pk), data)
    assert response.status_code == 200
    page = response.content.decode()
    summary = page[page.index('class="ds_error-summary"') : page.index("</ul>", page.index('class="ds_error-summary"'))]
    for message in expected:
        assert message in summary, message
    assert summary.count("<li>") == len(expected)
    assert f'value="{future}"' in page  # what was typed is kept
    assert CheckIn.objects.count() == before


@pytest.mark.parametrize("who", ["member", "keyworker"])
def test_a_check_in_with_nothing_rated_says_so(world: dict[str, Any], who: str) -> None:
    response = as_(world, who).post(
        url(world, "checkin-new", plan_id=world["plan"].pk), {"date": datetime.date.today().isoformat()}
    )
    assert response.status_code == 200
    assert "at least one area" in response.content.decode()


def test_the_workers_agreed_point_is_not_marked_optional(world: dict[str, Any]) -> None:
    page = as_(world, "keyworker").get(url(world, "checkin-new", plan_id=world["plan"].pk)).content.decode()
    assert "The point we agree" in page and "Needed for each area you rate." in page
    assert "(optional)" not in page[page.index("cp-area") : page.index("Save the check-in")]
