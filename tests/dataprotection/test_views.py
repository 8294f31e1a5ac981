"""Data protection's pages: every POST as every role, forms that keep what was typed and list every error,
another partnership's coordinator answered 404, and the privacy notice saying what is set."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from coproduce.dataprotection.models import DataProtectionSettings, RetentionPeriod, RetentionRun, SharingAgreement
from coproduce.dataprotection.services import retention_apply
from coproduce.support.models import Referral, Service, SupportPlan
from tests.conftest import present, signed_in
from tests.dataprotection.helpers import record_agreement
from tests.factories import OrganisationFactory, staff_membership

pytestmark = pytest.mark.django_db

ROLES = ["member", "observer", "worker", "partner_lead", "coordinator", "outsider"]


def url(name: str, partnership: Any, **kwargs: Any) -> str:
    return reverse(f"dataprotection:{name}", kwargs={"slug": partnership.slug, **kwargs})


def settings_post(partnership: Any) -> dict[str, Any]:
    orgs = [OrganisationFactory(partnership=partnership), OrganisationFactory(partnership=partnership)]
    return {
        "controllers": [org.pk for org in orgs],
        "arrangement": "joint",
        "contact_name": "Data protection team",
        "contact_email": "dp@example.org",
        "contact_address": "1 High Street",
        "dpo_name": "",
        "dpo_email": "",
    }


# Kinds that may not be kept until deleted by hand need a period in every post of the form (the page fills it).
NO_KEEPING = {"period_learning__needs": "30", "period_learning__needs_unit": "days"}


def agreement_post() -> dict[str, Any]:
    return {
        "purposes": "Joined-up support for single parents.",
        "data_items": ["account", "plan"],
        "lawful_bases": ["a", "e"],
        "security": "Two-factor sign-in.",
        "rights_contact": "Write to us.",
        "review_date": "31/12/2099",
    }


@pytest.mark.parametrize("role", ROLES)
def test_every_post_as_every_role(role: str, request: pytest.FixtureRequest, partnership: Any) -> None:
    person = request.getfixturevalue(role)
    client = signed_in(person.user)
    answers = {
        "settings": client.post(url("settings", partnership), settings_post(partnership)).status_code,
        "retention": client.post(
            url("retention", partnership),
            {"period_support__plan_reads": "3", "period_support__plan_reads_unit": "months", **NO_KEEPING},
        ).status_code,
        "dry-run": client.post(url("dry-run", partnership)).status_code,
        "agreement-edit": client.post(url("agreement-edit", partnership), agreement_post()).status_code,
    }
    if role == "coordinator":
        assert answers == dict.fromkeys(answers, 302)
        assert DataProtectionSettings.objects.get(partnership=partnership).contact_name == "Data protection team"
        assert RetentionPeriod.objects.get(partnership=partnership, kind="support.plan_reads").amount == 3
        assert RetentionRun.objects.filter(partnership=partnership, dry_run=True).count() == 1
        assert SharingAgreement.objects.filter(partnership=partnership).count() == 1
    else:
        assert answers == dict.fromkeys(answers, 404)
        assert not DataProtectionSettings.objects.exists() and not RetentionPeriod.objects.exists()
        assert not RetentionRun.objects.exists() and not SharingAgreement.objects.exists()


def test_another_partnerships_coordinator_gets_404(partnership: Any, outsider: Any) -> None:
    their_coordinator = staff_membership(outsider.partnership, role="coordinator")
    client = signed_in(their_coordinator.user)
    for name in ("settings", "retention", "runs", "agreement", "agreement-edit", "privacy"):
        assert client.get(url(name, partnership)).status_code == 404
    record_agreement(staff_membership(partnership, role="coordinator"))
    assert client.get(url("agreement-version", partnership, version=1)).status_code == 404
    # Their own partnership has no version 1: also a 404, not the other partnership's.
    assert client.get(url("agreement-version", outsider.partnership, version=1)).status_code == 404


def test_the_settings_form_keeps_what_was_typed_and_lists_every_error(coordinator: Any) -> None:
    data = {**settings_post(coordinator.partnership), "controllers": [], "contact_email": "not-an-address"}
    response = signed_in(coordinator.user).post(url("settings", coordinator.partnership), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Choose at least one organisation as a data controller." in page
    assert "Enter an email address like name@example.org." in page
    assert 'value="Data protection team"' in page
    assert not DataProtectionSettings.objects.exists()


def test_a_held_period_is_refused_on_the_page_with_the_reason(coordinator: Any) -> None:
    partnership = coordinator.partnership
    org = OrganisationFactory(partnership=partnership)
    service = Service.objects.create(partnership=partnership, organisation=org, name="Advice", description="Help")
    plan = SupportPlan.objects.create(
        partnership=partnership, member=None, erased_at=timezone.now() - timedelta(days=10)
    )
    Referral.objects.create(
        partnership=partnership,
        plan=plan,
        service=service,
        organisation=org,
        status="sent",
        member_agreed_at=present(plan.erased_at),
    )
    response = signed_in(coordinator.user).post(
        url("retention", partnership),
        {
            "period_support__closed_plans": "0",
            "period_support__plan_reads": "7",
            "period_support__plan_reads_unit": "weeks",
            **NO_KEEPING,
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert "Enter a period of at least 1." in page
    response = signed_in(coordinator.user).post(
        url("retention", partnership),
        {"period_support__closed_plans": "1", "period_support__closed_plans_unit": "days", **NO_KEEPING},
    )
    page = response.content.decode()
    assert "still has an open referral" in page
    assert 'value="1"' in page
    assert not RetentionPeriod.objects.exists()


def test_the_privacy_notice_says_the_periods_as_set(coordinator: Any, member: Any) -> None:
    partnership = coordinator.partnership
    reader = signed_in(member.user)
    before = reader.get(url("privacy", partnership)).content.decode()
    assert "The partnership has not named its data controllers here yet." in before
    signed_in(coordinator.user).post(
        url("retention", partnership),
        {"period_support__plan_reads": "18", "period_support__plan_reads_unit": "months", **NO_KEEPING},
    )
    after = reader.get(url("privacy", partnership)).content.decode()
    assert "18 months" in after and "18 months" not in before
    signed_in(coordinator.user).post(url("retention", partnership), {"period_support__plan_reads": "", **NO_KEEPING})
    assert "Kept until deleted by hand" in reader.get(url("privacy", partnership)).content.decode()


def test_the_privacy_notice_names_the_controllers_purposes_and_bases(coordinator: Any, member: Any) -> None:
    partnership = coordinator.partnership
    data = settings_post(partnership)
    signed_in(coordinator.user).post(url("settings", partnership), data)
    record_agreement(coordinator, purposes="Helping parents into work.", lawful_bases=["e"])
    page = signed_in(member.user).get(url("privacy", partnership)).content.decode()
    assert "joint data controllers" in page
    for org in DataProtectionSettings.objects.get(partnership=partnership).controllers.all():
        assert org.name in page
    assert "dp@example.org" in page and "Helping parents into work." in page and "(e) Public task" in page
    assert reverse("partnerships:my-data", kwargs={"slug": partnership.slug}) in page


def test_every_version_of_the_agreement_stays_readable(coordinator: Any, member: Any) -> None:
    record_agreement(coordinator, purposes="The first purposes.")
    record_agreement(coordinator, purposes="The second purposes.")
    reader = signed_in(member.user)
    current = reader.get(url("agreement", coordinator.partnership)).content.decode()
    assert "The second purposes." in current and "Version 1," in current
    first = reader.get(url("agreement-version", coordinator.partnership, version=1)).content.decode()
    assert "The first purposes." in first and "an earlier version" in first
    assert reader.get(url("agreement-version", coordinator.partnership, version=3)).status_code == 404


def test_the_runs_page_keeps_a_constant_number_of_queries(coordinator: Any, django_assert_max_num_queries: Any) -> None:
    client = signed_in(coordinator.user)
    client.get(url("runs", coordinator.partnership))  # warm the session and caches
    for _ in range(3):
        retention_apply(partnership=coordinator.partnership, dry_run=True)
    with django_assert_max_num_queries(12):
        few = client.get(url("runs", coordinator.partnership))
    for _ in range(10):
        retention_apply(partnership=coordinator.partnership, dry_run=True)
    with django_assert_max_num_queries(12):
        many = client.get(url("runs", coordinator.partnership))
    assert few.status_code == many.status_code == 200
    assert many.content.decode().count("Dry run,") == 13


def test_the_retention_form_saved_as_it_came_keeps_every_suggested_period(coordinator: Any) -> None:
    client = signed_in(coordinator.user)
    form = client.get(url("retention", coordinator.partnership)).context["form"]
    data = {name: form[name].value() for name in form.fields}
    response = client.post(url("retention", coordinator.partnership), {k: v for k, v in data.items() if v is not None})
    assert response.status_code == 302
    saved = dict(RetentionPeriod.objects.values_list("kind", "amount"))
    assert saved["core.audit_events"] == 6 * 365 and saved["notifications.read"] == 180
