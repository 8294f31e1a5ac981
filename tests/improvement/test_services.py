"""Services for tests of change and the stop-doing register: what they save, what they refuse (with a clear
message and nothing half-saved), and who may call them."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.models import AuditEvent
from coproduce.improvement import services
from coproduce.improvement.models import (
    Decision,
    ImprovementSettings,
    Measure,
    MemberCheck,
    Observation,
    StoppedPractice,
    TestOfChange,
)
from coproduce.voice import services as voice_services
from coproduce.voice.models import Idea
from tests.conftest import present
from tests.factories import MembershipFactory
from tests.improvement.conftest import fields, weekly

pytestmark = pytest.mark.django_db


# --- Setting up a test ---------------------------------------------------------------------------------


def test_a_worker_sets_up_a_test_with_a_member_involved(worker: Any, member: Any) -> None:
    test = services.pdsa_create(actor=worker, fields=fields(), people=[member])
    assert test.stage == TestOfChange.Stage.PLAN
    assert test.owner == worker.user
    assert test.organisation == worker.organisation
    assert set(test.people.all()) == {worker, member}
    assert AuditEvent.objects.filter(action="improvement.test_created", target_id=str(test.pk)).exists()


def test_a_member_can_set_up_a_test_too(member: Any) -> None:
    test = services.pdsa_create(actor=member, fields=fields(change_kind="stop", change="Stop the paper sign-in."))
    assert test.change_kind == "stop"
    assert test.organisation is None


def test_a_test_from_an_idea_records_a_response_on_the_idea(worker: Any, member: Any) -> None:
    idea = voice_services.idea_create(actor=member, title="Evening hours", body="Open later on weekdays.")
    test = services.pdsa_create(actor=worker, fields=fields(), idea=idea)
    idea.refresh_from_db()
    assert idea.status == Idea.Status.IN_PROGRESS
    response = idea.responses.get()
    assert response.source == "improvement"
    assert response.link_url.endswith(f"/improvement/tests/{test.pk}/")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "  "}, "title"),
        ({"aim_what": ""}, "aim_what"),
        ({"aim_how_much": ""}, "aim_how_much"),
        ({"change": ""}, "change"),
        ({"predictions": ""}, "predictions"),
        ({"change_kind": "maybe"}, "change_kind"),
        ({"ends_on": timezone.localdate() - timedelta(days=200)}, "ends_on"),
        ({"aim_by_when": timezone.localdate() - timedelta(days=200)}, "aim_by_when"),
    ],
)
def test_a_test_with_bad_fields_is_refused_and_nothing_is_saved(worker: Any, overrides: dict, field: str) -> None:
    with pytest.raises(ServiceError) as error:
        services.pdsa_create(actor=worker, fields=fields(**overrides))
    assert error.value.field == field
    assert error.value.message
    assert not TestOfChange.objects.exists()


def test_observers_and_outsiders_cannot_set_up_tests(observer: Any, outsider: Any, worker: Any) -> None:
    with pytest.raises(NotPermitted):
        services.pdsa_create(actor=observer, fields=fields())
    with pytest.raises(NotPermitted):
        services.pdsa_create(actor=worker, fields=fields(), people=[outsider])
    assert not TestOfChange.objects.exists()


def test_only_the_people_running_a_test_or_a_coordinator_may_run_it(
    test_of_change: TestOfChange, partnership: Any, coordinator: Any
) -> None:
    bystander = MembershipFactory(partnership=partnership, is_member=True)
    with pytest.raises(NotPermitted):
        services.pdsa_stage_set(actor=bystander, test=test_of_change, stage="do")
    assert services.pdsa_stage_set(actor=coordinator, test=test_of_change, stage="do").stage == "do"


def test_the_stage_cannot_be_set_to_act_by_hand(worker: Any, test_of_change: TestOfChange) -> None:
    with pytest.raises(ServiceError) as error:
        services.pdsa_stage_set(actor=worker, test=test_of_change, stage="act")
    assert error.value.field == "stage"


# --- Measures and observations ------------------------------------------------------------------------


def test_a_measure_name_is_unique_within_a_test(worker: Any, measure: Measure) -> None:
    with pytest.raises(ServiceError) as error:
        services.measure_create(
            actor=worker, test=measure.test, name=measure.name, kind="process", unit="x", better="lower", source="y"
        )
    assert error.value.field == "name"
    assert Measure.objects.count() == 1


def test_an_observation_is_saved_with_its_value_as_a_decimal(worker: Any, measure: Measure) -> None:
    day = timezone.localdate() - timedelta(days=3)
    observation = services.observation_record(actor=worker, measure=measure, observed_on=day, value="1,200.5")
    assert observation.value == Decimal("1200.5")
    assert observation.entered_by == worker.user


@pytest.mark.parametrize(
    "raw", ["twelve", "12abc", "NaN", "Infinity", "", "1e400", "1e999999,200", "1e999999999", "9" * 400, "١٢"]
)
def test_a_value_that_is_not_a_number_is_refused(worker: Any, measure: Measure, raw: str) -> None:
    with pytest.raises(ServiceError) as error:
        services.observation_record(actor=worker, measure=measure, observed_on=timezone.localdate(), value=raw)
    assert error.value.field == "value"
    assert not Observation.objects.exists()


def test_an_observation_in_the_future_is_refused(worker: Any, measure: Measure) -> None:
    with pytest.raises(ServiceError) as error:
        services.observation_record(
            actor=worker, measure=measure, observed_on=timezone.localdate() + timedelta(days=1), value="3"
        )
    assert error.value.field == "observed_on"
    assert "future" in error.value.message
    assert not Observation.objects.exists()


def test_a_second_observation_for_the_same_date_is_refused(worker: Any, measure: Measure) -> None:
    day = timezone.localdate()
    services.observation_record(actor=worker, measure=measure, observed_on=day, value="3")
    with pytest.raises(ServiceError) as error:
        services.observation_record(actor=worker, measure=measure, observed_on=day, value="4")
    assert error.value.code == "duplicate"
    assert list(Observation.objects.values_list("value", flat=True)) == [Decimal("3")]


def test_the_database_refuses_two_observations_for_one_date(measure: Measure) -> None:
    from django.db import IntegrityError, transaction

    day = timezone.localdate()
    Observation.objects.create(measure=measure, observed_on=day, value=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Observation.objects.create(measure=measure, observed_on=day, value=2)


def _csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def test_a_csv_file_is_imported_whole(worker: Any, measure: Measure) -> None:
    days = weekly(3)
    content = _csv("date,value,note", f"{days[0]:%Y-%m-%d},5,", f"{days[1]:%d/%m/%Y},6.5,half term", f"{days[2]},7,")
    assert services.observations_import(actor=worker, measure=measure, content=content) == 3
    saved = list(Observation.objects.order_by("observed_on").values_list("observed_on", "value", "note", "source"))
    assert saved == [
        (days[0], Decimal("5"), "", "imported"),
        (days[1], Decimal("6.5"), "half term", "imported"),
        (days[2], Decimal("7"), "", "imported"),
    ]


def test_a_csv_with_wrong_columns_names_line_one(worker: Any, measure: Measure) -> None:
    with pytest.raises(ServiceError) as error:
        services.observations_import(actor=worker, measure=measure, content=_csv("day,amount", "2026-01-01,3"))
    assert error.value.message.startswith("Line 1:")
    assert "date,value" in error.value.message
    assert not Observation.objects.exists()


def test_every_bad_row_is_named_by_its_line_and_nothing_is_saved(worker: Any, measure: Measure) -> None:
    days = weekly(4)
    future = timezone.localdate() + timedelta(days=2)
    content = _csv(
        "date,value",
        f"{days[1]},5",  # line 2: fine
        f"{days[2]},lots",  # line 3: not a number
        f"{days[0]},4",  # line 4: before the row above
        f"{days[1]},6",  # line 5: same date as line 2
        "31/02/2026,3",  # line 6: no such date
        f"{future},3",  # line 7: future
        f"{days[3]},3,extra",  # line 8: a column too many
    )
    with pytest.raises(ServiceError) as error:
        services.observations_import(actor=worker, measure=measure, content=content)
    message = error.value.message
    for line, why in [
        (3, "not a number"),
        (4, "date order"),
        (5, "already on line 2"),
        (6, "not a date"),
        (7, "future"),
        (8, "expected 2 columns"),
    ]:
        assert f"Line {line}:" in message and why in message, (line, why, message)
    assert "Line 2:" not in message
    assert not Observation.objects.exists()


def test_a_csv_row_for_a_date_already_recorded_is_refused_whole(worker: Any, measure: Measure) -> None:
    days = weekly(2)
    services.observation_record(actor=worker, measure=measure, observed_on=days[1], value="1")
    with pytest.raises(ServiceError) as error:
        services.observations_import(
            actor=worker, measure=measure, content=_csv("date,value", f"{days[0]},2", f"{days[1]},3")
        )
    assert "Line 3: there is already an observation" in error.value.message
    assert Observation.objects.count() == 1


@pytest.mark.parametrize("content", [b"", b"\xff\xfe\x00bad", b"date,value\n"])
def test_empty_or_unreadable_csv_files_are_refused(worker: Any, measure: Measure, content: bytes) -> None:
    with pytest.raises(ServiceError) as error:
        services.observations_import(actor=worker, measure=measure, content=content)
    assert error.value.field == "file"


SAMPLE = Path(__file__).resolve().parent.parent / "data" / "improvement" / "observations.csv"


def test_the_sample_file_reads_without_a_database() -> None:
    found = services.read_observations_csv(SAMPLE.read_bytes(), today=date(2026, 1, 1))
    assert found.problems == []
    assert [(line, str(value)) for line, _day, value, _note in found.rows] == [
        (2, "12.0000"),
        (3, "14.0000"),
        (4, "9.5000"),
        (5, "1200.0000"),
        (6, "-3.0000"),
        (7, "0.0001"),
        (9, "17.0000"),  # the note above runs over two lines: this row starts on line 9
    ]
    assert found.rows[2][3] == 'Half the group off sick, "flu"'


@pytest.mark.parametrize(
    ("content", "message"),
    [
        # issue 16: a cell over the csv module's limit was a 500
        (b'date,value,note\n2026-01-05,3,"' + b"x" * 200_000 + b'"\n', "Line 2 cannot be read as CSV"),
        (b'date,value,note\n2026-01-05,3,fine\n2026-01-12,4,"never closed\n2026-01-19,5,\n', "Line 3 cannot be read"),
        (b'date,value\n2026-01-05,"3"4\n', "Line 2 cannot be read as CSV"),
        (b"date,value\n" + b"2026-01-05,1\n" * (services.CSV_MAX_ROWS + 1), "more than 5000 rows"),
    ],
)
def test_a_file_the_csv_reader_cannot_take_is_refused_with_its_line(content: bytes, message: str) -> None:
    with pytest.raises(ServiceError) as error:
        services.read_observations_csv(content, today=date(2026, 2, 1))
    assert message in error.value.message and error.value.field == "file"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("2026-01-05,1e999999,", "“1e999999” is not a number."),
        ('2026-01-05,"1e999999,200",', "“1e999999,200” is not a number."),  # found by the fuzz test: a 500
        ("2026-01-05," + "9" * 400 + ",", "The value is too large."),
        ("2026-01-05,NaN,", "Enter a number like 12 or 12.5."),
        ("2026-01-05,3,a\x00b", "a NUL character"),
        ("05/01/" + "9" * 5000 + ",3,", "is not a date"),
    ],
)
def test_hostile_values_are_problems_on_their_line(row: str, message: str) -> None:
    content = f'date,value,note\n2025-12-29,2,"a note\non two lines"\n{row}\n'  # the row starts on line 4
    found = services.read_observations_csv(content.encode(), today=date(2026, 2, 1))
    [(line, problem)] = found.problems
    assert line == 4 and problem.startswith("Line 4: ") and message in problem


# --- The one-question check ------------------------------------------------------------------------------


def test_a_member_answers_once_a_day_and_can_change_the_answer(member: Any, test_of_change: TestOfChange) -> None:
    services.check_record(actor=member, test=test_of_change, answer="a_bit")
    services.check_record(actor=member, test=test_of_change, answer="yes", words="It fits my shifts.")
    check = MemberCheck.objects.get()
    assert (check.answer, check.words) == ("yes", "It fits my shifts.")


def test_only_members_answer_the_check(worker: Any, member: Any, test_of_change: TestOfChange) -> None:
    with pytest.raises(NotPermitted):
        services.check_record(actor=worker, test=test_of_change, answer="yes")
    with pytest.raises(ServiceError):
        services.check_record(actor=member, test=test_of_change, answer="maybe")
    assert not MemberCheck.objects.exists()


# --- Deciding ----------------------------------------------------------------------------------------------


def _decide(actor: Any, test: TestOfChange, kind: str = "adopt", **overrides: Any) -> Decision:
    values = {"reasons": "It worked.", "review_on": timezone.localdate() + timedelta(days=30), **overrides}
    return services.decision_record(actor=actor, test=test, kind=kind, **values)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"reasons": "   "}, "reasons"),
        ({"review_on": None}, "review_on"),
        ({"review_on": timezone.localdate()}, "review_on"),
        ({"kind": "shrug"}, "kind"),
    ],
)
def test_a_decision_without_reasons_or_a_future_review_date_is_refused(
    worker: Any, test_of_change: TestOfChange, overrides: dict, field: str
) -> None:
    kind = overrides.pop("kind", "adopt")
    with pytest.raises(ServiceError) as error:
        _decide(worker, test_of_change, kind, **overrides)
    assert error.value.field == field
    assert not Decision.objects.exists()
    test_of_change.refresh_from_db()
    assert test_of_change.stage == "plan"


def test_adopting_moves_the_test_to_act(worker: Any, test_of_change: TestOfChange) -> None:
    decision = _decide(worker, test_of_change)
    test_of_change.refresh_from_db()
    assert test_of_change.stage == "act"
    assert decision.is_effective
    assert not StoppedPractice.objects.exists()
    with pytest.raises(ServiceError):
        _decide(worker, test_of_change)


def test_adapting_opens_the_next_cycle_linked_with_the_same_measures(
    worker: Any, member: Any, test_of_change: TestOfChange, measure: Measure
) -> None:
    _decide(worker, test_of_change, "adapt", reasons="Try Wednesdays instead.")
    following = TestOfChange.objects.get(previous=test_of_change)
    assert following.cycle == 2
    assert following.stage == "plan"
    assert set(following.people.all()) == {worker, member}
    assert list(following.measures.values_list("name", flat=True)) == [measure.name]
    assert not following.measures.get().observations.exists()


def test_abandoning_something_tried_enters_it_in_the_register(worker: Any, test_of_change: TestOfChange) -> None:
    _decide(worker, test_of_change, "abandon", reasons="Nobody came in the evenings.")
    entry = StoppedPractice.objects.get()
    assert entry.status == "stopped"
    assert entry.test == test_of_change
    assert entry.why == "Nobody came in the evenings."
    assert entry.what == test_of_change.title


def test_adopting_a_test_of_stopping_something_enters_it_in_the_register(worker: Any) -> None:
    test = services.pdsa_create(actor=worker, fields=fields(change_kind="stop", change="The weekly paper sign-in"))
    _decide(worker, test, "adopt", reasons="Nobody missed it.")
    assert StoppedPractice.objects.get().what == "The weekly paper sign-in"


def test_a_decision_waits_for_a_member_when_the_partnership_asks(
    worker: Any, member: Any, coordinator: Any, test_of_change: TestOfChange
) -> None:
    services.settings_update(actor=coordinator, decisions_need_member=True, stop_rule="tell")
    decision = _decide(worker, test_of_change, "abandon")
    assert not decision.is_effective
    assert not StoppedPractice.objects.exists()
    with pytest.raises(NotPermitted):
        services.decision_cosign(actor=worker, test=test_of_change)
    decision = services.decision_cosign(actor=member, test=test_of_change)
    assert decision.is_effective
    assert decision.cosigned_by == member.user
    entry = StoppedPractice.objects.get()
    assert entry.agreed_by == member.user
    with pytest.raises(ServiceError):
        services.decision_cosign(actor=member, test=test_of_change)


def test_a_member_deciding_counts_as_the_member_who_signs(
    member: Any, coordinator: Any, test_of_change: TestOfChange
) -> None:
    services.settings_update(actor=coordinator, decisions_need_member=True, stop_rule="tell")
    assert _decide(member, test_of_change).is_effective


def test_a_decision_on_a_test_from_an_idea_answers_the_idea(worker: Any, member: Any) -> None:
    idea = voice_services.idea_create(actor=member, title="Evening hours", body="Open later on weekdays.")
    test = services.pdsa_create(actor=worker, fields=fields(), idea=idea)
    _decide(worker, test, "abandon", reasons="Nobody came.")
    idea.refresh_from_db()
    assert idea.status == Idea.Status.NOT_TAKEN_FORWARD
    assert "Nobody came." in present(idea.responses.order_by("-id").first()).text


@pytest.mark.parametrize("meanwhile", ["withdrawn", "hidden"])
def test_a_decision_leaves_an_idea_withdrawn_or_hidden_meanwhile_unanswered(
    worker: Any, member: Any, coordinator: Any, meanwhile: str
) -> None:
    idea = voice_services.idea_create(actor=member, title="Evening hours", body="Open later on weekdays.")
    test = services.pdsa_create(actor=worker, fields=fields(), idea=idea)
    answered = idea.responses.count()
    if meanwhile == "withdrawn":
        voice_services.idea_withdraw(actor=member, idea=idea)
    else:
        voice_services.moderation_set_hidden(actor=coordinator, idea=idea, hidden=True, reason="It named a child")
    assert _decide(coordinator, test, "abandon", reasons="Nobody came.").is_effective
    idea.refresh_from_db()
    assert idea.status == Idea.Status.IN_PROGRESS
    assert idea.responses.count() == answered


def test_the_review_reminder_is_sent_once_on_its_date(
    worker: Any, member: Any, test_of_change: TestOfChange, django_capture_on_commit_callbacks: Any
) -> None:
    decision = _decide(worker, test_of_change)
    assert services.review_reminder_send(decision.pk) is False  # not yet
    Decision.objects.filter(pk=decision.pk).update(review_on=timezone.localdate())
    with django_capture_on_commit_callbacks(execute=True):
        assert services.review_reminder_send(decision.pk) is True
        assert services.review_reminder_send(decision.pk) is False
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {worker.user.email, member.user.email}
    assert test_of_change.title in mail.outbox[0].subject
    from coproduce.notifications.models import Notice

    told = Notice.objects.filter(
        kind="improvement.review_due", subject_key=f"improvement.decision:{decision.pk}:review"
    )
    assert set(told.values_list("user_id", flat=True)) == {worker.user_id, member.user_id}


def test_the_periodic_job_reminds_on_the_morning_of_the_review_date_once(
    worker: Any, member: Any, test_of_change: TestOfChange, database_tasks: None
) -> None:
    from django_tasks_db.models import DBTaskResult

    from coproduce.improvement.tasks import send_due_review_reminders
    from tests.core.workers import run_due_tasks

    decision = _decide(worker, test_of_change)
    assert not DBTaskResult.objects.exists()  # nothing queued on commit, nothing to lose
    assert send_due_review_reminders.call() == 0  # the review date has not come
    Decision.objects.filter(pk=decision.pk).update(review_on=timezone.localdate())
    today = timezone.localdate()
    assert services.review_reminders_send_due(now=_local(today, 8, 59)) == 0  # not before 09:00
    assert services.review_reminders_send_due(now=_local(today, 9, 0)) == 1
    assert services.review_reminders_send_due(now=_local(today, 9, 15)) == 0  # run again: sent already
    assert [row.task_path for row in DBTaskResult.objects.all()] == ["coproduce.core.tasks.send_email"]
    assert run_due_tasks() == 1
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {worker.user.email, member.user.email}
    assert Decision.objects.get(pk=decision.pk).reminded_at is not None


def test_a_review_date_passed_while_nothing_ran_is_reminded_by_the_next_run(
    worker: Any, test_of_change: TestOfChange
) -> None:
    decision = _decide(worker, test_of_change)
    Decision.objects.filter(pk=decision.pk).update(review_on=timezone.localdate() - timedelta(days=3))
    assert services.review_reminders_due() == [decision.pk]
    assert services.review_reminders_send_due() == 1


def test_a_decision_waiting_to_be_cosigned_is_not_reminded(worker: Any, test_of_change: TestOfChange) -> None:
    decision = _decide(worker, test_of_change)
    Decision.objects.filter(pk=decision.pk).update(review_on=timezone.localdate(), effective_at=None)
    assert services.review_reminders_due(now=_local(timezone.localdate(), 23, 0)) == []


def _local(day: date, hour: int, minute: int) -> Any:
    from datetime import datetime, time

    return timezone.make_aware(datetime.combine(day, time(hour, minute)), timezone.get_default_timezone())


# --- The stop-doing register ---------------------------------------------------------------------------


def test_tell_and_go_lists_a_practice_at_once(member: Any) -> None:
    entry = services.stopped_create(actor=member, what="Paper sign-in", why="Nobody reads it.")
    assert entry.status == "stopped"
    assert entry.decided_by == member.user.display_name
    assert entry.decided_on == timezone.localdate()


def test_agree_first_needs_someone_from_the_other_side(
    worker: Any, member: Any, coordinator: Any, partnership: Any
) -> None:
    services.settings_update(actor=coordinator, decisions_need_member=False, stop_rule="agree")
    entry = services.stopped_create(actor=worker, what="Paper sign-in", why="Nobody reads it.")
    assert entry.status == "proposed"
    for same_side in (worker, coordinator):
        with pytest.raises(ServiceError):
            services.stopped_agree(actor=same_side, entry=entry)
    assert services.stopped_agree(actor=member, entry=entry).status == "stopped"
    with pytest.raises(ServiceError):
        services.stopped_agree(actor=member, entry=entry)


def test_a_stopped_practice_needs_what_and_why_and_a_past_date(member: Any) -> None:
    with pytest.raises(ServiceError) as error:
        services.stopped_create(actor=member, what="", why="x")
    assert error.value.field == "what"
    with pytest.raises(ServiceError) as error:
        services.stopped_create(actor=member, what="x", why=" ")
    assert error.value.field == "why"
    with pytest.raises(ServiceError) as error:
        services.stopped_create(actor=member, what="x", why="y", decided_on=timezone.localdate() + timedelta(days=1))
    assert error.value.field == "decided_on"
    assert not StoppedPractice.objects.exists()


def test_only_coordinators_change_the_settings(worker: Any, coordinator: Any) -> None:
    with pytest.raises(NotPermitted):
        services.settings_update(actor=worker, decisions_need_member=True, stop_rule="agree")
    with pytest.raises(ServiceError):
        services.settings_update(actor=coordinator, decisions_need_member=True, stop_rule="sometimes")
    assert not ImprovementSettings.objects.filter(decisions_need_member=True).exists()
