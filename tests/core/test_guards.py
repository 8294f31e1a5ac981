"""The checks every app's services share (core.guards)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.guards import same_partnership, text_checked


def test_text_is_given_back_without_surrounding_blanks() -> None:
    assert text_checked("  A bus pass \n", field="title", max_length=20, required="Give a title.") == "A bus pass"


def test_empty_text_is_refused_only_when_it_is_required() -> None:
    with pytest.raises(ServiceError) as caught:
        text_checked("   ", field="title", max_length=20, required="Give a title.")
    assert (caught.value.message, caught.value.field, caught.value.code) == ("Give a title.", "title", "required")
    assert text_checked(None, field="note", max_length=20) == ""


def test_too_long_text_names_the_limit_in_the_callers_words_or_the_default() -> None:
    with pytest.raises(ServiceError) as caught:
        text_checked("x" * 6, field="title", max_length=5, too_long="The title must be %(max)d characters or fewer.")
    assert caught.value.message == "The title must be 5 characters or fewer."
    assert caught.value.code == "too_long"
    with pytest.raises(ServiceError) as caught:
        text_checked("x" * 6, field="title", max_length=5)
    assert caught.value.message == "This must be 5 characters or fewer."
    assert text_checked("x" * 5, field="title", max_length=5) == "x" * 5


def test_a_thing_of_another_partnership_or_none_is_not_permitted() -> None:
    membership = SimpleNamespace(partnership_id=1)
    same_partnership(membership, SimpleNamespace(partnership_id=1))
    for other in (SimpleNamespace(partnership_id=2), None):
        with pytest.raises(NotPermitted):
            same_partnership(membership, other)
