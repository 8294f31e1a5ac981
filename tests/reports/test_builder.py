"""The report builder: asking for a report (period, scope, saving), building it in the background with its
progress, the stored result already suppressed, failures, saved definitions and the quarterly repeat."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from coproduce.core.audit import AuditEvent
from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.notifications.models import Notice
from coproduce.partnerships.models import Membership, Partnership
from coproduce.reports.models import ReportDefinition, ReportRun
from coproduce.reports.periods import Period, last_ended_quarter, quarter_of, relative_period, year_of
from coproduce.reports.services import builder as services
from tests.factories import MembershipFactory, OrganisationFactory, staff_membership
from tests.reports.builder_sections import sections  # noqa: F401  (a fixture)

pytestmark = pytest.mark.usefixtures("sections")

YEAR = Period(date(2025, 1, 1), date(2029, 12, 31))


def request_report(actor: Membership, capture: Any, **kwargs: Any) -> ReportRun:
    options: dict[str, Any] = {"title": "Board report", "period": YEAR, "period_kind": "custom", **kwargs}
    with capture(execute=True):
        run = services.report_request(actor=actor, **options)
    run.refresh_from_db()
    return run


def table(run: ReportRun, key: str) -> dict[str, Any]:
    for part in run.result["parts"]:
        for section in part["sections"]:
            for found in section["tables"]:
                if found["key"] == key:
                    return found
    raise AssertionError(f"no table {key}")


def states(found: dict[str, Any]) -> dict[str, tuple[str, Any]]:
    cells = {cell["key"]: (cell["state"], cell["value"]) for cell in found["rows"]}
    if found["total"]:
        cells["total"] = (found["total"]["state"], found["total"]["value"])
    return cells


def test_a_report_is_built_in_the_background_with_small_groups_suppressed(
    coordinator: Membership, partnership: Partnership, django_capture_on_commit_callbacks: Any
) -> None:
    for _ in range(7):
        MembershipFactory(partnership=partnership, is_member=True)
    run = request_report(coordinator, django_capture_on_commit_callbacks)
    assert run.status == ReportRun.Status.DONE
    assert run.sections_done == run.sections_total == 3
    members = Membership.objects.filter(partnership=partnership, is_member=True).count()
    staff = Membership.objects.filter(partnership=partnership, is_member=False).count()
    assert staff < 5 <= members
    # One staff membership (the coordinator's): the staff row and, by difference, the members row are hidden.
    assert states(table(run, "test.joined")) == {
        "members": ("small", None),
        "staff": ("small", None),
        "total": ("shown", members + staff),
    }
    # 3 lone parents: "fewer than 5"; 14 of 16 disabled: hidden by difference from the total.
    assert states(table(run, "test.groups")) == {
        "lone_parent": ("small", None),
        "disabled": ("small", None),
        "total": ("shown", 16),
    }
    assert states(table(run, "test.fund")) == {"in": ("shown", 1_250_000), "individuals": ("small", None)}
    assert [part["key"] for part in run.result["parts"]] == ["reach", "participation", "support", "fund", "evaluation"]
    assert AuditEvent.objects.filter(action="reports.run_requested", target_id=str(run.pk)).exists()


def test_a_section_that_cannot_narrow_to_an_organisation_says_so(
    coordinator: Membership, partnership: Partnership, django_capture_on_commit_callbacks: Any
) -> None:
    organisation = OrganisationFactory(partnership=partnership)
    for _ in range(6):
        staff_membership(partnership, role="worker", organisation=organisation)
    run = request_report(
        coordinator, django_capture_on_commit_callbacks, scope="organisation", organisation_id=organisation.pk
    )
    assert run.scope_label == organisation.name
    assert states(table(run, "test.joined"))["staff"] == ("shown", 6)
    fund = next(part for part in run.result["parts"] if part["key"] == "fund")
    assert fund["sections"] == [{"key": "test.fund", "title": "The fund", "available": False, "tables": []}]


def test_a_period_that_ends_before_it_starts_is_refused_with_a_clear_message(coordinator: Membership) -> None:
    with pytest.raises(ServiceError) as refused:
        services.report_request(
            actor=coordinator,
            title="Backwards",
            period=Period(date(2026, 6, 30), date(2026, 4, 1)),
            period_kind="custom",
        )
    assert refused.value.message == "The end date must be on or after the start date."
    assert refused.value.field == "end"
    assert not ReportRun.objects.exists()


def test_another_partnerships_organisation_is_refused(coordinator: Membership) -> None:
    elsewhere = OrganisationFactory()
    with pytest.raises(ServiceError):
        services.report_request(
            actor=coordinator,
            title="R",
            period=YEAR,
            period_kind="custom",
            scope="organisation",
            organisation_id=elsewhere.pk,
        )


@pytest.mark.parametrize("role", ["member", "worker", "partner_lead", "observer"])
def test_only_coordinators_build_reports(role: str, request: pytest.FixtureRequest) -> None:
    actor = request.getfixturevalue(role)
    with pytest.raises(NotPermitted):
        services.report_request(actor=actor, title="R", period=YEAR, period_kind="custom")


def test_building_twice_changes_nothing_and_a_failure_is_recorded(
    coordinator: Membership, django_capture_on_commit_callbacks: Any
) -> None:
    run = request_report(coordinator, django_capture_on_commit_callbacks)
    built = run.result
    assert services.run_build(run_id=run.pk) == "done"
    run.refresh_from_db()
    assert run.result == built
    services.run_failed(run_id=run.pk)  # a finished run stays finished
    run.refresh_from_db()
    assert run.status == ReportRun.Status.DONE

    with django_capture_on_commit_callbacks(execute=False):
        waiting = services.report_request(actor=coordinator, title="Later", period=YEAR, period_kind="custom")
    services.run_failed(run_id=waiting.pk)
    waiting.refresh_from_db()
    assert waiting.status == ReportRun.Status.FAILED and waiting.error
    assert services.run_build(run_id=waiting.pk) == "failed"


def test_a_saved_definition_runs_now_for_the_latest_quarter_and_is_deleted_with_its_reports_kept(
    coordinator: Membership, django_capture_on_commit_callbacks: Any
) -> None:
    run = request_report(
        coordinator,
        django_capture_on_commit_callbacks,
        period=quarter_of(date(2026, 4, 1)),
        period_kind="quarter",
        save=True,
        repeat_quarterly=True,
    )
    definition = ReportDefinition.objects.get()
    assert run.definition == definition and definition.repeat_quarterly
    with django_capture_on_commit_callbacks(execute=True):
        again = services.definition_run(actor=coordinator, definition_id=definition.pk, today=date(2026, 11, 3))
    again.refresh_from_db()
    assert (again.start, again.end) == (date(2026, 7, 1), date(2026, 9, 30))
    assert again.status == ReportRun.Status.DONE
    services.definition_delete(actor=coordinator, definition_id=definition.pk)
    assert not ReportDefinition.objects.exists()
    assert ReportRun.objects.count() == 2
    assert AuditEvent.objects.filter(action="reports.definition_deleted").exists()


def test_custom_dates_cannot_repeat(coordinator: Membership) -> None:
    with pytest.raises(ServiceError):
        services.report_request(
            actor=coordinator, title="R", period=YEAR, period_kind="custom", save=True, repeat_quarterly=True
        )


def test_another_partnerships_definition_is_not_found(
    coordinator: Membership, outsider: Membership, django_capture_on_commit_callbacks: Any
) -> None:
    request_report(coordinator, django_capture_on_commit_callbacks, save=True)
    other = staff_membership(outsider.partnership, role="coordinator")
    definition = ReportDefinition.objects.get()
    with pytest.raises(NotPermitted):
        services.definition_run(actor=other, definition_id=definition.pk)
    with pytest.raises(NotPermitted):
        services.definition_delete(actor=other, definition_id=definition.pk)


def test_the_quarterly_job_builds_each_repeating_definition_once_per_quarter_and_tells_its_creator(
    coordinator: Membership, django_capture_on_commit_callbacks: Any
) -> None:
    request_report(
        coordinator,
        django_capture_on_commit_callbacks,
        period=year_of(2025, "financial"),
        period_kind="year",
        year_basis="financial",
        save=True,
        repeat_quarterly=True,
    )
    request_report(coordinator, django_capture_on_commit_callbacks, title="Once", save=True)  # does not repeat
    with django_capture_on_commit_callbacks(execute=True):
        assert services.definitions_repeat_due(today=date(2026, 10, 2)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.definitions_repeat_due(today=date(2026, 12, 30)) == 0  # the same quarter: nothing new
    repeat = ReportRun.objects.get(repeat_quarter__isnull=False)
    # A financial year to the end of the quarter that ended: April to September 2026.
    assert (repeat.start, repeat.end, repeat.repeat_quarter) == (date(2026, 4, 1), date(2026, 9, 30), date(2026, 7, 1))
    assert repeat.status == ReportRun.Status.DONE
    notice = Notice.objects.get(user=coordinator.user, kind=services.READY_KIND)
    assert notice.url.endswith(f"/reports/{repeat.pk}/")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.definitions_repeat_due(today=date(2027, 1, 5)) == 1  # the next quarter


def test_a_definition_whose_coordinator_stepped_down_is_not_repeated(
    coordinator: Membership, django_capture_on_commit_callbacks: Any
) -> None:
    request_report(
        coordinator,
        django_capture_on_commit_callbacks,
        period=quarter_of(date(2026, 4, 1)),
        period_kind="quarter",
        save=True,
        repeat_quarterly=True,
    )
    Membership.objects.filter(pk=coordinator.pk).update(is_coordinator=False, is_worker=True)
    assert services.definitions_repeat_due(today=date(2026, 10, 2)) == 0


@pytest.mark.parametrize(
    ("today", "kind", "basis", "expected"),
    [
        (date(2026, 10, 1), "quarter", "", (date(2026, 7, 1), date(2026, 9, 30))),
        (date(2026, 1, 15), "quarter", "", (date(2025, 10, 1), date(2025, 12, 31))),
        (date(2026, 4, 2), "year", "financial", (date(2025, 4, 1), date(2026, 3, 31))),
        (date(2026, 7, 2), "year", "financial", (date(2026, 4, 1), date(2026, 6, 30))),
        (date(2026, 1, 2), "year", "calendar", (date(2025, 1, 1), date(2025, 12, 31))),
        (date(2026, 5, 2), "year", "calendar", (date(2026, 1, 1), date(2026, 3, 31))),
    ],
)
def test_what_a_saved_quarter_or_year_means_on_a_day(
    today: date, kind: str, basis: str, expected: tuple[date, date]
) -> None:
    period = relative_period(kind, basis, today)
    assert (period.start, period.end) == expected
    assert last_ended_quarter(today).end < today


def test_a_report_for_one_service_of_the_directory_is_named_after_it(
    coordinator: Membership, partnership: Partnership, django_capture_on_commit_callbacks: Any
) -> None:
    from coproduce.support.models import Service

    organisation = OrganisationFactory(partnership=partnership)
    service = Service.objects.create(
        partnership=partnership, organisation=organisation, name="Money advice", description="Help with money."
    )
    run = request_report(
        coordinator, django_capture_on_commit_callbacks, scope="service", service_id=service.pk, save=True
    )
    assert (run.scope, run.service_id, run.scope_label) == ("service", service.pk, "Money advice")
    # None of the test sections narrows to a service: each says so rather than giving the partnership's figures.
    assert all(not s["available"] for part in run.result["parts"] for s in part["sections"])
    with pytest.raises(ServiceError):
        services.report_request(
            actor=coordinator, title="R", period=YEAR, period_kind="custom", scope="service", service_id=service.pk + 99
        )


def test_every_action_the_builder_records_has_a_sentence_in_the_audit_log(
    coordinator: Membership, django_capture_on_commit_callbacks: Any
) -> None:
    from coproduce.partnerships.audit_wording import worded

    request_report(
        coordinator,
        django_capture_on_commit_callbacks,
        period=quarter_of(date(2026, 4, 1)),
        period_kind="quarter",
        save=True,
        repeat_quarterly=True,
    )
    services.definitions_repeat_due(today=date(2026, 10, 2))
    services.definition_delete(actor=coordinator, definition_id=ReportDefinition.objects.get().pk)
    actions = set(AuditEvent.objects.filter(action__startswith="reports.").values_list("action", flat=True))
    assert actions == {
        "reports.run_requested",
        "reports.definition_saved",
        "reports.run_repeated",
        "reports.definition_deleted",
    }
    assert all(worded(action) for action in actions)
