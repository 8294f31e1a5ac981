"""Votes recorded with a member by a keyworker (assisted participation): who may, with whom, her own votes
kept, her notice, confirm or change (her own vote makes it hers again), the opinion map counting them as hers,
and the report counting them apart."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from coproduce.conversations import selectors, services
from coproduce.conversations.models import Conversation, Participant, Statement, Vote, VoteEvent
from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.models import AuditEvent
from coproduce.notifications.models import Notice
from coproduce.partnerships.assisted import Channel, assisted_pending
from tests.conftest import signed_in
from tests.conversations.voting import assert_counts_match
from tests.factories import MembershipFactory, PartnershipFactory, staff_membership

SEEDS = ["Job fairs should start after drop-off.", "Childcare should be free at job fairs.", "Evenings suit me."]


@pytest.fixture
def conversation(coordinator: Any) -> Conversation:
    return services.conversation_create(actor=coordinator, topic="Job fairs", seeds=SEEDS)


def statements(conversation: Conversation) -> list[Statement]:
    return list(conversation.statements.order_by("number"))


def page(conversation: Conversation) -> str:
    return reverse(
        "conversations:record-with", kwargs={"slug": conversation.partnership.slug, "conversation_id": conversation.pk}
    )


def assisted_page(partnership: Any) -> str:
    return reverse("partnerships:assisted", kwargs={"slug": partnership.slug})


def form(who: Any, conversation: Conversation, answers: list[str], **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"member": who.pk, "agreed": "on"}
    for statement, answer in zip(statements(conversation), answers, strict=False):
        data[f"statement_{statement.pk}"] = answer
    return {**data, **changes}


class TestRecording:
    @pytest.mark.parametrize("role", ["worker", "coordinator"])
    def test_staff_record_her_votes_as_hers_marked_and_she_is_told(
        self, conversation: Conversation, member: Any, role: str
    ) -> None:
        recorder = staff_membership(conversation.partnership, role=role)
        client = signed_in(recorder.user)
        assert "Childcare should be free" in client.get(page(conversation)).content.decode()
        response = client.post(page(conversation), form(member, conversation, ["agree", "", "disagree"]))
        assert response.status_code == 302
        votes = Vote.objects.filter(participant__user=member.user).order_by("statement__number")
        assert [(v.value, v.channel, v.recorded_by_id) for v in votes] == [
            (1, Channel.ASSISTED, recorder.user_id),
            (-1, Channel.ASSISTED, recorder.user_id),
        ]
        participant = Participant.objects.get(user=member.user)
        assert participant.votes_cast == 2
        assert VoteEvent.objects.filter(participant=participant).count() == 2
        assert_counts_match(conversation)
        notice = Notice.objects.get(user=member.user)
        assert notice.url == assisted_page(conversation.partnership)
        assert AuditEvent.objects.filter(action="conversations.votes_recorded_with").count() == 1
        # in the opinion map's data they are simply her votes
        assert selectors.my_votes(member, conversation) == {votes[0].statement_id: 1, votes[1].statement_id: -1}

    @pytest.mark.parametrize("role", ["member", "observer", "partner_lead"])
    def test_anyone_else_gets_not_found(self, conversation: Conversation, member: Any, role: str) -> None:
        partnership = conversation.partnership
        if role == "member":
            person = MembershipFactory(partnership=partnership)
        elif role == "observer":
            person = MembershipFactory(partnership=partnership, is_member=False, is_observer=True)
        else:
            person = staff_membership(partnership, role=role)
        response = signed_in(person.user).post(page(conversation), form(member, conversation, ["agree"]))
        assert response.status_code == 404
        assert not Vote.objects.exists()

    def test_not_ticked_or_nothing_chosen_is_refused_in_words(
        self, conversation: Conversation, worker: Any, member: Any
    ) -> None:
        client = signed_in(worker.user)
        data = form(member, conversation, ["agree"])
        del data["agreed"]
        html = client.post(page(conversation), data).content.decode()
        assert "Tick the box to confirm the member agreed" in html
        html = client.post(page(conversation), form(member, conversation, ["", "", ""])).content.decode()
        assert "Choose agree, disagree or pass on at least one statement." in html
        html = client.post(page(conversation), form(member, conversation, ["maybe"])).content.decode()
        assert "There is a problem" in html
        assert not Vote.objects.exists()

    def test_a_member_who_turned_it_off_or_from_elsewhere_cannot_be_chosen(
        self, conversation: Conversation, worker: Any
    ) -> None:
        off = MembershipFactory(partnership=conversation.partnership, assistance_allowed=False)
        elsewhere = MembershipFactory(partnership=PartnershipFactory())
        for who, said in (
            (off, "has turned off keyworkers recording their views with them"),
            (elsewhere, "Choose a member from the list."),
        ):
            html = signed_in(worker.user).post(page(conversation), form(who, conversation, ["agree"])).content.decode()
            assert said in html
        with pytest.raises(ServiceError):
            services.votes_record_with(
                actor=worker, member=off, agreed=True, conversation=conversation, votes={1: "agree"}
            )
        with pytest.raises(NotPermitted):
            services.votes_record_with(
                actor=worker, member=elsewhere, agreed=True, conversation=conversation, votes={1: "agree"}
            )
        assert not Vote.objects.exists()

    def test_a_statement_of_another_conversation_is_not_found(
        self, conversation: Conversation, coordinator: Any, worker: Any, member: Any
    ) -> None:
        other = services.conversation_create(actor=coordinator, topic="Other", seeds=["Something else entirely."])
        with pytest.raises(NotPermitted):
            services.votes_record_with(
                actor=worker,
                member=member,
                agreed=True,
                conversation=conversation,
                votes={other.statements.get().pk: "agree"},
            )
        assert not Vote.objects.exists()

    def test_her_own_votes_are_kept(self, conversation: Conversation, worker: Any, member: Any) -> None:
        first, second, _third = statements(conversation)
        services.vote_cast(actor=member, statement_id=first.pk, vote="disagree")
        recorded, kept = services.votes_record_with(
            actor=worker,
            member=member,
            agreed=True,
            conversation=conversation,
            votes={first.pk: "agree", second.pk: "agree"},
        )
        assert (recorded, kept) == (1, 1)
        assert Vote.objects.get(statement=first).value == -1
        assert Vote.objects.get(statement=first).channel == Channel.SELF
        assert Vote.objects.get(statement=second).channel == Channel.ASSISTED
        assert_counts_match(conversation)


@pytest.fixture
def recorded(conversation: Conversation, worker: Any, member: Any) -> list[Statement]:
    services.votes_record_with(
        actor=worker,
        member=member,
        agreed=True,
        conversation=conversation,
        votes={s.pk: "agree" for s in statements(conversation)[:2]},
    )
    return statements(conversation)


class TestHerConfirmOrChange:
    def test_one_line_per_conversation_waits_and_she_confirms(
        self, conversation: Conversation, member: Any, recorded: list[Statement]
    ) -> None:
        client = signed_in(member.user)
        html = client.get(assisted_page(conversation.partnership)).content.decode()
        assert "Your 2 votes in “Job fairs”" in html
        client.post(
            assisted_page(conversation.partnership),
            {"action": "confirm", "kind": "conversations.votes", "item_id": conversation.pk},
        )
        assert not Vote.objects.filter(confirmed_at__isnull=True).exists()
        assert set(Vote.objects.values_list("channel", flat=True)) == {Channel.ASSISTED}
        assert assisted_pending(member) == []

    def test_another_member_cannot_confirm_them(
        self, conversation: Conversation, partnership: Any, recorded: list[Statement]
    ) -> None:
        other = MembershipFactory(partnership=partnership)
        response = signed_in(other.user).post(
            assisted_page(partnership), {"action": "confirm", "kind": "conversations.votes", "item_id": conversation.pk}
        )
        assert response.status_code == 404
        assert not Vote.objects.filter(confirmed_at__isnull=False).exists()

    def test_her_own_vote_replaces_the_recorded_one(
        self, conversation: Conversation, member: Any, recorded: list[Statement]
    ) -> None:
        services.vote_cast(actor=member, statement_id=recorded[0].pk, vote="disagree")
        vote = Vote.objects.get(statement=recorded[0])
        assert (vote.value, vote.channel, vote.recorded_by_id, vote.confirmed_at) == (-1, Channel.SELF, None, None)
        assert Vote.objects.get(statement=recorded[1]).channel == Channel.ASSISTED
        assert_counts_match(conversation)
        [item] = assisted_pending(member)
        assert "Your vote in" in item.summary


class TestCountedApart:
    def test_the_report_counts_members_unassisted_assisted_and_staff(
        self, conversation: Conversation, worker: Any, member: Any, coordinator: Any
    ) -> None:
        first, second, _third = statements(conversation)
        other = MembershipFactory(partnership=conversation.partnership)
        services.vote_cast(actor=other, statement_id=first.pk, vote="agree")
        services.vote_cast(actor=coordinator, statement_id=first.pk, vote="agree")
        services.votes_record_with(
            actor=worker, member=member, agreed=True, conversation=conversation, votes={second.pk: "pass"}
        )
        counts = selectors.vote_channels(conversation)
        assert (counts.members_self, counts.members_assisted, counts.members_paper, counts.staff) == (1, 1, 0, 1)
        report = reverse(
            "conversations:report",
            kwargs={"slug": conversation.partnership.slug, "conversation_id": conversation.pk},
        )
        html = signed_in(member.user).get(report).content.decode()
        assert "Members, recorded with a keyworker" in html
