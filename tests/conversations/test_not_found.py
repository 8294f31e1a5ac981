"""One thing looked up that the person may not see answers 404, the same as one that does not exist: the
selectors raise NotPermitted, and every page of a conversation, asked under a person's own partnership for
another partnership's conversation (or none), answers 404 and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from coproduce.conversations import selectors, services
from coproduce.conversations.models import Conversation, Statement
from coproduce.core.exceptions import NotPermitted
from tests.conftest import signed_in
from tests.factories import MembershipFactory, staff_membership

pytestmark = pytest.mark.django_db

# Every conversation page (urls.py) with what else its address needs.
PAGES: list[tuple[str, dict[str, Any]]] = [
    ("detail", {}),
    ("edit", {}),
    ("vote", {}),
    ("my-votes", {}),
    ("statement-new", {}),
    ("statement-from-idea", {}),
    ("moderation", {}),
    ("statement-moderate", {"statement_id": 0}),
    ("report", {}),
    ("export", {}),
    ("export-file", {"name": "votes"}),
    ("export-zip", {}),
]


@pytest.fixture
def ours(coordinator: Any) -> Conversation:
    return services.conversation_create(actor=coordinator, topic="Ours", seeds=["Our statement"])


@pytest.fixture
def theirs() -> Conversation:
    elsewhere = MembershipFactory(is_member=True).partnership
    coordinator = staff_membership(elsewhere, role="coordinator")
    return services.conversation_create(actor=coordinator, topic="Theirs", seeds=["Their statement"])


def test_a_conversation_of_another_partnership_or_none_is_not_permitted(
    ours: Conversation, theirs: Conversation, coordinator: Any
) -> None:
    assert selectors.conversation_for(coordinator, ours.pk) == ours
    for missing in (theirs.pk, theirs.pk + ours.pk + 1):
        with pytest.raises(NotPermitted):
            selectors.conversation_for(coordinator, missing)


def test_a_statement_the_person_may_not_see_is_not_permitted(
    ours: Conversation, theirs: Conversation, coordinator: Any, member: Any, worker: Any
) -> None:
    services.conversation_update(
        actor=coordinator, conversation=ours, topic=ours.topic, moderation=Conversation.Moderation.BEFORE
    )
    waiting = services.statement_add(actor=worker, conversation=ours, text="A statement waiting for a coordinator")
    assert waiting.status == Statement.Status.PENDING
    assert selectors.statement_for(coordinator, ours, waiting.pk) == waiting
    assert selectors.statement_for(worker, ours, waiting.pk) == waiting  # the author sees their own
    with pytest.raises(NotPermitted):
        selectors.statement_for(member, ours, waiting.pk)
    with pytest.raises(NotPermitted):  # a statement of another conversation, even to a coordinator
        selectors.statement_for(coordinator, ours, theirs.statements.get().pk)


@pytest.mark.parametrize(("name", "extra"), PAGES, ids=[name for name, _extra in PAGES])
def test_every_page_answers_404_for_another_partnerships_conversation(
    ours: Conversation, theirs: Conversation, coordinator: Any, name: str, extra: dict[str, Any]
) -> None:
    client = signed_in(coordinator.user)
    kwargs = {"slug": ours.partnership.slug, **extra}
    if "statement_id" in kwargs:
        kwargs["statement_id"] = theirs.statements.get().pk
    for conversation_id in (theirs.pk, theirs.pk + ours.pk + 1):
        address = reverse(f"conversations:{name}", kwargs={**kwargs, "conversation_id": conversation_id})
        assert client.get(address).status_code in (404, 405)
        posted = client.post(address, {"statement": theirs.statements.get().pk, "vote": "agree", "text": "Mine"})
        assert posted.status_code in (404, 405), address
    assert Statement.objects.filter(conversation=theirs).count() == 1
    assert not theirs.votes.exists()


def test_a_statement_of_another_conversation_cannot_be_moderated_through_ours(
    ours: Conversation, theirs: Conversation, coordinator: Any
) -> None:
    statement = theirs.statements.get()
    address = reverse(
        "conversations:statement-moderate",
        kwargs={"slug": ours.partnership.slug, "conversation_id": ours.pk, "statement_id": statement.pk},
    )
    response = signed_in(coordinator.user).post(address, {"action": "take_out", "reason": "Not ours"})
    assert response.status_code == 404
    statement.refresh_from_db()
    assert statement.status == Statement.Status.PUBLISHED
