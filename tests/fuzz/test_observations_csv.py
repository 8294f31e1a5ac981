"""Fuzz: reading a CSV file of observations raises nothing but ``ServiceError`` (naming the file field) for any
file, however hostile. Seeded with the sample file in tests/data. The reader needs no database."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from coproduce.core.exceptions import ServiceError
from coproduce.improvement.models import SHORT_MAX
from coproduce.improvement.services import MAX_VALUE, ObservationRows, read_observations_csv
from tests.fuzz.mutations import FUZZ, mutated

SEED = (Path(__file__).resolve().parent.parent / "data" / "improvement" / "observations.csv").read_text(
    encoding="utf-8"
)
TODAY = date(2026, 1, 1)


def test_the_seed_reads() -> None:
    found = read_observations_csv(SEED.encode(), today=TODAY)
    assert found.rows and not found.problems


def _read(content: bytes) -> ObservationRows | ServiceError:
    try:
        return read_observations_csv(content, today=TODAY)
    except ServiceError as error:
        return error


@FUZZ
@given(mutated([SEED]), st.sampled_from([b"", b"\xff", b"\xef\xbb\xbf", b"\x00"]))
def test_any_file_reads_or_gives_a_service_error(text: str, prefix: bytes) -> None:
    found = _read(prefix + text.encode())
    if isinstance(found, ServiceError):
        assert found.field == "file" and found.message
        return
    days = [day for _line, day, _value, _note in found.rows]
    assert days == sorted(set(days)) and all(day <= TODAY for day in days)
    for _line, _day, value, note in found.rows:
        assert abs(value) <= MAX_VALUE and len(note) <= SHORT_MAX and "\x00" not in note
    assert all(message.startswith(f"Line {line}: ") for line, message in found.problems)
