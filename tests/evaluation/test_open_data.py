"""Evaluation as open data: the whole partnership's results for each whole quarter with at least 5 answers,
under the small-groups rule; no service's own figures, no free text and nothing about who answered."""

from __future__ import annotations

from decimal import Decimal

from coproduce.evaluation.open_data import CSV_COLUMNS
from coproduce.partnerships.models import Partnership
from tests.evaluation.results_support import answers, months_back, quarter_code, subject, this_month
from tests.open_data_checks import (
    all_text,
    assert_constant_queries,
    assert_not_published_when_off,
    csv_rows,
    get,
    json_items,
    page_text,
    publish,
)

NAMES = ["evaluation:open-results", "evaluation:open-results-csv", "evaluation:open-results-json"]
SERVICE = "Zebra Crossing Family Club"


def test_nothing_is_published_until_the_partnership_turns_open_data_on(partnership: Partnership) -> None:
    answers(subject(partnership, SERVICE), 6, period=months_back(3))
    assert_not_published_when_off(NAMES, partnership)


def test_a_whole_quarter_is_published_with_its_means_and_safe_shares(partnership: Partnership) -> None:
    club = subject(partnership, SERVICE)
    last_quarter = months_back(3)
    answers(club, 3, period=last_quarter, listened=5, had_say=4, respect=4)
    answers(club, 3, period=last_quarter, listened=2, had_say=4, respect=None)
    partnership = publish(partnership)

    [quarter] = json_items(get(NAMES[2], partnership), partnership)
    assert quarter["quarter"] == quarter_code(last_quarter)
    assert quarter["answers"] == 6
    figures = {s["key"]: s for s in quarter["statements"]}
    assert figures["listened"]["mean"] == "3.50"
    assert figures["listened"]["agree_percent"] is None  # 3 agreed, 3 did not: groups under 5
    assert figures["had_say"]["agree_percent"] == 100
    assert figures["respect"]["mean"] is None  # only 3 scored it
    assert figures["respect"]["agree_percent"] is None

    rows = csv_rows(get(NAMES[1], partnership), CSV_COLUMNS)
    assert len(rows) == 6  # one a statement
    listened = next(row for row in rows if row["statement_key"] == "listened")
    assert Decimal(listened["mean"]) == Decimal("3.50")
    assert listened["agree_percent"] == ""

    page = page_text(get(NAMES[0], partnership))
    assert "I was listened to" in page
    assert SERVICE not in all_text(NAMES, partnership)


def test_the_quarter_under_way_and_a_quarter_of_fewer_than_five_are_left_out(partnership: Partnership) -> None:
    club = subject(partnership, SERVICE)
    answers(club, 10, period=this_month())
    answers(club, 4, period=months_back(3))
    partnership = publish(partnership)
    assert json_items(get(NAMES[2], partnership), partnership) == []
    assert csv_rows(get(NAMES[1], partnership), CSV_COLUMNS) == []
    assert "Nothing here yet" in page_text(get(NAMES[0], partnership))


def test_the_queries_do_not_grow_with_more_quarters(partnership: Partnership) -> None:
    club = subject(partnership, SERVICE)
    answers(club, 5, period=months_back(3))
    partnership = publish(partnership)

    def more() -> None:
        for back in (6, 9, 12):
            answers(subject(partnership, f"Service {back}"), 5, period=months_back(back))

    assert_constant_queries(NAMES, partnership, more)
