"""Ballots recorded with a member by a worker or coordinator, and entered from her paper form: the same
integrity as her own ballot, one entry per form number, nothing replaced behind her back, her own later ballot
replacing it, her confirmation, the printable form, and the results counting how the ballots were given."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.fund import selectors, services
from coproduce.fund.models import Ballot, ResultSnapshot, Round
from coproduce.notifications.models import Notice
from coproduce.partnerships.assisted import NOTICE_KIND, ChannelCounts, assisted_confirm, assisted_pending
from tests.conftest import present, signed_in
from tests.factories import MembershipFactory, PartnershipFactory, staff_membership
from tests.fund.helpers import make_proposal, make_round, move_to

pytestmark = pytest.mark.django_db


def url(name: str, partnership: Any, **kwargs: Any) -> str:
    return reverse(f"fund:{name}", kwargs={"slug": partnership.slug, **kwargs})


@pytest.fixture
def round_(partnership: Any) -> Round:
    r = make_round(partnership, phase="voting", budget=3_000, min_choices=1, max_choices=2, within_budget=True)
    for cost in (1_000, 1_500, 2_500):
        make_proposal(r, cost=cost, title=f"Project {cost}")
    return r


def ids(round_: Round) -> list[int]:
    return list(round_.proposals.order_by("cost_pence").values_list("pk", flat=True))


def record(actor: Any, round_: Round, member: Any, picks: list[int], **kw: Any) -> Ballot:
    kw.setdefault("agreed", True)
    return services.ballot_record_with(actor=actor, round_=round_, member=member, choices=dict.fromkeys(picks, 1), **kw)


class TestRecordingWithHer:
    @pytest.mark.parametrize("role", ["worker", "coordinator"])
    def test_a_keyworker_records_her_ballot_marked_as_assisted_and_she_is_told(
        self, partnership: Any, member: Any, round_: Round, role: str
    ) -> None:
        actor = staff_membership(partnership, role=role)
        ballot = record(actor, round_, member, ids(round_)[:1])
        assert (ballot.voter_id, ballot.channel, ballot.recorded_by_id) == (member.user_id, "assisted", actor.user_id)
        assert ballot.confirmed_at is None and ballot.paper_ref == ""
        notice = present(Notice.objects.filter(user=member.user, kind=NOTICE_KIND).first())
        assert notice.url == reverse("partnerships:assisted", kwargs={"slug": partnership.slug})
        assert "Project 1000" in assisted_pending(member)[0].summary

    def test_she_confirms_it_and_it_leaves_her_list_and_inbox(self, worker: Any, member: Any, round_: Round) -> None:
        ballot = record(worker, round_, member, ids(round_)[:1])
        assisted_confirm(member=member, kind="fund.ballot", item_id=ballot.pk)
        ballot.refresh_from_db()
        assert ballot.confirmed_at is not None and ballot.channel == "assisted"
        assert assisted_pending(member) == []
        assert not Notice.objects.filter(user=member.user, kind=NOTICE_KIND, done_at__isnull=True).exists()

    def test_nobody_else_confirms_her_ballot(self, worker: Any, member: Any, round_: Round) -> None:
        ballot = record(worker, round_, member, ids(round_)[:1])
        other = MembershipFactory(partnership=member.partnership, is_member=True)
        with pytest.raises(NotPermitted):
            assisted_confirm(member=other, kind="fund.ballot", item_id=ballot.pk)

    def test_her_own_later_ballot_replaces_it_as_her_own(self, worker: Any, member: Any, round_: Round) -> None:
        first = record(worker, round_, member, ids(round_)[:1])
        own = services.ballot_submit(actor=member, round_=round_, choices={ids(round_)[1]: 1})
        assert own.pk == first.pk
        assert (own.channel, own.recorded_by_id, own.confirmed_at) == ("self", None, None)
        assert [c.proposal_id for c in own.choices.all()] == [ids(round_)[1]]
        assert assisted_pending(member) == []

    def test_the_same_choices_cast_by_herself_become_her_own(self, worker: Any, member: Any, round_: Round) -> None:
        record(worker, round_, member, ids(round_)[:1])
        own = services.ballot_submit(actor=member, round_=round_, choices={ids(round_)[0]: 1})
        assert own.channel == "self"

    def test_a_member_who_already_voted_is_not_overwritten(self, worker: Any, member: Any, round_: Round) -> None:
        services.ballot_submit(actor=member, round_=round_, choices={ids(round_)[1]: 1})
        with pytest.raises(ServiceError) as refused:
            record(worker, round_, member, ids(round_)[:1])
        assert refused.value.code == "exists"
        assert "cast by herself" in refused.value.message
        ballot = Ballot.objects.get(round=round_)
        assert ballot.channel == "self" and [c.proposal_id for c in ballot.choices.all()] == [ids(round_)[1]]

    @pytest.mark.parametrize(
        ("change", "code"),
        [
            ({"agreed": False}, "not_agreed"),
            ({"picks": "over_budget"}, "over_budget"),
            ({"picks": "too_many"}, "too_many"),
            ({"picks": "none"}, "empty"),
        ],
    )
    def test_bad_input_is_refused_and_nothing_is_saved(
        self, worker: Any, member: Any, round_: Round, change: dict[str, Any], code: str
    ) -> None:
        every = ids(round_)
        picks = {"over_budget": every[1:], "too_many": every, "none": []}.get(change.pop("picks", ""), every[:1])
        with pytest.raises(ServiceError) as refused:
            record(worker, round_, member, picks, **change)
        assert refused.value.code == code
        assert not Ballot.objects.exists() and not Notice.objects.filter(kind=NOTICE_KIND).exists()

    def test_refused_when_she_turned_assistance_off(self, worker: Any, member: Any, round_: Round) -> None:
        member.assistance_allowed = False
        member.save()
        with pytest.raises(ServiceError) as refused:
            record(worker, round_, member, ids(round_)[:1])
        assert refused.value.code == "assistance_off"
        with pytest.raises(ServiceError):
            record(worker, round_, member, ids(round_)[:1], channel="paper", paper_ref="B1-0001")
        assert not Ballot.objects.exists()

    @pytest.mark.parametrize("phase", ["review", "results"])
    def test_refused_outside_voting(self, worker: Any, member: Any, round_: Round, phase: str) -> None:
        move_to(round_, phase)
        with pytest.raises(ServiceError) as refused:
            record(worker, round_, member, ids(round_)[:1])
        assert refused.value.code == "closed"

    def test_only_a_worker_or_coordinator_of_her_partnership(
        self, partner_lead: Any, member: Any, observer: Any, round_: Round
    ) -> None:
        for actor in (partner_lead, observer, MembershipFactory(partnership=member.partnership, is_member=True)):
            with pytest.raises(NotPermitted):
                record(actor, round_, member, ids(round_)[:1])
        outsider_worker = staff_membership(PartnershipFactory(), role="worker")
        with pytest.raises(NotPermitted):
            record(outsider_worker, round_, member, ids(round_)[:1])
        assert not Ballot.objects.exists()

    def test_a_member_of_another_partnership_is_out_of_reach(self, worker: Any, round_: Round) -> None:
        elsewhere = MembershipFactory(partnership=PartnershipFactory(), is_member=True)
        with pytest.raises(NotPermitted):
            record(worker, round_, elsewhere, ids(round_)[:1])


class TestFromPaper:
    def test_a_paper_ballot_keeps_its_form_number(self, worker: Any, member: Any, round_: Round) -> None:
        ballot = record(worker, round_, member, ids(round_)[:1], channel="paper", paper_ref=" b7-0003 ")
        assert (ballot.channel, ballot.paper_ref) == ("paper", "B7-0003")
        assert "paper form B7-0003" in assisted_pending(member)[0].summary

    def test_the_same_form_entered_twice_is_caught(self, worker: Any, member: Any, round_: Round) -> None:
        record(worker, round_, member, ids(round_)[:1], channel="paper", paper_ref="B7-0003")
        other = MembershipFactory(partnership=member.partnership, is_member=True)
        with pytest.raises(ServiceError) as refused:
            record(worker, round_, other, ids(round_)[:1], channel="paper", paper_ref="b7-0003")
        assert refused.value.code == "paper_ref_used" and refused.value.field == "paper_ref"
        assert Ballot.objects.count() == 1

    def test_the_same_member_twice_says_what_is_recorded(self, worker: Any, member: Any, round_: Round) -> None:
        record(worker, round_, member, ids(round_)[:1], channel="paper", paper_ref="B7-0003")
        with pytest.raises(ServiceError) as refused:
            record(worker, round_, member, ids(round_)[1:2], channel="paper", paper_ref="B7-0004")
        assert refused.value.code == "exists" and "paper form B7-0003" in refused.value.message

    def test_a_form_number_is_required(self, worker: Any, member: Any, round_: Round) -> None:
        with pytest.raises(ServiceError) as refused:
            record(worker, round_, member, ids(round_)[:1], channel="paper", paper_ref="  ")
        assert refused.value.field == "paper_ref"

    def test_her_own_ballot_keeps_the_form_number_so_the_form_cannot_come_back(
        self, worker: Any, member: Any, round_: Round
    ) -> None:
        record(worker, round_, member, ids(round_)[:1], channel="paper", paper_ref="B7-0003")
        services.ballot_submit(actor=member, round_=round_, choices={ids(round_)[1]: 1})
        other = MembershipFactory(partnership=member.partnership, is_member=True)
        with pytest.raises(ServiceError):
            record(worker, round_, other, ids(round_)[:1], channel="paper", paper_ref="B7-0003")


class TestCountingApart:
    def test_members_by_themselves_with_help_on_paper_and_staff(self, partnership: Any, worker: Any) -> None:
        r = make_round(partnership, phase="voting", voters="members_and_staff")
        project = make_proposal(r).pk
        members = MembershipFactory.create_batch(4, partnership=partnership, is_member=True)
        services.ballot_submit(actor=members[0], round_=r, choices={project: 1})
        services.ballot_submit(actor=members[1], round_=r, choices={project: 1})
        record(worker, r, members[2], [project])
        record(worker, r, members[3], [project], channel="paper", paper_ref="B1-0001")
        services.ballot_submit(actor=worker, round_=r, choices={project: 1})
        assert selectors.round_channel_counts(r) == ChannelCounts(2, 1, 1, 1)


class TestPages:
    @pytest.mark.parametrize("role", ["worker", "coordinator"])
    def test_a_keyworker_records_a_ballot_on_the_page(
        self, partnership: Any, member: Any, round_: Round, role: str
    ) -> None:
        actor = staff_membership(partnership, role=role)
        response = signed_in(actor.user).post(
            url("ballot-record-with", partnership, round_id=round_.pk),
            {"member": member.pk, "choices": [str(ids(round_)[0])], "agreed": "on"},
            follow=True,
        )
        assert response.status_code == 200
        assert "ballot is recorded with her" in response.content.decode()
        assert Ballot.objects.get(round=round_).channel == "assisted"

    @pytest.mark.parametrize("role", ["worker", "coordinator"])
    def test_a_paper_ballot_on_the_page_and_the_same_form_again(
        self, partnership: Any, member: Any, round_: Round, role: str
    ) -> None:
        client = signed_in(staff_membership(partnership, role=role).user)
        address = url("ballot-paper", partnership, round_id=round_.pk)
        data = {"member": member.pk, "paper_ref": "B1-0002", "choices": [str(ids(round_)[0])], "agreed": "on"}
        assert client.post(address, data).status_code == 302
        other = MembershipFactory(partnership=partnership, is_member=True)
        again = client.post(address, {**data, "member": other.pk})
        assert again.status_code == 200
        assert "Paper form B1-0002 has already been entered in this round." in again.content.decode()
        assert Ballot.objects.count() == 1

    def test_bad_input_on_the_page_gives_clear_messages(self, worker: Any, member: Any, round_: Round) -> None:
        response = signed_in(worker.user).post(url("ballot-record-with", worker.partnership, round_id=round_.pk), {})
        text = response.content.decode()
        assert response.status_code == 200
        assert "Choose the member whose ballot this is." in text and "Choose at least one project." in text
        not_agreed = signed_in(worker.user).post(
            url("ballot-record-with", worker.partnership, round_id=round_.pk),
            {"member": member.pk, "choices": [str(ids(round_)[0])]},
        )
        assert "Tick the box to confirm the member agreed" in not_agreed.content.decode()
        assert not Ballot.objects.exists()

    def test_a_member_who_turned_it_off_is_not_offered(self, worker: Any, member: Any, round_: Round) -> None:
        member.assistance_allowed = False
        member.save()
        response = signed_in(worker.user).post(
            url("ballot-record-with", worker.partnership, round_id=round_.pk),
            {"member": member.pk, "choices": [str(ids(round_)[0])], "agreed": "on"},
        )
        assert response.status_code == 200
        assert "Choose a member from the list" in response.content.decode()
        assert not Ballot.objects.exists()

    @pytest.mark.parametrize("role", ["member", "observer", "partner_lead"])
    def test_nobody_else_may_post(self, partnership: Any, member: Any, round_: Round, role: str) -> None:
        actor = {
            "member": member,
            "observer": MembershipFactory(partnership=partnership, is_member=False, is_observer=True),
            "partner_lead": staff_membership(partnership, role="partner_lead"),
        }[role]
        for name in ("ballot-record-with", "ballot-paper"):
            response = signed_in(actor.user).post(
                url(name, partnership, round_id=round_.pk),
                {"member": member.pk, "paper_ref": "B1-1", "choices": [str(ids(round_)[0])], "agreed": "on"},
            )
            assert response.status_code == 404
        assert not Ballot.objects.exists()

    def test_a_closed_round_shows_no_form(self, worker: Any, member: Any, round_: Round) -> None:
        move_to(round_, "results")
        response = signed_in(worker.user).post(
            url("ballot-record-with", worker.partnership, round_id=round_.pk),
            {"member": member.pk, "choices": [str(ids(round_)[0])], "agreed": "on"},
        )
        assert "Voting in this round has closed." in response.content.decode()
        assert not Ballot.objects.exists()

    def test_the_printable_form_numbers_each_copy(self, worker: Any, round_: Round) -> None:
        page = signed_in(worker.user).get(
            url("ballot-paper-form", worker.partnership, round_id=round_.pk), {"start": 7, "copies": 3}
        )
        text = page.content.decode()
        assert page.status_code == 200
        for n in (7, 8, 9):
            assert f"B{round_.pk}-{n:04d}" in text
        assert f"B{round_.pk}-0010" not in text
        assert "Project 1500" in text and "Your name" in text
        assert "coproduce/paper-forms" in text  # the print stylesheet

    def test_the_printable_form_refuses_a_bad_count_clearly(self, worker: Any, round_: Round) -> None:
        page = signed_in(worker.user).get(
            url("ballot-paper-form", worker.partnership, round_id=round_.pk), {"start": "x", "copies": "5000"}
        )
        assert page.status_code == 200
        assert "Enter a whole number from 1 to 9999." in page.content.decode()

    def test_the_results_say_how_the_ballots_were_given(self, worker: Any, member: Any, round_: Round) -> None:
        record(worker, round_, member, ids(round_)[:1])
        move_to(round_, "results")
        address = url("results", member.partnership, round_id=round_.pk)
        client = signed_in(member.user)
        client.get(address)  # asks for the results
        services.results_compute(snapshot_id=ResultSnapshot.objects.get().pk)
        page = client.get(address)
        text = page.content.decode()
        assert "How the ballots were given" in text and "Members, with their keyworker" in text
