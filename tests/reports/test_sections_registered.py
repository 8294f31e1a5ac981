"""Every capability registers its report section, in the part of the report it belongs to
(``partnerships.reporting``); the builder finds them there and imports no capability."""

from __future__ import annotations

import pytest

from coproduce.partnerships.reporting import PARTS, report_sections

EXPECTED = {
    "reach": "reach",
    "voice.participation": "participation",
    "conversations.participation": "participation",
    "decisions.participation": "participation",
    "learning.participation": "participation",
    "support": "support",
    "support.outcomes": "support",
    "fund": "fund",
    "evaluation": "evaluation",
}


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_each_section_is_registered_with_its_part(key: str) -> None:
    registered = {section.key: section for section in report_sections()}
    assert key in registered
    assert registered[key].part == EXPECTED[key]


def test_sections_come_in_the_order_of_the_report() -> None:
    parts = [section.part for section in report_sections()]
    assert parts == sorted(parts, key=PARTS.index)
    assert all(section.scopes and section.scopes[0] == "partnership" for section in report_sections())
