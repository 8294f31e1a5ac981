"""Data protection's services: who may change what, the legal hold on a retention period, the retention job (a
dry run changes nothing), versions of the data sharing agreement, and the ``coproduce retention`` command."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.models import AuditEvent
from coproduce.dataprotection import services
from coproduce.dataprotection.models import RetentionOutcome, RetentionPeriod, RetentionRun, SharingAgreement
from coproduce.dataprotection.periods import months_before
from coproduce.dataprotection.services import PeriodChoice
from coproduce.support.models import PlanRead, Referral, Service, SupportPlan
from tests.dataprotection.helpers import agreement_fields, record_agreement
from tests.factories import OrganisationFactory, PartnershipFactory

pytestmark = pytest.mark.django_db

NOT_COORDINATORS = ["member", "observer", "worker", "partner_lead"]


def settings_fields(partnership: Any, **overrides: Any) -> dict[str, Any]:
    orgs = [OrganisationFactory(partnership=partnership), OrganisationFactory(partnership=partnership)]
    return {
        "controllers": orgs,
        "arrangement": "joint",
        "contact_name": "Data protection team",
        "contact_email": "dp@example.org",
        "contact_address": "1 High Street",
        **overrides,
    }


def test_months_before_keeps_the_day_or_takes_the_last_of_a_shorter_month() -> None:
    moment = timezone.now().replace(year=2026, month=3, day=31, hour=9)
    assert months_before(moment, 1).date().isoformat() == "2026-02-28"
    assert months_before(moment, 15).date().isoformat() == "2024-12-31"


@pytest.mark.parametrize("role", NOT_COORDINATORS)
def test_only_a_coordinator_changes_data_protection(role: str, request: pytest.FixtureRequest) -> None:
    actor = request.getfixturevalue(role)
    with pytest.raises(NotPermitted):
        services.data_protection_update(actor=actor, **settings_fields(actor.partnership))
    with pytest.raises(NotPermitted):
        services.retention_periods_update(actor=actor, choices={"support.plan_reads": PeriodChoice(1)})
    with pytest.raises(NotPermitted):
        services.retention_apply(partnership=actor.partnership, dry_run=True, actor=actor)
    with pytest.raises(NotPermitted):
        record_agreement(actor)
    assert not RetentionPeriod.objects.exists() and not RetentionRun.objects.exists()
    assert not SharingAgreement.objects.exists()


def test_controllers_and_contact_are_saved_and_audited(coordinator: Any) -> None:
    saved = services.data_protection_update(actor=coordinator, **settings_fields(coordinator.partnership))
    assert saved.controllers.count() == 2 and saved.contact_email == "dp@example.org"
    assert AuditEvent.objects.filter(action="dataprotection.settings_changed").count() == 1


def test_another_partnerships_organisation_cannot_be_a_controller(coordinator: Any) -> None:
    foreign = OrganisationFactory(partnership=PartnershipFactory())
    with pytest.raises(NotPermitted):
        services.data_protection_update(
            actor=coordinator, **settings_fields(coordinator.partnership, controllers=[foreign])
        )


def test_joint_controllers_are_two_or_more(coordinator: Any) -> None:
    one = [OrganisationFactory(partnership=coordinator.partnership)]
    with pytest.raises(ServiceError) as refused:
        services.data_protection_update(actor=coordinator, **settings_fields(coordinator.partnership, controllers=one))
    assert refused.value.field == "arrangement"


def _closed_plan_with_open_referral(partnership: Any, *, erased_days_ago: int) -> SupportPlan:
    org = OrganisationFactory(partnership=partnership)
    service = Service.objects.create(partnership=partnership, organisation=org, name="Advice", description="Help")
    plan = SupportPlan.objects.create(
        partnership=partnership, member=None, erased_at=timezone.now() - timedelta(days=erased_days_ago)
    )
    Referral.objects.create(
        partnership=partnership,
        plan=plan,
        service=service,
        organisation=org,
        status="accepted",
        member_agreed_at=timezone.now(),
    )
    return plan


def test_a_period_that_would_remove_data_under_a_legal_hold_is_refused_with_the_reason(coordinator: Any) -> None:
    _closed_plan_with_open_referral(coordinator.partnership, erased_days_ago=100)
    with pytest.raises(ServiceError) as refused:
        services.retention_periods_update(
            actor=coordinator,
            choices={"support.closed_plans": PeriodChoice(2), "support.plan_reads": PeriodChoice(6)},
        )
    assert refused.value.code == "held"
    assert "open referral" in refused.value.message
    assert refused.value.field == "period_support__closed_plans"
    assert not RetentionPeriod.objects.exists()  # nothing half-saved: not even the other kind
    # A period that does not reach the held plan is fine, and so is keeping it until deleted by hand.
    services.retention_periods_update(
        actor=coordinator,
        choices={"support.closed_plans": PeriodChoice(12), "notifications.read": PeriodChoice(None)},
    )
    assert dict(RetentionPeriod.objects.values_list("kind", "amount")) == {
        "support.closed_plans": 12,
        "notifications.read": None,
    }
    assert AuditEvent.objects.filter(action="dataprotection.retention_changed").count() == 1


def test_a_period_out_of_range_or_for_an_unknown_kind_is_refused(coordinator: Any) -> None:
    with pytest.raises(ServiceError):
        services.retention_periods_update(actor=coordinator, choices={"support.plan_reads": PeriodChoice(0)})
    with pytest.raises(ServiceError):
        services.retention_periods_update(actor=coordinator, choices={"nothing.here": PeriodChoice(3)})
    with pytest.raises(ServiceError):
        services.retention_periods_update(actor=coordinator, choices={"support.plan_reads": PeriodChoice(3, "weeks")})
    assert not RetentionPeriod.objects.exists()


def _reads(coordinator: Any, member: Any) -> tuple[PlanRead, PlanRead]:
    plan = SupportPlan.objects.create(partnership=coordinator.partnership, member=member)
    now = timezone.now()
    old = PlanRead.objects.create(plan=plan, reader_label="Jamie", page="plan", read_at=now - timedelta(days=40))
    new = PlanRead.objects.create(plan=plan, reader_label="Jamie", page="plan", read_at=now - timedelta(days=20))
    return old, new


def test_a_dry_run_changes_nothing_and_says_what_would_go(coordinator: Any, member: Any) -> None:
    _reads(coordinator, member)
    RetentionPeriod.objects.create(
        partnership=coordinator.partnership, kind="support.plan_reads", amount=30, unit="days"
    )
    run = services.retention_apply(partnership=coordinator.partnership, dry_run=True, actor=coordinator)
    assert PlanRead.objects.count() == 2
    outcome = run.outcomes.get(kind="support.plan_reads")
    assert outcome.count == 1 and run.dry_run and run.finished_at is not None
    event = AuditEvent.objects.get(action="dataprotection.retention_dry_run")
    assert event.detail["counts"]["support.plan_reads"] == 1 and event.actor_id == coordinator.user_id


def test_the_run_removes_what_passed_its_period_and_records_it(coordinator: Any, member: Any) -> None:
    _old, new = _reads(coordinator, member)
    partnership = coordinator.partnership
    RetentionPeriod.objects.create(partnership=partnership, kind="support.plan_reads", amount=30, unit="days")
    for other in ("notifications.read", "core.audit_events", "partnerships.invitations"):
        RetentionPeriod.objects.create(partnership=partnership, kind=other, amount=None)
    run = services.retention_apply(partnership=partnership, dry_run=False)
    assert list(PlanRead.objects.values_list("pk", flat=True)) == [new.pk]
    assert run.outcomes.get(kind="support.plan_reads").count == 1
    # Kept until deleted by hand: not looked at. Not set: the kind's default applies.
    assert not run.outcomes.filter(kind__in=["notifications.read", "core.audit_events"]).exists()
    assert run.outcomes.filter(kind="support.closed_plans").exists()
    assert AuditEvent.objects.filter(action="dataprotection.retention_applied", target_id=str(run.pk)).count() == 1
    # A second run finds nothing more.
    again = services.retention_apply(partnership=partnership, dry_run=False)
    assert again.outcomes.get(kind="support.plan_reads").count == 0


def test_a_coordinator_cannot_run_another_partnerships_job(coordinator: Any) -> None:
    with pytest.raises(NotPermitted):
        services.retention_apply(partnership=PartnershipFactory(), dry_run=True, actor=coordinator)


def test_every_partnership_has_its_run() -> None:
    first, second = PartnershipFactory(), PartnershipFactory()
    runs = services.retention_apply_everywhere()
    assert {run.partnership_id for run in runs} == {first.pk, second.pk}
    assert not any(run.dry_run for run in runs)


def test_each_change_to_the_agreement_is_a_new_version_and_the_old_stay(coordinator: Any) -> None:
    first = record_agreement(coordinator)
    second = record_agreement(coordinator, purposes="Something else")
    assert (first.version, second.version) == (1, 2)
    assert SharingAgreement.objects.get(pk=first.pk).purposes.startswith("Joined-up")
    with pytest.raises(ValueError):
        first.save()
    assert AuditEvent.objects.filter(action="dataprotection.agreement_recorded").count() == 2


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"special_category": True, "special_condition": ""}, "special_condition"),
        ({"special_category": True, "special_condition": "g"}, "schedule_1_condition"),
        ({"lawful_bases": []}, "lawful_bases"),
        ({"lawful_bases": ["z"]}, "lawful_bases"),
        ({"data_items": [], "data_items_other": ""}, "data_items"),
        ({"purposes": "  "}, "purposes"),
        ({"review_date": timezone.localdate()}, "review_date"),
    ],
)
def test_an_incomplete_agreement_is_refused(coordinator: Any, overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(ServiceError) as refused:
        services.agreement_record(actor=coordinator, **agreement_fields(**overrides))
    fields = {error.field for error in getattr(refused.value, "errors", [refused.value])}
    assert field in fields
    assert not SharingAgreement.objects.exists()


def test_special_category_data_with_its_conditions(coordinator: Any) -> None:
    saved = record_agreement(
        coordinator, special_category=True, special_condition="g", schedule_1_condition="Part 2, paragraph 18"
    )
    assert (saved.special_condition, saved.schedule_1_condition) == ("g", "Part 2, paragraph 18")


# --- The command ------------------------------------------------------------------------------------


def test_the_command_prints_each_kind_and_a_dry_run_changes_nothing(coordinator: Any, member: Any) -> None:
    _reads(coordinator, member)
    RetentionPeriod.objects.create(
        partnership=coordinator.partnership, kind="support.plan_reads", amount=30, unit="days"
    )
    out = StringIO()
    call_command("retention", "--dry-run", "--partnership", coordinator.partnership.slug, stdout=out)
    text = out.getvalue()
    assert "dry run, nothing changed" in text
    assert "support.plan_reads: would remove 1 (older than" in text
    assert PlanRead.objects.count() == 2
    out = StringIO()
    call_command("retention", stdout=out)
    assert "support.plan_reads: removed 1" in out.getvalue()
    assert PlanRead.objects.count() == 1
    assert RetentionOutcome.objects.filter(run__dry_run=False, kind="support.plan_reads", count=1).count() == 1


def test_the_command_refuses_an_unknown_partnership(db: Any) -> None:
    with pytest.raises(CommandError, match="no partnership"):
        call_command("retention", "--partnership", "nowhere", stdout=StringIO())
    assert not RetentionRun.objects.exists()


def test_the_command_exits_non_zero_for_an_unknown_partnership(db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.management import ManagementUtility
    from django.db import connections

    # run_from_argv closes the connections on its way out; the test's transaction still needs its own.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    utility = ManagementUtility(["coproduce", "retention", "--partnership", "nowhere"])
    with pytest.raises(SystemExit) as exit_:
        utility.execute()
    assert exit_.value.code == 1
