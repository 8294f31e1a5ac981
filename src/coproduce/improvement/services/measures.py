"""A test's measures and their observations: recording, correcting, deleting and importing them from CSV."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.exceptions import ServiceError
from coproduce.core.guards import text_checked
from coproduce.improvement.models import SHORT_MAX, TITLE_MAX, Measure, Observation, TestOfChange
from coproduce.improvement.services._common import audit, check_date, runnable_for_update
from coproduce.partnerships.models import Membership

MAX_VALUE = Decimal("9999999999")  # what the value column holds (14 digits, 4 after the point)
_TYPED_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")  # digits, perhaps a point: no exponent
CSV_MAX_ROWS = 5000
CSV_MAX_BYTES = 500_000


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
        locked = runnable_for_update(actor, test)
        if Measure.objects.filter(test=locked, name=name).exists():
            raise ServiceError(_("This test already has a measure with that name."), field="name", code="duplicate")
        measure = Measure.objects.create(
            test=locked, name=name, kind=kind, unit=unit, better=better, source=source, baseline_points=baseline_points
        )
        audit(actor, "measure_created", measure)
    return measure


def refuse_linked(measure: Measure) -> None:
    """A measure that follows another part of the platform takes its figures from there, never from here."""
    if measure.is_linked:
        raise ServiceError(
            _(
                "“%(name)s” follows figures kept by another part of the platform, so they cannot be entered or "
                "imported here. Its chart updates by itself."
            )
            % {"name": measure.name},
            field="measure",
            code="linked",
        )


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


def _clean_observation(observed_on: date, value: str | Decimal, note: str) -> tuple[Decimal, str]:
    """The value as a number and the note tidied, or a ServiceError: what recording and correcting share."""
    amount = value if isinstance(value, Decimal) else parse_value(value)
    check_date(observed_on, field="observed_on")
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
    refuse_linked(measure)
    amount, note = _clean_observation(observed_on, value, note)
    test = measure.test
    with transaction.atomic(durable=True):
        locked_test = runnable_for_update(actor, test)
        locked = Measure.objects.select_for_update().get(pk=measure.pk, test=locked_test)
        _refuse_a_second_value(locked.pk, observed_on)
        with _one_value_per_date():
            observation = Observation.objects.create(
                measure=locked, observed_on=observed_on, value=amount, note=note, entered_by=actor.user
            )
        TestOfChange.objects.filter(pk=locked_test.pk).update(updated_at=timezone.now())
        audit(actor, "observation_recorded", observation)
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
    locked_test = runnable_for_update(actor, measure.test)
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
            audit(actor, "observation_changed", locked, before=before, after=after)
    return locked


def observation_delete(*, actor: Membership, observation: Observation) -> None:
    """Delete an observation recorded by mistake. The audit event keeps what it was."""
    with transaction.atomic(durable=True):
        locked_test, locked = _observation_for_update(actor, observation)
        audit(actor, "observation_deleted", locked, deleted=_observation_snapshot(locked))
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
    refuse_linked(measure)
    found = read_observations_csv(content, today=timezone.localdate())
    problems = list(found.problems)
    test = measure.test
    with transaction.atomic(durable=True):
        locked_test = runnable_for_update(actor, test)
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
        audit(actor, "observations_imported", locked, rows=len(found.rows))
    return len(found.rows)
