"""What voice publishes for the other apps (``coproduce.voice.api``): which ideas a person may link something
to, and the response that tells whoever had the idea what became of it."""

from __future__ import annotations

from typing import Any

import pytest

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.models import AuditEvent
from coproduce.voice import api, services
from coproduce.voice.models import Idea, Response


@pytest.fixture
def ideas(member: Any, worker: Any, coordinator: Any) -> dict[str, Idea]:
    """An open idea, one its author withdrew, one a coordinator hid, and the member's own hidden one."""
    made = {
        "open": services.idea_create(actor=worker, title="Evening job fairs", body="After bedtime."),
        "withdrawn": services.idea_create(actor=worker, title="Saturday hours", body="At weekends."),
        "hidden": services.idea_create(actor=worker, title="Hidden one", body="It named a child."),
        "own_hidden": services.idea_create(actor=member, title="My hidden one", body="It named my child."),
    }
    services.idea_withdraw(actor=worker, idea=made["withdrawn"])
    for key in ("hidden", "own_hidden"):
        services.moderation_set_hidden(actor=coordinator, idea=made[key], hidden=True, reason="It named a child")
    return made


def _titles(ideas: Any) -> set[str]:
    return {idea.title for idea in ideas}


class TestIdeasVisibleTo:
    def test_a_member_sees_open_ideas_and_their_own_hidden_one(self, member: Any, ideas: dict[str, Idea]) -> None:
        assert _titles(api.ideas_visible_to(actor=member)) == {"Evening job fairs", "My hidden one"}

    def test_a_coordinator_sees_hidden_ideas_but_never_withdrawn_ones(
        self, coordinator: Any, ideas: dict[str, Idea]
    ) -> None:
        assert _titles(api.ideas_visible_to(actor=coordinator)) == {"Evening job fairs", "Hidden one", "My hidden one"}

    def test_without_hidden_ideas_everyone_sees_only_open_ones(
        self, member: Any, coordinator: Any, ideas: dict[str, Idea]
    ) -> None:
        for person in (member, coordinator):
            assert _titles(api.ideas_visible_to(actor=person, include_hidden=False)) == {"Evening job fairs"}

    def test_another_partnership_sees_none(self, outsider: Any, ideas: dict[str, Idea]) -> None:
        assert not api.ideas_visible_to(actor=outsider).exists()

    def test_the_sort_is_the_ideas_page_sort(self, member: Any, worker: Any) -> None:
        first = services.idea_create(actor=member, title="First", body="One.")
        second = services.idea_create(actor=member, title="Second", body="Two.")
        services.support_toggle(actor=worker, idea=first)
        assert [idea.pk for idea in api.ideas_visible_to(actor=member, sort="newest")] == [second.pk, first.pk]
        assert [idea.pk for idea in api.ideas_visible_to(actor=member, sort="supported")] == [first.pk, second.pk]


class TestOneIdea:
    def test_an_idea_is_visible_as_on_its_own_page(
        self, member: Any, coordinator: Any, outsider: Any, ideas: dict[str, Idea]
    ) -> None:
        hidden = ideas["hidden"].pk
        assert api.idea_visible_to(actor=member, idea_id=ideas["open"].pk) == ideas["open"]
        assert api.idea_visible_to(actor=member, idea_id=hidden) is None
        assert api.idea_visible_to(actor=coordinator, idea_id=hidden) == ideas["hidden"]
        assert api.idea_visible_to(actor=member, idea_id=ideas["withdrawn"].pk) is None
        assert api.idea_visible_to(actor=outsider, idea_id=ideas["open"].pk) is None
        assert api.idea_visible_to(actor=member, idea_id=0) is None

    def test_only_an_idea_neither_withdrawn_nor_hidden_takes_a_response(
        self, coordinator: Any, outsider: Any, ideas: dict[str, Idea]
    ) -> None:
        assert api.idea_open_to_responses(actor=coordinator, idea_id=ideas["open"].pk) == ideas["open"]
        for key in ("withdrawn", "hidden", "own_hidden"):
            assert api.idea_open_to_responses(actor=coordinator, idea_id=ideas[key].pk) is None
        assert api.idea_open_to_responses(actor=outsider, idea_id=ideas["open"].pk) is None

    def test_the_demo_finds_an_open_idea_by_its_exact_title(
        self, partnership: Any, outsider: Any, ideas: dict[str, Idea]
    ) -> None:
        assert api.idea_titled(partnership_id=partnership.pk, title="Evening job fairs") == ideas["open"]
        assert api.idea_titled(partnership_id=partnership.pk, title="Evening job") is None
        assert api.idea_titled(partnership_id=partnership.pk, title="Hidden one") is None
        assert api.idea_titled(partnership_id=partnership.pk, title="Saturday hours") is None
        assert api.idea_titled(partnership_id=outsider.partnership_id, title="Evening job fairs") is None


class TestResponseRecord:
    def _record(self, actor: Any, idea: Idea, **overrides: Any) -> api.RecordedResponse:
        values: dict[str, Any] = {
            "text": "We are testing this idea.",
            "link_url": "/p/x/improvement/1/",
            "link_label": "Evening job fairs",
            "source": "improvement",
            **overrides,
        }
        return api.response_record(actor=actor, idea=idea, **values)

    def test_the_response_is_recorded_and_the_idea_moves_on(self, worker: Any, ideas: dict[str, Idea]) -> None:
        idea = ideas["open"]
        recorded = self._record(worker, idea, status=api.IdeaStatus.DONE)
        response = Response.objects.get(pk=recorded.response_id)
        assert (recorded.idea_id, recorded.status, recorded.previous_status) == (idea.pk, "done", "new")
        assert (response.idea_id, response.source, response.link_label) == (idea.pk, "improvement", idea.title)
        idea.refresh_from_db()
        assert idea.status == api.IdeaStatus.DONE
        assert idea.first_response_at is not None
        event = AuditEvent.objects.get(action="voice.responded")
        assert event.detail == {"status": "done", "previous": "new", "source": "improvement"}

    def test_by_default_the_idea_is_in_progress(self, worker: Any, ideas: dict[str, Idea]) -> None:
        assert self._record(worker, ideas["open"]).status == api.IdeaStatus.IN_PROGRESS

    def test_an_idea_of_another_partnership_is_not_answered(self, outsider: Any, ideas: dict[str, Idea]) -> None:
        with pytest.raises(NotPermitted):
            self._record(outsider, ideas["open"])
        assert not Response.objects.exists()

    @pytest.mark.parametrize(("key", "code"), [("hidden", "hidden"), ("withdrawn", "withdrawn")])
    def test_an_idea_withdrawn_or_hidden_meanwhile_is_not_answered(
        self, coordinator: Any, ideas: dict[str, Idea], key: str, code: str
    ) -> None:
        with pytest.raises(ServiceError) as error:
            self._record(coordinator, ideas[key])
        assert error.value.code == code
        assert not Response.objects.exists()
