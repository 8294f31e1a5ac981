"""Conversations, statements and votes through the services: what is accepted, what is refused and why."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.utils import timezone

from coproduce.conversations import selectors, services
from coproduce.conversations.models import Conversation, Participant, Snapshot, Statement, Vote, VoteEvent
from coproduce.conversations.voting import routing
from coproduce.core.audit import AuditEvent
from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.voice import services as voice_services
from coproduce.voice.models import Response
from tests.conftest import present
from tests.conversations.voting import assert_counts_match
from tests.factories import MembershipFactory, staff_membership

pytestmark = pytest.mark.django_db

SEEDS = [
    "Job fairs should start after the school drop-off.",
    "Childcare should be free at job fairs.",
    "Evening sessions suit me.",
]


@pytest.fixture
def conversation(coordinator: Any) -> Conversation:
    return services.conversation_create(actor=coordinator, topic="Job fairs for parents", seeds=SEEDS)


def statements(conversation: Conversation) -> list[Statement]:
    return list(conversation.statements.order_by("number"))


# --- Conversations ------------------------------------------------------------------------------


def test_a_coordinator_starts_a_conversation_with_seed_statements(coordinator: Any) -> None:
    conversation = services.conversation_create(
        actor=coordinator,
        topic="  Job fairs   for parents ",
        description="We will *use* this.",
        participants_may_add=False,
        moderation="before",
        seeds=SEEDS,
    )
    assert conversation.topic == "Job fairs for parents"
    assert "<em>use</em>" in conversation.description_html
    assert [s.text for s in statements(conversation)] == SEEDS
    assert [s.number for s in statements(conversation)] == [0, 1, 2]
    assert all(s.is_seed and s.status == Statement.Status.PUBLISHED for s in statements(conversation))
    assert AuditEvent.objects.filter(action="conversations.created").count() == 1


def test_only_coordinators_start_conversations(member: Any, worker: Any, observer: Any) -> None:
    for person in (member, worker, observer):
        with pytest.raises(NotPermitted):
            services.conversation_create(actor=person, topic="Anything")


@pytest.mark.parametrize(
    ("kwargs", "field", "words"),
    [
        ({"topic": "   "}, "topic", "Enter the topic"),
        ({"topic": "x" * 201}, "topic", "200 characters"),
        ({"topic": "Fine", "seeds": ["Good one", "   "]}, "seeds", "Statement 2: Write the statement"),
        ({"topic": "Fine", "seeds": ["x" * 281]}, "seeds", "280 characters or fewer (this one has 281)"),
        ({"topic": "Fine", "seeds": ["Free childcare.", "free   CHILDCARE"]}, "seeds", "repeats an earlier one"),
        ({"topic": "Fine", "moderation": "never"}, "moderation", "Choose when"),
    ],
)
def test_bad_conversations_are_refused_and_nothing_is_saved(
    coordinator: Any, kwargs: dict[str, Any], field: str, words: str
) -> None:
    with pytest.raises(ServiceError) as error:
        services.conversation_create(actor=coordinator, **kwargs)
    assert error.value.field == field
    assert words in error.value.message
    assert not Conversation.objects.exists()
    assert not Statement.objects.exists()


def test_a_conversation_must_close_after_it_opens(coordinator: Any) -> None:
    now = timezone.now()
    with pytest.raises(ServiceError, match="after the opening date"):
        services.conversation_create(
            actor=coordinator, topic="T", opens_at=now + timedelta(days=2), closes_at=now + timedelta(days=1)
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Conversation.objects.create(partnership=coordinator.partnership, topic="T", opens_at=now, closes_at=now)


# --- Statements ---------------------------------------------------------------------------------


def test_with_moderation_after_a_members_statement_is_published_at_once(
    conversation: Conversation, member: Any
) -> None:
    statement = services.statement_add(actor=member, conversation=conversation, text="  Crèche   at every fair ")
    assert statement.text == "Crèche at every fair"
    assert statement.status == Statement.Status.PUBLISHED
    assert statement.author_kind == "member" and statement.number == 3


def test_with_moderation_before_a_statement_waits_for_a_coordinator(coordinator: Any, member: Any) -> None:
    conversation = services.conversation_create(actor=coordinator, topic="T", moderation="before")
    statement = services.statement_add(actor=member, conversation=conversation, text="Crèche at every fair")
    assert statement.status == Statement.Status.PENDING
    with pytest.raises(NotPermitted):  # nobody votes on it before it is published
        services.vote_cast(actor=member, statement_id=statement.pk, vote="agree")
    services.statement_moderate(actor=coordinator, statement=statement, publish=True)
    services.vote_cast(actor=member, statement_id=statement.pk, vote="agree")
    assert Vote.objects.count() == 1


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "required"),
        ("   ", "required"),
        ("...", "required"),
        ("x" * 281, "too_long"),
        ("job fairs should START after the school drop-off", "duplicate"),
    ],
)
def test_empty_over_long_and_duplicated_statements_are_refused(
    conversation: Conversation, member: Any, text: str, code: str
) -> None:
    with pytest.raises(ServiceError) as error:
        services.statement_add(actor=member, conversation=conversation, text=text)
    assert error.value.code == code
    assert error.value.message
    assert conversation.statements.count() == len(SEEDS)


def test_the_database_refuses_a_duplicated_statement(conversation: Conversation) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Statement.objects.create(
            conversation=conversation, number=99, text="x", text_key=statements(conversation)[0].text_key
        )


def test_participants_cannot_add_when_the_conversation_does_not_allow_it(
    coordinator: Any, member: Any, observer: Any
) -> None:
    conversation = services.conversation_create(actor=coordinator, topic="T", participants_may_add=False)
    with pytest.raises(ServiceError, match="does not take new statements"):
        services.statement_add(actor=member, conversation=conversation, text="Mine")
    with pytest.raises(NotPermitted):
        services.statement_add(actor=observer, conversation=conversation, text="Mine")


def test_a_statement_seeded_from_an_idea_records_a_response_on_the_idea(
    conversation: Conversation, coordinator: Any, member: Any
) -> None:
    idea = voice_services.idea_create(actor=member, title="Evening job fairs", body="After the kids are in bed.")
    statement = services.statement_seed(
        actor=coordinator,
        conversation=conversation,
        text="Job fairs should be in the evening.",
        idea=idea,
        statement_url="/x/",
    )
    assert statement.source_idea_id == idea.pk and statement.is_seed
    response = Response.objects.get(idea=idea)
    assert response.source == "conversations" and response.link_url == "/x/"
    assert "Job fairs for parents" in response.text
    idea.refresh_from_db()
    assert idea.status == "in_progress"


def test_a_statement_from_a_withdrawn_idea_is_refused_and_not_saved(
    conversation: Conversation, coordinator: Any, member: Any
) -> None:
    idea = voice_services.idea_create(actor=member, title="Evening job fairs", body="After bedtime.")
    voice_services.idea_withdraw(actor=member, idea=idea)
    with pytest.raises(ServiceError) as error:
        services.statement_seed(actor=coordinator, conversation=conversation, text="Evening fairs.", idea=idea)
    assert error.value.field == "idea"
    assert conversation.statements.count() == len(SEEDS)


# --- Votes --------------------------------------------------------------------------------------


def test_a_vote_is_recorded_and_can_be_changed(conversation: Conversation, member: Any) -> None:
    first = statements(conversation)[0]
    services.vote_cast(actor=member, statement_id=first.pk, vote="agree")
    services.vote_cast(actor=member, statement_id=first.pk, vote="disagree")
    vote = Vote.objects.get()
    assert vote.value == -1 and vote.conversation_id == conversation.pk
    assert Participant.objects.get().number == 0


def test_every_vote_cast_is_kept_in_order_and_the_latest_is_the_current_vote(
    conversation: Conversation, member: Any, worker: Any
) -> None:
    first, second, _third = statements(conversation)
    for value in ("agree", "disagree", "pass", "disagree"):
        services.vote_cast(actor=member, statement_id=first.pk, vote=value)
    services.vote_cast(actor=worker, statement_id=second.pk, vote="agree")
    mine = VoteEvent.objects.filter(participant__user=member.user).order_by("cast_at", "pk")
    assert [e.value for e in mine] == [1, -1, 0, -1]
    times = [e.cast_at for e in mine]
    assert times == sorted(times)
    vote = Vote.objects.get(participant__user=member.user)
    assert (vote.value, vote.updated_at) == (present(mine.last()).value, present(mine.last()).cast_at)
    assert VoteEvent.objects.filter(participant__user=worker.user).get().statement == second


def test_a_refused_vote_leaves_no_history(conversation: Conversation, coordinator: Any, member: Any) -> None:
    statement = statements(conversation)[0]
    services.statement_moderate(actor=coordinator, statement=statement, publish=False)
    with pytest.raises(ServiceError):
        services.vote_cast(actor=member, statement_id=statement.pk, vote="agree")
    with pytest.raises(ServiceError):
        services.vote_cast(actor=member, statement_id=statements(conversation)[1].pk, vote="maybe")
    assert not VoteEvent.objects.exists()


def test_the_history_refuses_other_values(conversation: Conversation, member: Any) -> None:
    services.vote_cast(actor=member, statement_id=statements(conversation)[0].pk, vote="agree")
    with pytest.raises(IntegrityError), transaction.atomic():
        VoteEvent.objects.update(value=3)


def test_the_migration_keeps_votes_cast_before_the_history_as_one_row_each(
    conversation: Conversation, member: Any
) -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module("coproduce.conversations.migrations.0002_vote_history_and_imported_groups")
    first, second, _third = statements(conversation)
    services.vote_cast(actor=member, statement_id=first.pk, vote="agree")
    services.vote_cast(actor=member, statement_id=second.pk, vote="disagree")
    VoteEvent.objects.all().delete()  # as they were before the migration
    migration.history_from_current_votes(apps, None)
    assert sorted(VoteEvent.objects.values_list("statement_id", "value", "cast_at")) == sorted(
        Vote.objects.values_list("statement_id", "value", "updated_at")
    )


def test_participants_are_numbered_in_the_order_they_first_vote(
    conversation: Conversation, member: Any, worker: Any
) -> None:
    first = statements(conversation)[0]
    services.vote_cast(actor=worker, statement_id=first.pk, vote="pass")
    services.vote_cast(actor=member, statement_id=first.pk, vote="agree")
    services.vote_cast(actor=worker, statement_id=statements(conversation)[1].pk, vote="agree")
    assert dict(Participant.objects.values_list("user_id", "number")) == {worker.user_id: 0, member.user_id: 1}


@pytest.mark.parametrize("value", ["yes", "", "AGREE", "1", None, 2])
def test_only_agree_disagree_and_pass_are_accepted(conversation: Conversation, member: Any, value: Any) -> None:
    with pytest.raises(ServiceError, match="Choose agree, disagree or pass"):
        services.vote_cast(actor=member, statement_id=statements(conversation)[0].pk, vote=value)
    assert not Vote.objects.exists()


def test_the_database_refuses_other_values_and_a_second_vote(conversation: Conversation, member: Any) -> None:
    statement = statements(conversation)[0]
    vote = services.vote_cast(actor=member, statement_id=statement.pk, vote="agree")
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(participant=vote.participant, statement=statement, conversation=conversation, value=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.filter(pk=vote.pk).update(value=5)


def test_votes_on_a_closed_conversation_are_refused(conversation: Conversation, member: Any) -> None:
    Conversation.objects.filter(pk=conversation.pk).update(
        opens_at=timezone.now() - timedelta(days=3), closes_at=timezone.now() - timedelta(days=1)
    )
    with pytest.raises(ServiceError, match="has closed"):
        services.vote_cast(actor=member, statement_id=statements(conversation)[0].pk, vote="agree")
    assert not Vote.objects.exists()


def test_votes_before_opening_are_refused(coordinator: Any, member: Any) -> None:
    conversation = services.conversation_create(
        actor=coordinator, topic="Later", opens_at=timezone.now() + timedelta(days=1), seeds=["One"]
    )
    with pytest.raises(ServiceError, match="not opened yet"):
        services.vote_cast(actor=member, statement_id=statements(conversation)[0].pk, vote="agree")


def test_votes_on_a_moderated_out_statement_are_refused(
    conversation: Conversation, coordinator: Any, member: Any
) -> None:
    statement = statements(conversation)[0]
    services.statement_moderate(actor=coordinator, statement=statement, publish=False, reason="Off topic")
    with pytest.raises(ServiceError, match="taken out"):
        services.vote_cast(actor=member, statement_id=statement.pk, vote="agree")
    assert not Vote.objects.exists()


def test_someone_who_has_voted_before_is_refused_for_the_same_reasons_and_nothing_is_written(
    conversation: Conversation, coordinator: Any, member: Any
) -> None:
    """With a participant row, a vote on PostgreSQL is one statement that writes only when the vote is allowed
    (ADR 15): each refusal leaves the votes and their history as they were."""
    first, second, third = statements(conversation)
    services.vote_cast(actor=member, statement_id=first.pk, vote="agree")
    other = services.conversation_create(actor=coordinator, topic="Another", seeds=["Elsewhere"])
    services.statement_moderate(actor=coordinator, statement=second, publish=False, reason="Off topic")
    pending = Statement.objects.create(
        conversation=conversation, number=9, text="Waiting", text_key="waiting", status=Statement.Status.PENDING
    )

    def unchanged() -> bool:
        return (
            list(Vote.objects.values_list("statement_id", "value")) == [(first.pk, 1)]
            and VoteEvent.objects.count() == 1
        )

    with pytest.raises(ServiceError, match="taken out"):
        services.vote_cast(actor=member, statement_id=second.pk, vote="pass")
    with pytest.raises(NotPermitted):
        services.vote_cast(actor=member, statement_id=pending.pk, vote="pass")
    with pytest.raises(NotPermitted):  # a statement of another conversation, posted to this one
        services.vote_cast(
            actor=member, statement_id=statements(other)[0].pk, vote="pass", conversation_id=conversation.pk
        )
    assert unchanged()
    Conversation.objects.filter(pk=conversation.pk).update(
        opens_at=timezone.now() - timedelta(days=3), closes_at=timezone.now() - timedelta(days=1)
    )
    with pytest.raises(ServiceError, match="has closed"):
        services.vote_cast(actor=member, statement_id=third.pk, vote="disagree")
    with pytest.raises(ServiceError, match="has closed"):
        services.vote_cast(actor=member, statement_id=first.pk, vote="disagree")
    assert unchanged()


def test_observers_and_outsiders_cannot_vote(conversation: Conversation, observer: Any, outsider: Any) -> None:
    statement = statements(conversation)[0]
    with pytest.raises(NotPermitted):
        services.vote_cast(actor=observer, statement_id=statement.pk, vote="agree")
    with pytest.raises(NotPermitted):
        services.vote_cast(actor=outsider, statement_id=statement.pk, vote="agree")
    assert not Vote.objects.exists()


# --- Choosing the next statement and progress ----------------------------------------------------


def test_before_any_snapshot_the_statements_with_fewest_votes_come_first(
    conversation: Conversation, member: Any, worker: Any, partnership: Any
) -> None:
    first, second, third = statements(conversation)
    for _ in range(2):
        other = MembershipFactory(partnership=partnership, is_member=True)
        services.vote_cast(actor=other, statement_id=first.pk, vote="agree")
        services.vote_cast(actor=other, statement_id=third.pk, vote="agree")
    Snapshot.objects.filter(conversation=conversation).delete()
    for _ in range(10):
        assert selectors.voting_state(member, conversation).statement == second


def _priorities(conversation: Conversation, priorities: dict[Statement, float]) -> None:
    Snapshot.objects.update_or_create(
        conversation=conversation,
        defaults={
            "result": {},
            "state": {},
            "computed_at": timezone.now(),
            "priorities": {str(statement.pk): value for statement, value in priorities.items()},
        },
    )


def test_with_a_snapshot_the_next_statement_follows_the_priorities(conversation: Conversation, member: Any) -> None:
    first, second, third = statements(conversation)
    _priorities(conversation, {first: 1e-12, second: 1e-12, third: 1e6})
    chosen = [selectors.voting_state(member, conversation).statement for _ in range(20)]
    assert chosen.count(third) >= 19


class _Draw:
    """Stands in for the routing's random source: ``random()`` gives the values it is given, in turn, and
    then the last one again and again."""

    def __init__(self, *values: float) -> None:
        self.values = list(values)

    def random(self) -> float:
        return self.values.pop(0) if len(self.values) > 1 else self.values[0]


@pytest.mark.parametrize(
    ("draw", "expected"),
    # Weights 1, 2 and 3 in number order: running totals 1, 3 and 6. The draw times 6 falls in one of
    # [0, 1), [1, 3) or [3, 6), as in random.choices.
    [(0.0, 0), (0.1, 0), (1 / 6 + 0.01, 1), (0.49, 1), (0.5, 2), (0.9, 2)],
)
def test_the_draw_picks_the_statement_whose_running_weight_passes_it(
    conversation: Conversation, member: Any, monkeypatch: Any, draw: float, expected: int
) -> None:
    ordered = statements(conversation)
    _priorities(conversation, {ordered[0]: 1.0, ordered[1]: 2.0, ordered[2]: 3.0})
    monkeypatch.setattr(routing, "_rng", _Draw(draw))
    assert selectors.voting_state(member, conversation).statement == ordered[expected]


def test_statements_voted_on_are_not_shown_and_new_ones_weigh_the_most(
    conversation: Conversation, coordinator: Any, member: Any, monkeypatch: Any, django_assert_num_queries: Any
) -> None:
    first, second, third = statements(conversation)
    services.vote_cast(actor=member, statement_id=first.pk, vote="agree")
    # The third has no priority yet (newer than the map): it weighs 4, the highest known. Weights 1, 4, 4:
    # running totals 1, 5 and 9.
    _priorities(conversation, {first: 1.0, second: 4.0})
    monkeypatch.setattr(routing, "_rng", _Draw(0.49))
    assert selectors.voting_state(member, conversation).statement == second  # 0.49 * 9 = 4.41
    monkeypatch.setattr(routing, "_rng", _Draw(0.9))
    with django_assert_num_queries(1):  # the table is kept: one query
        assert selectors.voting_state(member, conversation).statement == third  # 8.1
    # Every draw is the first, already voted on: the exact draw over the other two (weights 4 and 4).
    monkeypatch.setattr(routing, "_rng", _Draw(*[0.05] * routing.CANDIDATES, 0.4))
    assert selectors.voting_state(member, conversation).statement == second
    monkeypatch.setattr(routing, "_rng", _Draw(*[0.05] * routing.CANDIDATES, 0.6))
    assert selectors.voting_state(member, conversation).statement == third
    # A new map is used at once. A priority of 0 still gives a chance (1e-9); a statement taken out is
    # never shown.
    _priorities(conversation, {first: 1.0, second: 0.0, third: 1.0})
    services.statement_moderate(actor=coordinator, statement=third, publish=False)
    monkeypatch.setattr(routing, "_rng", _Draw(0.99))
    state = selectors.voting_state(member, conversation)
    assert (state.statement, state.my_vote, state.voted, state.total) == (second, None, 1, 2)


def test_a_statement_published_after_the_table_was_built_is_shown(
    conversation: Conversation, coordinator: Any, member: Any, monkeypatch: Any
) -> None:
    ordered = statements(conversation)
    _priorities(conversation, dict.fromkeys(ordered, 1.0))
    for statement in ordered:
        services.vote_cast(actor=member, statement_id=statement.pk, vote="agree")
    assert selectors.voting_state(member, conversation).statement is None
    added = services.statement_seed(actor=coordinator, conversation=conversation, text="Meet in the library.")
    state = selectors.voting_state(member, conversation)
    assert (state.statement, state.voted, state.total) == (added, 3, 4)


def test_asking_for_a_statement_shows_it_with_the_persons_vote_and_nothing_is_drawn_when_all_are_voted(
    conversation: Conversation, member: Any
) -> None:
    ordered = statements(conversation)
    _priorities(conversation, dict.fromkeys(ordered, 1.0))
    for statement, choice in zip(ordered, ["agree", "disagree", "pass"], strict=True):
        services.vote_cast(actor=member, statement_id=statement.pk, vote=choice)
    done = selectors.voting_state(member, conversation)
    assert (done.statement, done.my_vote, done.voted, done.total) == (None, None, 3, 3)
    for statement, value in zip(ordered, [1, -1, 0], strict=True):
        asked = selectors.voting_state(member, conversation, statement_id=statement.pk)
        assert (asked.statement, asked.my_vote, asked.voted) == (statement, value, 3)
        assert asked.statement is not None and asked.statement.text == statement.text


def test_the_draws_follow_the_weights(conversation: Conversation, member: Any) -> None:
    """With the real random source: 600 draws over weights 1, 2 and 3 land near 100, 200 and 300 (each
    count is within 5 standard deviations, so this fails by chance less than once in a million runs)."""
    ordered = statements(conversation)
    _priorities(conversation, {ordered[0]: 1.0, ordered[1]: 2.0, ordered[2]: 3.0})
    shown = [selectors.voting_state(member, conversation).statement for _ in range(600)]
    for statement, share in zip(ordered, [1 / 6, 2 / 6, 3 / 6], strict=True):
        spread = 5 * (600 * share * (1 - share)) ** 0.5
        assert abs(shown.count(statement) - 600 * share) < spread, (statement, shown.count(statement))


def test_progress_counts_published_statements_voted_on(
    conversation: Conversation, coordinator: Any, member: Any
) -> None:
    first, second, third = statements(conversation)
    services.vote_cast(actor=member, statement_id=first.pk, vote="agree")
    services.vote_cast(actor=member, statement_id=second.pk, vote="pass")
    state = selectors.voting_state(member, conversation)
    assert (state.voted, state.total, state.statement) == (2, 3, third)
    services.statement_moderate(actor=coordinator, statement=second, publish=False)
    state = selectors.voting_state(member, conversation)
    assert (state.voted, state.total) == (1, 2)
    services.vote_cast(actor=member, statement_id=third.pk, vote="disagree")
    state = selectors.voting_state(member, conversation)
    assert state.statement is None and state.remaining == 0
    changing = selectors.voting_state(member, conversation, statement_id=first.pk)
    assert changing.statement == first and changing.my_vote == 1


def test_the_counts_behind_progress_follow_every_change(conversation: Conversation, coordinator: Any) -> None:
    """Published statements and each person's votes are counted as they change, not on every vote (ADR 16)."""
    member, other = (MembershipFactory(partnership=conversation.partnership, is_member=True) for _ in range(2))
    first, second, third = statements(conversation)
    assert_counts_match(conversation)
    assert conversation.published_count == 3
    services.vote_cast(actor=member, statement_id=first.pk, vote="agree")  # a first vote: the long way
    services.vote_cast(actor=member, statement_id=second.pk, vote="pass")  # then one statement on PostgreSQL
    services.vote_cast(actor=member, statement_id=second.pk, vote="disagree")  # a change is not a new vote
    services.vote_cast(actor=other, statement_id=third.pk, vote="agree")
    with pytest.raises(ServiceError):
        services.vote_cast(actor=member, statement_id=third.pk, vote="maybe")
    assert_counts_match(conversation)
    assert dict(Participant.objects.values_list("user_id", "votes_cast")) == {member.user_id: 2, other.user_id: 1}
    # Statements added, waiting, published, taken out (twice) and put back.
    services.statement_add(actor=member, conversation=conversation, text="Mornings suit me.")
    assert_counts_match(conversation)
    Conversation.objects.filter(pk=conversation.pk).update(moderation=Conversation.Moderation.BEFORE)
    conversation.refresh_from_db()
    waiting = services.statement_add(actor=member, conversation=conversation, text="Saturdays suit me.")
    assert waiting.status == Statement.Status.PENDING
    assert_counts_match(conversation)
    assert conversation.published_count == 4
    services.statement_moderate(actor=coordinator, statement=waiting, publish=True)
    services.statement_moderate(actor=coordinator, statement=second, publish=False)
    services.statement_moderate(actor=coordinator, statement=second, publish=False)
    assert_counts_match(conversation)
    assert conversation.published_count == 4
    assert selectors.voting_state(member, conversation).voted == 1  # the vote on a statement taken out: not counted
    services.statement_moderate(actor=coordinator, statement=second, publish=True)
    services.statement_seed(actor=coordinator, conversation=conversation, text="Sundays suit me.")
    assert_counts_match(conversation)
    assert conversation.published_count == 6
    assert selectors.voting_state(member, conversation).voted == 2


def test_the_migration_counts_what_is_already_there(conversation: Conversation, member: Any) -> None:
    from importlib import import_module

    from django.apps import apps

    migration = import_module("coproduce.conversations.migrations.0004_progress_counts")
    first, second, _third = statements(conversation)
    services.vote_cast(actor=member, statement_id=first.pk, vote="agree")
    services.vote_cast(actor=member, statement_id=second.pk, vote="agree")
    Statement.objects.filter(pk=second.pk).update(status=Statement.Status.MODERATED_OUT)
    Conversation.objects.update(published_count=0)
    Participant.objects.update(votes_cast=0)
    migration.count_existing(apps, None)
    assert_counts_match(conversation)
    assert conversation.published_count == 2 and Participant.objects.get().votes_cast == 2


# --- The co-production lens -----------------------------------------------------------------------


def _sides(partnership: Any) -> tuple[list[Any], list[Any]]:
    """Six members and five workers: enough on each side for the lens to show."""
    members = [MembershipFactory(partnership=partnership, is_member=True) for _ in range(6)]
    staff = [staff_membership(partnership, role="worker", mfa=False) for _ in range(5)]
    return members, staff


def test_the_lens_compares_members_and_staff_and_hides_small_sides(
    conversation: Conversation, partnership: Any
) -> None:
    first, second, third = statements(conversation)
    members, staff = _sides(partnership)
    peer_mentor = MembershipFactory(
        partnership=partnership, is_member=True, is_worker=True, organisation=staff[0].organisation
    )
    for person in [*members, peer_mentor]:
        services.vote_cast(actor=person, statement_id=first.pk, vote="agree")
        services.vote_cast(actor=person, statement_id=second.pk, vote="agree")
    for index, person in enumerate(staff):
        services.vote_cast(actor=person, statement_id=first.pk, vote="disagree" if index else "pass")
        services.vote_cast(actor=person, statement_id=second.pk, vote="agree")
    for person in staff[:4]:  # only four staff: too few to show
        services.vote_cast(actor=person, statement_id=third.pk, vote="agree")
    lens = selectors.coproduction_lens(conversation)
    rows = {row.statement.pk: row for row in lens.rows}
    assert rows[first.pk].members.voters == 7  # the peer mentor counts as a member
    assert (rows[first.pk].members.agree_percent, rows[first.pk].staff.agree_percent) == (100, 0)
    assert rows[first.pk].staff.disagree_percent == 80
    assert rows[first.pk].difference == 100
    assert not rows[third.pk].staff.shown and not rows[third.pk].comparable
    assert [row.statement for row in lens.differ_most] == [first]
    # Members all agree with the first statement and staff do not: that is not common ground.
    assert [row.statement for row in lens.agree_most] == [second]
    assert lens.compared == 2


def test_the_lens_agrees_most_only_where_more_than_half_of_each_side_agrees(
    conversation: Conversation, partnership: Any
) -> None:
    first, second, third = statements(conversation)
    members, staff = _sides(partnership)
    for index, person in enumerate(members):
        services.vote_cast(actor=person, statement_id=first.pk, vote="agree" if index < 3 else "pass")  # half
        services.vote_cast(actor=person, statement_id=second.pk, vote="disagree")
        services.vote_cast(actor=person, statement_id=third.pk, vote="agree" if index < 4 else "disagree")
    for index, person in enumerate(staff):
        services.vote_cast(actor=person, statement_id=first.pk, vote="agree")
        services.vote_cast(actor=person, statement_id=second.pk, vote="disagree")  # both sides reject it
        services.vote_cast(actor=person, statement_id=third.pk, vote="agree" if index < 3 else "pass")
    lens = selectors.coproduction_lens(conversation)
    assert lens.compared == 3
    assert [row.statement for row in lens.agree_most] == [third]  # 67% of members, 60% of staff


# --- Snapshot throttle ------------------------------------------------------------------------------

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@override_settings(TASKS=DB_TASKS)
def test_votes_enqueue_at_most_one_snapshot_per_ten_seconds(
    django_capture_on_commit_callbacks: Any, conversation: Conversation, member: Any, worker: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    first, second, _third = statements(conversation)
    with django_capture_on_commit_callbacks(execute=True):
        services.vote_cast(actor=member, statement_id=first.pk, vote="agree")
    with django_capture_on_commit_callbacks(execute=True):
        services.vote_cast(actor=worker, statement_id=first.pk, vote="agree")
        services.vote_cast(actor=member, statement_id=second.pk, vote="pass")
    assert DBTaskResult.objects.count() == 1  # one waiting computation for the three votes
    conversation.refresh_from_db()
    assert conversation.snapshot_due_at is not None

    # The computation starts: the mark is cleared, so the next vote asks for another one, but no sooner
    # than ten seconds after this one started.
    started = timezone.now()
    Conversation.objects.filter(pk=conversation.pk).update(snapshot_due_at=None, snapshot_started_at=started)
    with django_capture_on_commit_callbacks(execute=True):
        services.vote_cast(actor=worker, statement_id=second.pk, vote="agree")
        services.vote_cast(actor=member, statement_id=first.pk, vote="disagree")
    waiting = list(DBTaskResult.objects.order_by("enqueued_at"))
    assert len(waiting) == 2
    assert waiting[1].run_after is not None
    assert abs((waiting[1].run_after - (started + services.SNAPSHOT_INTERVAL)).total_seconds()) < 0.01
    assert waiting[1].args_kwargs["args"] == [conversation.pk]


def test_the_author_of_a_statement_taken_out_is_told_and_the_notice_clears_when_it_is_back(
    conversation: Conversation, coordinator: Any, member: Any
) -> None:
    from coproduce.notifications.models import Notice

    statement = services.statement_add(actor=member, conversation=conversation, text="Clubs should start at 3.")
    services.statement_moderate(actor=coordinator, statement=statement, publish=False, reason="It names a school.")
    told = Notice.objects.get(user=member.user, done_at__isnull=True)
    assert told.kind == "conversations.statement_taken_out" and "It names a school." in told.text
    services.statement_moderate(actor=coordinator, statement=statement, publish=True)
    assert not Notice.objects.filter(user=member.user, done_at__isnull=True).exists()
