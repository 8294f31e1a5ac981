"""Support's report figures (``support.reporting``): plans active and new, referrals made, accepted and
completed, and the distance travelled on the outcome wheel; inside the period only, for the partnership asked
about only, narrowed to an organisation's or a service's referrals, in a fixed number of queries, never with a
plan's or a note's words."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from coproduce.partnerships.models import Partnership
from coproduce.support.models import CheckIn, OutcomeArea, Rating, Referral, ReferralUpdate, Service, SupportPlan
from tests.factories import MembershipFactory, OrganisationFactory, PartnershipFactory
from tests.reports.figures_support import (
    AFTER,
    BEFORE,
    END,
    INSIDE,
    START,
    bases,
    queries_for,
    query,
    section,
    values,
    words,
)

pytestmark = pytest.mark.django_db

KEY = "support"
LONG_AGO = BEFORE - dt.timedelta(days=300)


def _plan(partnership: Partnership, created_at: dt.datetime, **kwargs: Any) -> SupportPlan:
    gone = kwargs.get("left_at") or kwargs.get("erased_at")
    member = None if gone else MembershipFactory(partnership=partnership, is_member=True)
    return SupportPlan.objects.create(partnership=partnership, member=member, created_at=created_at, **kwargs)


def _service(partnership: Partnership, name: str) -> Service:
    organisation = OrganisationFactory(partnership=partnership)
    return Service.objects.create(partnership=partnership, organisation=organisation, name=name, description="Help.")


def _referral(plan: SupportPlan, service: Service, at: dt.datetime, **steps: dt.datetime) -> Referral:
    referral = Referral.objects.create(
        partnership=plan.partnership,
        plan=plan,
        service=service,
        organisation=service.organisation,
        member_agreed_at=at,
        created_at=at,
        note="Quixotic note about her",
    )
    ReferralUpdate.objects.create(referral=referral, status="sent", at=at)
    for status, moment in steps.items():
        ReferralUpdate.objects.create(referral=referral, status=status, at=moment)
    return referral


def _checkin(plan: SupportPlan, day: dt.date, ratings: dict[OutcomeArea, int], agreed: bool = True) -> CheckIn:
    checkin = CheckIn.objects.create(
        plan=plan, date=day, notes="Zzyzx check-in notes", agreed_at=INSIDE if agreed else None
    )
    for area, value in ratings.items():
        Rating.objects.create(checkin=checkin, area=area, agreed=value, member_rating=value)
    return checkin


@pytest.fixture
def world(partnership: Partnership) -> dict[str, Any]:
    plans = {
        "old": _plan(partnership, LONG_AGO),  # active all along
        "new": _plan(partnership, INSIDE),  # started in the period
        "offered": _plan(partnership, INSIDE, status="proposed"),  # new, not yet active
        "later": _plan(partnership, AFTER),  # started after
        "left": _plan(partnership, LONG_AGO, left_at=BEFORE),  # closed before the period
        "erased": _plan(partnership, LONG_AGO, erased_at=INSIDE),  # active until erased in the period
        "accepted_later": _plan(partnership, LONG_AGO, accepted_at=AFTER),  # offered long ago, accepted after
    }
    courses, advice = _service(partnership, "Short courses"), _service(partnership, "Money advice")
    _referral(plans["old"], courses, INSIDE, accepted=INSIDE, completed=AFTER)
    _referral(plans["new"], advice, BEFORE, accepted=BEFORE, completed=INSIDE)
    _referral(plans["old"], advice, AFTER)
    _referral(plans["new"], courses, INSIDE)
    confidence = OutcomeArea.objects.create(partnership=partnership, key="confidence", name="Confidence")
    money = OutcomeArea.objects.create(partnership=partnership, key="money", name="Money", order=1)
    old, new = plans["old"], plans["new"]
    _checkin(old, START - dt.timedelta(days=30), {confidence: 1})  # before the period: not the first rating
    _checkin(old, dt.date(2026, 1, 10), {confidence: 3, money: 2})
    _checkin(old, dt.date(2026, 2, 10), {confidence: 5, money: 2})
    _checkin(old, dt.date(2026, 3, 10), {confidence: 6})
    _checkin(old, dt.date(2026, 3, 20), {confidence: 10}, agreed=False)  # not agreed by her: not counted
    _checkin(new, START, {confidence: 4})
    _checkin(new, END, {confidence: 3})
    _checkin(plans["erased"], dt.date(2026, 1, 3), {confidence: 9})  # one check-in only
    # Another partnership's plans, referrals and check-ins never count.
    other = PartnershipFactory()
    elsewhere = _plan(other, INSIDE)
    _referral(elsewhere, _service(other, "Elsewhere"), INSIDE, accepted=INSIDE, completed=INSIDE)
    other_area = OutcomeArea.objects.create(partnership=other, key="confidence", name="Confidence")
    _checkin(elsewhere, START, {other_area: 1})
    _checkin(elsewhere, END, {other_area: 10})
    return {"courses": courses, "advice": advice}


def test_partnership_figures(partnership: Partnership, world: dict[str, Any]) -> None:
    tables = section(KEY).tables(query(partnership.pk))
    found, basis = values(tables), bases(tables)

    assert (found["support.plans/active"], found["support.plans/new"]) == (3, 2)
    assert found["support.referrals/made"] == 2
    assert found["support.referrals/accepted"] == 1
    assert found["support.referrals/completed"] == 1
    # Confidence: +3 (3 → 6) and −1 (4 → 3), an average of 1.0 over two people; money: 0 over one.
    assert (found["support.distance/area_confidence"], basis["support.distance/area_confidence"]) == (1.0, 2)
    assert (found["support.distance/area_money"], basis["support.distance/area_money"]) == (0.0, 1)


def test_narrowed_to_an_organisation(partnership: Partnership, world: dict[str, Any]) -> None:
    courses = world["courses"]
    found = values(
        section(KEY).tables(query(partnership.pk, scope="organisation", organisation_id=courses.organisation_id))
    )

    assert (found["support.referrals/made"], found["support.referrals/accepted"]) == (2, 1)
    assert found["support.referrals/completed"] == 0
    assert found["support.plans/active"] == 2  # the two people referred to it


def test_narrowed_to_a_service(partnership: Partnership, world: dict[str, Any]) -> None:
    tables = section(KEY).tables(query(partnership.pk, scope="service", service_id=world["advice"].pk))
    found, basis = values(tables), bases(tables)

    assert (found["support.referrals/made"], found["support.referrals/accepted"]) == (0, 0)
    assert found["support.referrals/completed"] == 1
    # Referred to it by the end of the period: the new plan only (the other referral came after).
    assert (found["support.plans/active"], found["support.plans/new"]) == (1, 1)
    assert (found["support.distance/area_confidence"], basis["support.distance/area_confidence"]) == (-1.0, 1)
    assert found["support.distance/area_money"] is None
    assert set(section(KEY).scopes) == {"partnership", "organisation", "service"}


def test_first_and_last_follow_the_check_in_dates_then_the_order_they_were_made(partnership: Partnership) -> None:
    area = OutcomeArea.objects.create(partnership=partnership, key="confidence", name="Confidence")
    plan = _plan(partnership, BEFORE)
    _checkin(plan, dt.date(2026, 3, 1), {area: 10})
    _checkin(plan, dt.date(2026, 3, 1), {area: 7})  # the same day, made later: the last
    _checkin(plan, dt.date(2026, 1, 5), {area: 2})  # made last, dated first: the first
    other = _plan(partnership, BEFORE)
    _checkin(other, dt.date(2026, 2, 1), {area: 10})
    _checkin(other, dt.date(2026, 2, 1), {area: 1})

    tables = section(KEY).tables(query(partnership.pk))

    # (7 − 2) and (1 − 10): an average of −2.0 over two people.
    assert values(tables)["support.distance/area_confidence"] == -2.0
    assert bases(tables)["support.distance/area_confidence"] == 2


def test_no_plan_words_in_the_tables(partnership: Partnership, world: dict[str, Any]) -> None:
    SupportPlan.objects.filter(partnership=partnership).update(what_matters="Xylophone words about me")

    seen = words(section(KEY).tables(query(partnership.pk)))

    for private in ("Quixotic", "Zzyzx", "Xylophone", "Short courses", "Money advice"):
        assert private not in seen


def _activity(partnership: Partnership, n: int) -> None:
    service = _service(partnership, "Courses")
    area = OutcomeArea.objects.create(partnership=partnership, key="confidence", name="Confidence")
    for _ in range(n):
        plan = _plan(partnership, INSIDE)
        _referral(plan, service, INSIDE, accepted=INSIDE, completed=INSIDE)
        _checkin(plan, START, {area: 2})
        _checkin(plan, END, {area: 5})


@pytest.mark.parametrize("scope", ["partnership", "service"])
def test_the_number_of_queries_does_not_grow_with_the_data(partnership: Partnership, scope: str) -> None:
    bigger = PartnershipFactory()
    _activity(partnership, 1)
    _activity(bigger, 50)

    def asked(p: Partnership) -> Any:
        service_id = Service.objects.get(partnership=p).pk if scope == "service" else None
        return query(p.pk, scope=scope, service_id=service_id)

    small, big = asked(partnership), asked(bigger)
    one = queries_for(lambda: section(KEY).tables(small))
    fifty = queries_for(lambda: section(KEY).tables(big))

    assert one == fifty <= 5
    tables = section(KEY).tables(big)
    assert values(tables)["support.distance/area_confidence"] == 3.0
    assert bases(tables)["support.distance/area_confidence"] == 50
