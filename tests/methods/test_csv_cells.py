"""Text cells that a spreadsheet would run as a formula get a quote in front, and the quote comes off again."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coproduce.methods.csv_cells import TRIGGERS, neutralise, restore


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ('=HYPERLINK("http://evil.example","Click")', '\'=HYPERLINK("http://evil.example","Click")'),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("'=1+1", "''=1+1"),  # already quoted by its writer: one more, so that reading gives it back
        ("''-3", "'''-3"),
        ("More childcare at weekends", "More childcare at weekends"),
        ("It's = fair", "It's = fair"),
        ("'quoted'", "'quoted'"),
        ("'", "'"),
        ("", ""),
        (" =not at the start", " =not at the start"),
    ],
)
def test_cells_that_start_a_formula_get_a_quote(text: str, cell: str) -> None:
    assert neutralise(text) == cell
    assert restore(cell) == text


def test_every_character_that_starts_a_formula_is_caught() -> None:
    assert {ch for ch in map(chr, range(0x3000)) if neutralise(ch + "1") != ch + "1"} == set(TRIGGERS)


def test_a_neutralised_cell_never_starts_a_formula() -> None:
    for trigger in TRIGGERS:
        assert neutralise(trigger + "x")[0] == "'"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from("'=+-@\t\r a1\"\n"), max_size=8) | st.text())
def test_restore_undoes_neutralise_for_any_text(text: str) -> None:
    cell = neutralise(text)
    assert restore(cell) == text
    assert cell[:1] not in TRIGGERS  # no cell we write starts a formula
