"""Evaluation's report figures (``evaluation.reporting``): answers given and the mean of each statement;
by the month each answer is for, for the partnership asked about only, narrowed to an organisation or a
directory service, in one query, never with a remark's words."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from coproduce.evaluation.instrument import STATEMENT_KEYS
from coproduce.evaluation.models import Answer, Remark, Subject
from coproduce.partnerships.models import Organisation, Partnership
from tests.factories import OrganisationFactory, PartnershipFactory
from tests.reports.figures_support import bases, queries_for, query, section, values, words

pytestmark = pytest.mark.django_db

KEY = "evaluation"
MEAN = f"{KEY}.statements"


def _subject(partnership: Partnership, key: str, organisation: Organisation | None = None) -> Subject:
    return Subject.objects.create(
        partnership=partnership, kind="service", source_key=key, name=f"Subject {key}", organisation=organisation
    )


def _answer(subject: Subject, period: dt.date, **scores: int | None) -> Answer:
    return Answer.objects.create(partnership=subject.partnership, subject=subject, period=period, **scores)


@pytest.fixture
def world(partnership: Partnership) -> dict[str, Any]:
    organisation = OrganisationFactory(partnership=partnership)
    courses = _subject(partnership, "support.service:41", organisation)
    events = _subject(partnership, "learning.host:0")
    _answer(courses, dt.date(2026, 1, 1), listened=5, had_say=3)
    _answer(courses, dt.date(2026, 3, 1), listened=4, had_say=None)
    _answer(events, dt.date(2026, 2, 1), listened=1)
    _answer(courses, dt.date(2025, 12, 1), listened=1, had_say=1)  # the month before
    _answer(courses, dt.date(2026, 4, 1), listened=1, had_say=1)  # the month after
    # Another partnership's answers never count.
    other = PartnershipFactory()
    _answer(_subject(other, "support.service:41"), dt.date(2026, 2, 1), listened=1)
    return {"organisation": organisation, "courses": courses}


def test_partnership_figures(partnership: Partnership, world: dict[str, Any]) -> None:
    tables = section(KEY).tables(query(partnership.pk))
    found, basis = values(tables), bases(tables)

    assert found[f"{KEY}.answers/answers"] == 3
    assert (found[f"{MEAN}/listened"], basis[f"{MEAN}/listened"]) == (3.33, 3)
    assert (found[f"{MEAN}/had_say"], basis[f"{MEAN}/had_say"]) == (3.0, 1)  # "rather not say" is in no mean
    assert (found[f"{MEAN}/control"], basis[f"{MEAN}/control"]) == (None, 0)
    assert [row.key for row in tables[1].rows] == list(STATEMENT_KEYS)


def test_a_month_counts_when_any_day_of_it_is_in_the_period(partnership: Partnership, world: dict[str, Any]) -> None:
    found = values(section(KEY).tables(query(partnership.pk, start=dt.date(2026, 1, 15), end=dt.date(2026, 2, 10))))

    assert found[f"{KEY}.answers/answers"] == 2  # January's and February's


def test_narrowed_to_an_organisation_and_to_a_service(partnership: Partnership, world: dict[str, Any]) -> None:
    by_organisation = values(
        section(KEY).tables(query(partnership.pk, scope="organisation", organisation_id=world["organisation"].pk))
    )
    by_service = values(section(KEY).tables(query(partnership.pk, scope="service", service_id=41)))
    other_service = values(section(KEY).tables(query(partnership.pk, scope="service", service_id=42)))

    assert by_organisation[f"{KEY}.answers/answers"] == 2
    assert (by_service[f"{KEY}.answers/answers"], by_service[f"{MEAN}/listened"]) == (2, 4.5)
    assert other_service[f"{KEY}.answers/answers"] == 0


def test_no_remark_words_in_the_tables(partnership: Partnership, world: dict[str, Any]) -> None:
    answer = _answer(world["courses"], dt.date(2026, 2, 1), listened=3)
    Remark.objects.create(answer=answer, kind="keep", text="Zzyzx remark a parent wrote")

    seen = words(section(KEY).tables(query(partnership.pk)))

    assert "Zzyzx" not in seen
    assert "Subject" not in seen


def test_the_number_of_queries_does_not_grow_with_the_data(partnership: Partnership) -> None:
    bigger = PartnershipFactory()
    _answer(_subject(partnership, "a"), dt.date(2026, 2, 1), listened=4)
    many = _subject(bigger, "a")
    for _ in range(50):
        _answer(many, dt.date(2026, 2, 1), listened=4)

    one = queries_for(lambda: section(KEY).tables(query(partnership.pk)))
    fifty = queries_for(lambda: section(KEY).tables(query(bigger.pk)))

    assert one == fifty == 1
    assert values(section(KEY).tables(query(bigger.pk)))[f"{KEY}.answers/answers"] == 50
