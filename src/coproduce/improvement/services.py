"""Every write for tests of change and the stop-doing register: keyword-only, the acting membership first,
permission checked, one transaction with the rows it changes locked, an audit event, reminders enqueued on
commit. Bad input raises ``ServiceError`` naming the field, before anything is saved."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.audit import audit_record
from coproduce.core.exceptions import ServiceError
from coproduce.core.guards import same_partnership, text_checked
from coproduce.core.permissions import require_rule
from coproduce.improvement.models import (
    SHORT_MAX,
    TEXT_MAX,
    TITLE_MAX,
    Decision,
    ImprovementSettings,
    Measure,
    MemberCheck,
    Observation,
    StoppedPractice,
    TestOfChange,
)
from coproduce.partnerships.models import Membership

MAX_VALUE = Decimal("9999999999")  # what the value column holds (14 digits, 4 after the point)
_TYPED_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")  # digits, perhaps a point: no exponent
CSV_MAX_ROWS = 5000
CSV_MAX_BYTES = 500_000


def settings_for(partnership_id: int) -> ImprovementSettings:
    found, _created = ImprovementSettings.objects.get_or_create(partnership_id=partnership_id)
    return found


def _audit(actor: Membership, action: str, target: Any, **detail: Any) -> None:
    audit_record(
        actor=actor.user,
        action=f"improvement.{action}",
        partnership_id=actor.partnership_id,
        target=target,
        detail=detail or None,
    )


# --- Settings -----------------------------------------------------------------------------------------


def settings_update(*, actor: Membership, decisions_need_member: bool, stop_rule: str) -> ImprovementSettings:
    require_rule("improvement.settings", actor)
    if stop_rule not in ImprovementSettings.StopRule.values:
        raise ServiceError(_("Choose how stopping a practice works."), field="stop_rule")
    with transaction.atomic(durable=True):
        settings_for(actor.partnership_id)
        found = ImprovementSettings.objects.select_for_update().get(partnership_id=actor.partnership_id)
        found.decisions_need_member, found.stop_rule = decisions_need_member, stop_rule
        found.save(update_fields=["decisions_need_member", "stop_rule"])
        _audit(actor, "settings_changed", found, decisions_need_member=decisions_need_member, stop=stop_rule)
    return found


# --- Tests of change ----------------------------------------------------------------------------------


@dataclass
class TestFields:
    __test__ = False

    title: str
    aim_what: str
    aim_how_much: str
    aim_by_when: date
    change_kind: str
    change: str
    predictions: str
    starts_on: date
    ends_on: date


def _clean_test(fields: TestFields) -> TestFields:
    fields.title = text_checked(fields.title, field="title", max_length=TITLE_MAX, required=_("Give the test a name."))
    fields.aim_what = text_checked(
        fields.aim_what, field="aim_what", max_length=TEXT_MAX, required=_("Say what you want to improve.")
    )
    fields.aim_how_much = text_checked(
        fields.aim_how_much, field="aim_how_much", max_length=SHORT_MAX, required=_("Say by how much.")
    )
    if fields.change_kind not in TestOfChange.ChangeKind.values:
        raise ServiceError(_("Choose whether you will try something new or stop something."), field="change_kind")
    fields.change = text_checked(
        fields.change, field="change", max_length=TEXT_MAX, required=_("Say what you will try or stop.")
    )
    fields.predictions = text_checked(
        fields.predictions,
        field="predictions",
        max_length=TEXT_MAX,
        required=_("Say what you predict will happen: it is what you will compare the results with."),
    )
    if fields.ends_on < fields.starts_on:
        raise ServiceError(_("The end date must be on or after the start date."), field="ends_on")
    if fields.aim_by_when < fields.starts_on:
        raise ServiceError(_("The aim's date must be on or after the start date."), field="aim_by_when")
    return fields


def pdsa_create(
    *,
    actor: Membership,
    fields: TestFields,
    people: list[Membership] | None = None,
    idea: Any = None,
) -> TestOfChange:
    """Set up a test of change owned by ``actor``; ``people`` are the others involved (members and staff).
    When it grows out of an idea, a response on the idea links to it."""
    require_rule("improvement.add_test", actor)
    fields = _clean_test(fields)
    people = people or []
    for person in people:
        same_partnership(actor, person)
    if idea is not None:
        same_partnership(actor, idea)
    with transaction.atomic(durable=True):
        test = TestOfChange.objects.create(
            partnership_id=actor.partnership_id,
            owner=actor.user,
            organisation_id=actor.organisation_id,
            idea=idea,
            **vars(fields),
        )
        test.people.set([actor, *people])
        if idea is not None:
            from coproduce.voice.api import response_record

            response_record(
                actor=actor,
                idea=idea,
                text=_("We are testing this idea: “%(title)s”. Follow the test to see what we learn.")
                % {"title": test.title},
                link_url=reverse("improvement:test", kwargs={"slug": actor.partnership.slug, "test_id": test.pk}),
                link_label=test.title,
                source="improvement",
            )
        _audit(actor, "test_created", test)
    return test


PLAN_FIELDS = [
    "title",
    "aim_what",
    "aim_how_much",
    "aim_by_when",
    "change_kind",
    "change",
    "predictions",
    "starts_on",
    "ends_on",
]


def pdsa_update(
    *,
    actor: Membership,
    test: TestOfChange,
    fields: TestFields,
    people: list[Membership] | None = None,
) -> TestOfChange:
    """Change a test's plan after set-up: its name, aim, change, predictions, dates and the people involved
    (the owner stays involved). The same checks as setting it up; closed once the test is decided. The audit
    event names the fields that changed and who joined or left."""
    fields = _clean_test(fields)
    people = people or []
    for person in people:
        same_partnership(actor, person)
    with transaction.atomic(durable=True):
        locked = _runnable_for_update(actor, test)
        if locked.stage == TestOfChange.Stage.ACT:
            raise ServiceError(_("This test has been decided; its plan is closed."), code="decided")
        changed = [name for name in PLAN_FIELDS if getattr(locked, name) != getattr(fields, name)]
        owner = (
            Membership.objects.filter(partnership_id=locked.partnership_id, user_id=locked.owner_id).first()
            if locked.owner_id is not None
            else None
        )
        wanted = {person.pk for person in people} | ({owner.pk} if owner is not None else set())
        before = set(locked.people.values_list("pk", flat=True))
        added, removed = sorted(wanted - before), sorted(before - wanted)
        if not changed and not added and not removed:
            return locked
        for name in changed:
            setattr(locked, name, getattr(fields, name))
        locked.updated_at = timezone.now()
        locked.save(update_fields=[*changed, "updated_at"])
        if added or removed:
            locked.people.set(sorted(wanted))
        _audit(actor, "test_changed", locked, changed=changed, people_added=added, people_removed=removed)
    return locked


def _runnable_for_update(actor: Membership, test: TestOfChange) -> TestOfChange:
    same_partnership(actor, test)
    require_rule("improvement.run_test", actor, test)
    return TestOfChange.objects.select_for_update().get(pk=test.pk)


def pdsa_stage_set(*, actor: Membership, test: TestOfChange, stage: str) -> TestOfChange:
    """Move a test between plan, do and study. It reaches "act" only by a decision."""
    if stage not in (TestOfChange.Stage.PLAN, TestOfChange.Stage.DO, TestOfChange.Stage.STUDY):
        raise ServiceError(_("Choose plan, do or study. A test reaches “act” when it is decided."), field="stage")
    with transaction.atomic(durable=True):
        locked = _runnable_for_update(actor, test)
        if locked.stage == TestOfChange.Stage.ACT:
            raise ServiceError(_("This test has been decided; it cannot go back."), field="stage", code="decided")
        locked.stage = stage
        locked.updated_at = timezone.now()
        locked.save(update_fields=["stage", "updated_at"])
        _audit(actor, "test_stage_set", locked, stage=stage)
    return locked


def study_record(*, actor: Membership, test: TestOfChange, notes: str) -> TestOfChange:
    notes = text_checked(
        notes, field="notes", max_length=TEXT_MAX, required=_("Write what happened, against the predictions.")
    )
    with transaction.atomic(durable=True):
        locked = _runnable_for_update(actor, test)
        if locked.stage == TestOfChange.Stage.ACT:
            raise ServiceError(_("This test has been decided; its study notes are closed."), code="decided")
        locked.study_notes = notes
        locked.stage = TestOfChange.Stage.STUDY
        locked.updated_at = timezone.now()
        locked.save(update_fields=["study_notes", "stage", "updated_at"])
        _audit(actor, "study_recorded", locked)
    return locked


# --- Measures and observations -----------------------------------------------------------------------


def measure_create(
    *,
    actor: Membership,
    test: TestOfChange,
    name: str,
    kind: str,
    unit: str,
    better: str,
    source: str,
    baseline_points: int | None = None,
) -> Measure:
    name = text_checked(name, field="name", max_length=TITLE_MAX, required=_("Name the measure."))
    unit = text_checked(
        unit, field="unit", max_length=60, required=_("Give the unit, for example “parents” or “days”.")
    )
    source = text_checked(source, field="source", max_length=SHORT_MAX, required=_("Say where the figures come from."))
    if kind not in Measure.Kind.values:
        raise ServiceError(_("Choose outcome, process or balancing."), field="kind")
    if better not in Measure.Better.values:
        raise ServiceError(_("Choose which direction is better."), field="better")
    if baseline_points is not None and baseline_points < 1:
        raise ServiceError(_("The baseline must be at least 1 observation."), field="baseline_points")
    with transaction.atomic(durable=True):
        locked = _runnable_for_update(actor, test)
        if Measure.objects.filter(test=locked, name=name).exists():
            raise ServiceError(_("This test already has a measure with that name."), field="name", code="duplicate")
        measure = Measure.objects.create(
            test=locked, name=name, kind=kind, unit=unit, better=better, source=source, baseline_points=baseline_points
        )
        _audit(actor, "measure_created", measure)
    return measure


def parse_value(raw: str, *, field: str = "value") -> Decimal:
    """A number as people type it: "12", "12.5", "-3", "1,200" (thousands commas). Refuses anything else,
    exponents ("1e999999", which the decimal module cannot even compare) and NaN included."""
    text = (raw or "").strip().replace(",", "")
    if not text:
        raise ServiceError(_("Enter a value."), field=field, code="required")
    if not _TYPED_NUMBER.fullmatch(text):
        raise ServiceError(
            _("“%(raw)s” is not a number. Enter a number like 12 or 12.5.") % {"raw": raw[:40]}, field=field
        )
    whole_digits = text.lstrip("+-").split(".")[0].lstrip("0")
    if len(whole_digits) > len(str(int(MAX_VALUE))) or abs(Decimal(text)) > MAX_VALUE:
        raise ServiceError(_("The value is too large."), field=field)
    return Decimal(text).quantize(Decimal("0.0001"))


def _check_date(day: date, *, field: str) -> None:
    if day > timezone.localdate():
        raise ServiceError(_("The date is in the future. Enter the day it was observed."), field=field)


def _clean_observation(observed_on: date, value: str | Decimal, note: str) -> tuple[Decimal, str]:
    """The value as a number and the note tidied, or a ServiceError: what recording and correcting share."""
    amount = value if isinstance(value, Decimal) else parse_value(value)
    _check_date(observed_on, field="observed_on")
    return amount, text_checked(note, field="note", max_length=SHORT_MAX, required=None)


def _refuse_a_second_value(measure_id: int, observed_on: date, *, besides: int | None = None) -> None:
    """One value per date per measure: refuse a date that already has one (other than ``besides``)."""
    taken = Observation.objects.filter(measure_id=measure_id, observed_on=observed_on)
    if besides is not None:
        taken = taken.exclude(pk=besides)
    if taken.exists():
        raise ServiceError(
            _("There is already an observation for %(day)s. Each date can have one value.")
            % {"day": observed_on.strftime("%d/%m/%Y")},
            field="observed_on",
            code="duplicate",
        )


@contextmanager
def _one_value_per_date() -> Iterator[None]:
    """Save inside this: someone else saving the same date at the same moment is refused by the database's
    unique constraint, and told as the same plain message, not a 500."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError:
        raise ServiceError(
            _("There is already an observation for that date."), field="observed_on", code="duplicate"
        ) from None


def observation_record(
    *,
    actor: Membership,
    measure: Measure,
    observed_on: date,
    value: str | Decimal,
    note: str = "",
) -> Observation:
    amount, note = _clean_observation(observed_on, value, note)
    test = measure.test
    with transaction.atomic(durable=True):
        locked_test = _runnable_for_update(actor, test)
        locked = Measure.objects.select_for_update().get(pk=measure.pk, test=locked_test)
        _refuse_a_second_value(locked.pk, observed_on)
        with _one_value_per_date():
            observation = Observation.objects.create(
                measure=locked, observed_on=observed_on, value=amount, note=note, entered_by=actor.user
            )
        TestOfChange.objects.filter(pk=locked_test.pk).update(updated_at=timezone.now())
        _audit(actor, "observation_recorded", observation)
    return observation


def _observation_snapshot(observation: Observation) -> dict[str, str]:
    return {
        "date": observation.observed_on.isoformat(),
        "value": str(observation.value),
        "note": observation.note,
    }


def _observation_for_update(actor: Membership, observation: Observation) -> tuple[TestOfChange, Observation]:
    """Lock the test, the measure and the observation, in that order (as recording one does)."""
    measure = observation.measure
    locked_test = _runnable_for_update(actor, measure.test)
    locked_measure = Measure.objects.select_for_update().get(pk=measure.pk, test=locked_test)
    locked = Observation.objects.select_for_update().filter(pk=observation.pk, measure=locked_measure).first()
    if locked is None:  # someone deleted it since the page was read
        raise ServiceError(_("This observation has been deleted."), code="gone")
    return locked_test, locked


def observation_update(
    *,
    actor: Membership,
    observation: Observation,
    observed_on: date,
    value: str | Decimal,
    note: str = "",
) -> Observation:
    """Correct an observation's date, value or note: the same checks as recording one (a number, not in the
    future, one value per date). The audit event keeps what it was and what it became."""
    amount, note = _clean_observation(observed_on, value, note)
    with transaction.atomic(durable=True):
        locked_test, locked = _observation_for_update(actor, observation)
        _refuse_a_second_value(locked.measure_id, observed_on, besides=locked.pk)
        before = _observation_snapshot(locked)
        locked.observed_on, locked.value, locked.note = observed_on, amount, note
        with _one_value_per_date():
            locked.save(update_fields=["observed_on", "value", "note"])
        locked.refresh_from_db(fields=["value"])  # the stored decimal, not what was typed
        after = _observation_snapshot(locked)
        if after != before:
            TestOfChange.objects.filter(pk=locked_test.pk).update(updated_at=timezone.now())
            _audit(actor, "observation_changed", locked, before=before, after=after)
    return locked


def observation_delete(*, actor: Membership, observation: Observation) -> None:
    """Delete an observation recorded by mistake. The audit event keeps what it was."""
    with transaction.atomic(durable=True):
        locked_test, locked = _observation_for_update(actor, observation)
        _audit(actor, "observation_deleted", locked, deleted=_observation_snapshot(locked))
        locked.delete()
        TestOfChange.objects.filter(pk=locked_test.pk).update(updated_at=timezone.now())


CSV_COLUMNS = ["date", "value"]
CSV_OPTIONAL = ["note"]


def _parse_csv_date(raw: str) -> date | None:
    raw = raw.strip()
    for parse in (date.fromisoformat, _uk_date):
        try:
            return parse(raw)
        except ValueError:
            continue
    return None


def _uk_date(raw: str) -> date:
    day, month, year = raw.split("/")
    return date(int(year), int(month), int(day))


@dataclass
class ObservationRows:
    """What :func:`read_observations_csv` found: the good rows as ``(line, day, value, note)``, in file order,
    and a message for each bad one as ``(line, message)``."""

    rows: list[tuple[int, date, Decimal, str]]
    problems: list[tuple[int, str]]


def read_observations_csv(content: bytes, *, today: date) -> ObservationRows:
    """Read a CSV file of observations with a header row ``date,value`` (and optionally ``note``): dates as
    2026-03-31 or 31/03/2026, in order, none after ``today``, none twice. A file that cannot be read at all
    raises ServiceError (field ``file``); each bad row is a problem naming its line. Needs no database."""
    if len(content) > CSV_MAX_BYTES:
        raise ServiceError(_("The file is too large: keep it under 500 KB."), field="file")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ServiceError(_("The file must be a CSV file saved as UTF-8 text."), field="file") from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []  # each row with the line it starts on (a quoted note may hold more)
    start = 1
    try:
        for row in reader:
            rows.append((start, row))
            start = reader.line_num + 1
            if len(rows) > CSV_MAX_ROWS + 1:
                raise ServiceError(_("The file has more than %(max)d rows.") % {"max": CSV_MAX_ROWS}, field="file")
    except csv.Error:  # a quote left open or in the wrong place, or a cell far too long
        raise ServiceError(
            _('Line %(line)d cannot be read as CSV: check its quotes (") and that no cell is very long.')
            % {"line": start},
            field="file",
        ) from None
    if not rows or not any(cell.strip() for cell in rows[0][1]):
        raise ServiceError(_("The file is empty. Line 1 must be the header: date,value"), field="file")
    first = rows[0][1]
    header = [cell.strip().lower() for cell in first]
    if header[:2] != CSV_COLUMNS or any(extra not in CSV_OPTIONAL for extra in header[2:]):
        raise ServiceError(
            _("Line 1: the columns must be “date,value” (and optionally “note”), but they are “%(found)s”.")
            % {"found": ",".join(first)[:100]},
            field="file",
        )
    has_note = "note" in header
    found = ObservationRows(rows=[], problems=[])
    seen: dict[date, int] = {}
    previous: date | None = None
    for line, row in rows[1:]:
        if not any(cell.strip() for cell in row):
            continue

        def problem(message: str, line: int = line) -> None:
            found.problems.append((line, message))

        if len(row) != len(header):
            problem(
                _("Line %(line)d: expected %(want)d columns but found %(got)d.")
                % {"line": line, "want": len(header), "got": len(row)}
            )
            continue
        if any("\x00" in cell for cell in row):
            problem(_("Line %(line)d: a NUL character, which is not text.") % {"line": line})
            continue
        day = _parse_csv_date(row[0])
        if day is None:
            problem(
                _("Line %(line)d: “%(raw)s” is not a date; write it like 2026-03-31 or 31/03/2026.")
                % {"line": line, "raw": row[0][:40]}
            )
            continue
        try:
            value = parse_value(row[1])
        except ServiceError as error:
            problem(_("Line %(line)d: %(why)s") % {"line": line, "why": error.message})
            continue
        if day > today:
            problem(_("Line %(line)d: %(day)s is in the future.") % {"line": line, "day": row[0].strip()})
            continue
        if day in seen:
            problem(
                _("Line %(line)d: %(day)s is already on line %(first)d.")
                % {"line": line, "day": row[0].strip(), "first": seen[day]}
            )
            continue
        if previous is not None and day < previous:
            problem(
                _("Line %(line)d: %(day)s comes before the date above it; put the rows in date order.")
                % {"line": line, "day": row[0].strip()}
            )
            continue
        seen[day] = line
        previous = day
        found.rows.append((line, day, value, row[2].strip()[:SHORT_MAX] if has_note else ""))
    if not found.rows and not found.problems:
        raise ServiceError(_("The file has a header but no observations."), field="file")
    return found


def observations_import(*, actor: Membership, measure: Measure, content: bytes) -> int:
    """Import observations from a CSV file (see :func:`read_observations_csv`), none already recorded. Every
    problem is reported with its line number; the file is saved whole or not at all. Returns how many were
    saved."""
    found = read_observations_csv(content, today=timezone.localdate())
    problems = list(found.problems)
    test = measure.test
    with transaction.atomic(durable=True):
        locked_test = _runnable_for_update(actor, test)
        locked = Measure.objects.select_for_update().get(pk=measure.pk, test=locked_test)
        line_of = {day: line for line, day, _v, _n in found.rows}
        existing = Observation.objects.filter(measure=locked, observed_on__in=list(line_of)).values_list(
            "observed_on", flat=True
        )
        for day in sorted(existing):
            problems.append(
                (
                    line_of[day],
                    _("Line %(line)d: there is already an observation for %(day)s.")
                    % {"line": line_of[day], "day": day.strftime("%d/%m/%Y")},
                )
            )
        if problems:
            shown = [message for _line, message in sorted(problems, key=lambda problem: problem[0])[:20]]
            raise ServiceError(" ".join(shown), field="file", code="invalid_rows")
        Observation.objects.bulk_create(
            [
                Observation(
                    measure=locked,
                    observed_on=day,
                    value=value,
                    note=note,
                    source=Observation.Source.IMPORTED,
                    entered_by=actor.user,
                )
                for _line, day, value, note in found.rows
            ]
        )
        TestOfChange.objects.filter(pk=locked_test.pk).update(updated_at=timezone.now())
        _audit(actor, "observations_imported", locked, rows=len(found.rows))
    return len(found.rows)


def check_record(*, actor: Membership, test: TestOfChange, answer: str, words: str = "") -> MemberCheck:
    """A member's answer to "Did this help you?". One a day per person; answering again changes it."""
    same_partnership(actor, test)
    require_rule("improvement.check", actor, test)
    if answer not in MemberCheck.Answer.values:
        raise ServiceError(_("Choose yes, a bit or no."), field="answer")
    words = text_checked(words, field="words", max_length=500, required=None)
    with transaction.atomic(durable=True):
        TestOfChange.objects.select_for_update().get(pk=test.pk)
        check, _created = MemberCheck.objects.update_or_create(
            test=test, member=actor.user, answered_on=timezone.localdate(), defaults={"answer": answer, "words": words}
        )
    return check


# --- Decisions ----------------------------------------------------------------------------------------


def decision_record(
    *,
    actor: Membership,
    test: TestOfChange,
    kind: str,
    reasons: str,
    review_on: date | None,
) -> Decision:
    """Decide a test: adopt, adapt (opens the next cycle, linked) or abandon (enters the stop-doing
    register). Needs reasons and a review date after today. When the partnership asks for it and the person
    deciding is not a member, the decision waits for a member to co-sign it."""
    if kind not in Decision.Kind.values:
        raise ServiceError(_("Choose adopt, adapt or abandon."), field="kind")
    reasons = text_checked(
        reasons, field="reasons", max_length=TEXT_MAX, required=_("Give the reasons for the decision.")
    )
    if review_on is None:
        raise ServiceError(_("Enter a review date."), field="review_on")
    if review_on <= timezone.localdate():
        raise ServiceError(_("The review date must be after today."), field="review_on")
    with transaction.atomic(durable=True):
        locked = _runnable_for_update(actor, test)
        if Decision.objects.filter(test=locked).exists():
            raise ServiceError(_("This test has already been decided."), code="decided")
        needs_member = settings_for(actor.partnership_id).decisions_need_member
        now = timezone.now()
        decision = Decision.objects.create(
            test=locked,
            kind=kind,
            reasons=reasons,
            review_on=review_on,
            decided_by=actor.user,
            decided_at=now,
            needs_member=needs_member,
            cosigned_by=actor.user if needs_member and actor.is_member else None,
            cosigned_at=now if needs_member and actor.is_member else None,
        )
        locked.stage = TestOfChange.Stage.ACT
        locked.updated_at = now
        locked.save(update_fields=["stage", "updated_at"])
        _audit(actor, "decision_recorded", locked, kind=kind)
        if not needs_member or actor.is_member:
            _take_effect(actor, decision, locked)
    return decision


def decision_cosign(*, actor: Membership, test: TestOfChange) -> Decision:
    same_partnership(actor, test)
    require_rule("improvement.cosign", actor, test)
    with transaction.atomic(durable=True):
        locked_test = TestOfChange.objects.select_for_update().get(pk=test.pk)
        decision = Decision.objects.select_for_update().filter(test=locked_test).first()
        if decision is None:
            raise ServiceError(_("This test has not been decided yet."), code="undecided")
        if decision.is_effective:
            raise ServiceError(_("This decision has already taken effect."), code="effective")
        decision.cosigned_by = actor.user
        decision.cosigned_at = timezone.now()
        decision.save(update_fields=["cosigned_by", "cosigned_at"])
        _audit(actor, "decision_cosigned", locked_test)
        _take_effect(actor, decision, locked_test)
    return decision


def _take_effect(actor: Membership, decision: Decision, test: TestOfChange) -> None:
    now = timezone.now()
    decision.effective_at = now
    decision.save(update_fields=["effective_at"])
    slug = actor.partnership.slug
    if decision.kind == Decision.Kind.ADAPT:
        next_test = TestOfChange.objects.create(
            partnership_id=test.partnership_id,
            title=f"{test.title} ({_('cycle %(n)d') % {'n': test.cycle + 1}})"[:TITLE_MAX],
            aim_what=test.aim_what,
            aim_how_much=test.aim_how_much,
            aim_by_when=max(test.aim_by_when, timezone.localdate()),
            change_kind=test.change_kind,
            change=test.change,
            predictions=test.predictions,
            owner_id=test.owner_id,
            organisation_id=test.organisation_id,
            idea_id=test.idea_id,
            previous=test,
            cycle=test.cycle + 1,
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate() + max(test.ends_on - test.starts_on, timedelta(days=7)),
        )
        next_test.people.set(test.people.all())
        Measure.objects.bulk_create(
            [
                Measure(
                    test=next_test,
                    name=m.name,
                    kind=m.kind,
                    unit=m.unit,
                    better=m.better,
                    source=m.source,
                    baseline_points=m.baseline_points,
                )
                for m in test.measures.all()
            ]
        )
        _audit(actor, "test_created", next_test, previous=test.pk)
    elif _stops_a_practice(decision, test):
        entry = StoppedPractice.objects.create(
            partnership_id=test.partnership_id,
            what=(test.change if test.change_kind == TestOfChange.ChangeKind.STOP else test.title)[:TITLE_MAX],
            why=decision.reasons,
            evidence=test.study_notes or _("See the test of change “%(title)s”.") % {"title": test.title},
            decided_by=_decided_by_label(decision),
            decided_on=timezone.localdate(),
            test=test,
            status=StoppedPractice.Status.STOPPED,
            proposed_by=decision.decided_by,
            proposer_is_member=actor.is_member,
            agreed_by=decision.cosigned_by,
            agreed_at=decision.cosigned_at,
        )
        _audit(actor, "practice_stopped", entry, test=test.pk)
    if test.idea_id:
        _respond_on_idea(actor, decision, test, slug)
    decision_id = decision.pk
    transaction.on_commit(lambda: _review_reminder_schedule(decision_id))


def _stops_a_practice(decision: Decision, test: TestOfChange) -> bool:
    """Abandoning something we tried stops it; adopting a test of stopping something keeps it stopped.
    (Abandoning a test of stopping something means going back to it: nothing is entered.)"""
    if test.change_kind == TestOfChange.ChangeKind.TRY:
        return decision.kind == Decision.Kind.ABANDON
    return decision.kind == Decision.Kind.ADOPT


def _decided_by_label(decision: Decision) -> str:
    names = [person.display_name for person in (decision.decided_by, decision.cosigned_by) if person is not None]
    unique = list(dict.fromkeys(names))
    return " and ".join(unique)[:SHORT_MAX] or _("the partnership")


def _respond_on_idea(actor: Membership, decision: Decision, test: TestOfChange, slug: str) -> None:
    from coproduce.voice.api import IdeaStatus, idea_open_to_responses, response_record

    idea = idea_open_to_responses(actor=actor, idea_id=test.idea_id or 0)
    if idea is None:
        return
    status, text = {
        Decision.Kind.ADOPT: (IdeaStatus.DONE, _("We tested this idea and are keeping it: %(reasons)s")),
        Decision.Kind.ADAPT: (IdeaStatus.IN_PROGRESS, _("We tested this idea and are changing it: %(reasons)s")),
        Decision.Kind.ABANDON: (IdeaStatus.NOT_TAKEN_FORWARD, _("We tested this idea and stopped it: %(reasons)s")),
    }[Decision.Kind(decision.kind)]
    response_record(
        actor=actor,
        idea=idea,
        status=status,
        text=text % {"reasons": decision.reasons},
        link_url=reverse("improvement:test", kwargs={"slug": slug, "test_id": test.pk}),
        link_label=test.title,
        source="improvement",
    )


REMINDER_TIME = time(9, 0)


def _review_reminder_schedule(decision_id: int) -> None:
    """Enqueue the reminder (``tasks.send_review_reminder``) for a decision that has taken effect, to run at
    09:00 on its review date."""
    from coproduce.improvement.tasks import send_review_reminder

    decision = Decision.objects.filter(pk=decision_id, effective_at__isnull=False).first()
    if decision is None:
        return
    due = timezone.make_aware(datetime.combine(decision.review_on, REMINDER_TIME))
    if not send_review_reminder.get_backend().supports_defer:
        return  # a backend that runs tasks at once (tests) cannot wait for the review date
    send_review_reminder.using(run_after=max(due, timezone.now())).enqueue(decision_id)


def review_reminder_send(decision_id: int) -> bool:
    """Remind a decided test's owner and the staff and members involved that its review date has come.
    Sends once (the reminder is marked sent and its email queued in one transaction, see core.outbox);
    returns whether it sent."""
    from django.conf import settings
    from django.template.loader import render_to_string

    from coproduce.core.outbox import queue_email

    with transaction.atomic(durable=True):
        decision = (
            Decision.objects.select_for_update()
            .select_related("test", "test__partnership")
            .filter(pk=decision_id, effective_at__isnull=False, reminded_at__isnull=True)
            .first()
        )
        if decision is None or decision.review_on > timezone.localdate():
            return False
        test = decision.test
        emails = {person.user.email for person in test.people.select_related("user")}
        if test.owner is not None:
            emails.add(test.owner.email)
        decision.reminded_at = timezone.now()
        decision.save(update_fields=["reminded_at"])
        context = {
            "test": test,
            "decision": decision,
            "url": settings.COPRODUCE_SITE_URL.rstrip("/")
            + reverse("improvement:test", kwargs={"slug": test.partnership.slug, "test_id": test.pk}),
        }
        queue_email(
            kind="improvement.review_reminder",
            to=sorted(emails),
            subject=render_to_string("improvement/email/review_subject.txt", context).strip(),
            body=render_to_string("improvement/email/review_body.txt", context),
        )
    return True


# --- The stop-doing register --------------------------------------------------------------------------


def stopped_create(
    *,
    actor: Membership,
    what: str,
    why: str,
    evidence: str = "",
    decided_by: str = "",
    decided_on: date | None = None,
    replaced_by: str = "",
) -> StoppedPractice:
    """Enter a practice the partnership stopped. With "agree first", it waits for someone from the other
    side (a member if a member of staff entered it, and the other way round) before it is listed as stopped."""
    require_rule("improvement.add_stopped", actor)
    what = text_checked(what, field="what", max_length=TITLE_MAX, required=_("Say what was stopped."))
    why = text_checked(why, field="why", max_length=TEXT_MAX, required=_("Say why it was stopped."))
    evidence = text_checked(evidence, field="evidence", max_length=TEXT_MAX, required=None)
    decided_by = (
        text_checked(decided_by, field="decided_by", max_length=SHORT_MAX, required=None) or actor.user.display_name
    )
    replaced_by = text_checked(replaced_by, field="replaced_by", max_length=SHORT_MAX, required=None)
    decided_on = decided_on or timezone.localdate()
    _check_date(decided_on, field="decided_on")
    with transaction.atomic(durable=True):
        rule = settings_for(actor.partnership_id).stop_rule
        entry = StoppedPractice.objects.create(
            partnership_id=actor.partnership_id,
            what=what,
            why=why,
            evidence=evidence,
            decided_by=decided_by[:SHORT_MAX],
            decided_on=decided_on,
            replaced_by=replaced_by,
            status=(
                StoppedPractice.Status.PROPOSED
                if rule == ImprovementSettings.StopRule.AGREE_FIRST
                else StoppedPractice.Status.STOPPED
            ),
            proposed_by=actor.user,
            proposer_is_member=actor.is_member,
        )
        _audit(actor, "practice_entered", entry, status=entry.status)
    return entry


def may_agree(actor: Membership, entry: StoppedPractice) -> bool:
    """Someone from the other side of the partnership, not the person who entered it."""
    if entry.status != StoppedPractice.Status.PROPOSED or entry.proposed_by_id == actor.user_id:
        return False
    return actor.is_staff_role if entry.proposer_is_member else actor.is_member


def stopped_agree(*, actor: Membership, entry: StoppedPractice) -> StoppedPractice:
    same_partnership(actor, entry)
    require_rule("improvement.agree_stopped", actor, entry)
    with transaction.atomic(durable=True):
        locked = StoppedPractice.objects.select_for_update().get(pk=entry.pk)
        if locked.status == StoppedPractice.Status.STOPPED:
            raise ServiceError(_("This practice is already listed as stopped."), code="stopped")
        if not may_agree(actor, locked):
            raise ServiceError(
                _("Someone from the other side must agree: a member if staff entered it, staff if a member did."),
                code="same_side",
            )
        locked.status = StoppedPractice.Status.STOPPED
        locked.agreed_by = actor.user
        locked.agreed_at = timezone.now()
        locked.save(update_fields=["status", "agreed_by", "agreed_at"])
        _audit(actor, "practice_agreed", locked)
    return locked
