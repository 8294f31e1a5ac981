"""Voice's report figures (``voice.reporting``): counted by the day, inside the period only, for the
partnership asked about only, in a fixed number of queries, and never with a member's words."""

from __future__ import annotations

import datetime as dt

import pytest

from coproduce.accounts.models import User
from coproduce.partnerships.models import Partnership
from coproduce.voice.models import Idea, Response, Support
from tests.factories import PartnershipFactory, UserFactory
from tests.reports.figures_support import (
    AFTER,
    BEFORE,
    FIRST_MOMENT,
    INSIDE,
    LAST_MOMENT,
    queries_for,
    query,
    section,
    values,
    words,
)
from tests.voice.factories import CommentFactory, IdeaFactory

pytestmark = pytest.mark.django_db

KEY = "voice.participation"


def _idea(partnership: Partnership, author: User, at: dt.datetime, title: str = "") -> Idea:
    return IdeaFactory(partnership=partnership, author=author, created_at=at, **({"title": title} if title else {}))


def _support(idea: Idea, user: User, at: dt.datetime) -> Support:
    return Support.objects.create(idea=idea, user=user, created_at=at)


def _response(idea: Idea, at: dt.datetime, text: str = "We booked a crèche.") -> Response:
    return Response.objects.create(
        idea=idea, status="done", previous_status="new", text=text, text_html=f"<p>{text}</p>", created_at=at
    )


def test_counts_what_was_done_in_the_period_and_nothing_else(partnership: Partnership) -> None:
    amina, bea, cat, outsider_user = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    first = _idea(partnership, amina, FIRST_MOMENT)
    _idea(partnership, bea, LAST_MOMENT)
    early = _idea(partnership, cat, BEFORE)
    _idea(partnership, cat, AFTER)
    CommentFactory(idea=first, author=amina, created_at=INSIDE)
    CommentFactory(idea=early, author=cat, created_at=AFTER)
    _support(first, cat, INSIDE)
    _support(early, bea, BEFORE)
    _response(early, INSIDE)
    _response(first, AFTER)
    # Another partnership's activity inside the period never counts.
    other = PartnershipFactory()
    elsewhere = _idea(other, outsider_user, INSIDE)
    CommentFactory(idea=elsewhere, author=outsider_user, created_at=INSIDE)
    _support(elsewhere, outsider_user, INSIDE)
    _response(elsewhere, INSIDE)

    found = values(section(KEY).tables(query(partnership.pk)))

    assert found[f"{KEY}/ideas"] == 2
    assert found[f"{KEY}/comments"] == 1
    assert found[f"{KEY}/supports"] == 1
    assert found[f"{KEY}/responses"] == 1
    assert found[f"{KEY}.people/shared"] == 2
    assert found[f"{KEY}.people/commented"] == 1
    assert found[f"{KEY}.people/supported"] == 1
    # Amina shared and commented: she counts once among the people who did any of these.
    assert found[f"{KEY}.people/any"] == 3


def test_a_person_erased_still_leaves_what_she_did_counted(partnership: Partnership) -> None:
    idea = _idea(partnership, UserFactory(), INSIDE)
    idea.author = None
    idea.save(update_fields=["author"])
    Support.objects.create(idea=idea, user=None, created_at=INSIDE)

    found = values(section(KEY).tables(query(partnership.pk)))

    assert (found[f"{KEY}/ideas"], found[f"{KEY}/supports"]) == (1, 1)
    assert (found[f"{KEY}.people/shared"], found[f"{KEY}.people/any"]) == (0, 0)


def test_no_member_words_or_names_in_the_tables(partnership: Partnership) -> None:
    author = UserFactory(display_name="Zenobia Quartermaine")
    idea = _idea(partnership, author, INSIDE, title="Zzyzx playgroup on Tuesdays")
    CommentFactory(idea=idea, author=author, body="Quixotic comment words", created_at=INSIDE)
    _response(idea, INSIDE, text="Xylophone response text")

    seen = words(section(KEY).tables(query(partnership.pk)))

    for private in ("Zenobia", "Quartermaine", author.email, "Zzyzx", "Quixotic", "Xylophone"):
        assert private not in seen


def _activity(partnership: Partnership, n: int) -> None:
    for _ in range(n):
        person = UserFactory()
        idea = _idea(partnership, person, INSIDE)
        CommentFactory(idea=idea, author=person, created_at=INSIDE)
        _support(idea, person, INSIDE)
        _response(idea, INSIDE)


def test_the_number_of_queries_does_not_grow_with_the_data(partnership: Partnership) -> None:
    bigger = PartnershipFactory()
    _activity(partnership, 1)
    _activity(bigger, 50)

    one = queries_for(lambda: section(KEY).tables(query(partnership.pk)))
    fifty = queries_for(lambda: section(KEY).tables(query(bigger.pk)))

    assert one == fifty
    assert fifty <= 5
    assert values(section(KEY).tables(query(bigger.pk)))[f"{KEY}.people/any"] == 50
