"""The fund's pages as people use them: the ledger, rounds, proposals, ballots and receipts, results;
bad input gives a clear message and saves nothing; list pages keep a constant number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from coproduce.fund import services
from coproduce.fund.models import Award, Ballot, Contribution, Proposal, ResultSnapshot, Round
from tests.conftest import present, signed_in
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.fund.helpers import add_money, make_proposal, make_round, move_to

pytestmark = pytest.mark.django_db
HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


def url(name: str, partnership: Any, **kwargs: Any) -> str:
    return reverse(f"fund:{name}", kwargs={"slug": partnership.slug, **kwargs})


def html(response: Any) -> str:
    return response.content.decode()


class TestLedgerPages:
    def test_everyone_sees_where_the_money_came_from_and_went(self, member: Any, partner_lead: Any) -> None:
        add_money(member.partnership, 12_345, organisation=partner_lead.organisation)
        page = signed_in(member.user).get(url("ledger", member.partnership))
        assert page.status_code == 200
        assert "£12,345" in html(page)
        assert partner_lead.organisation.name in html(page)
        assert "Record a contribution" not in html(page)  # members read the ledger; partners write it

    def test_a_partner_lead_records_a_contribution(self, partner_lead: Any) -> None:
        client = signed_in(partner_lead.user)
        response = client.post(
            url("contribution-new", partner_lead.partnership),
            {
                "organisation": partner_lead.organisation_id,
                "kind": "in_kind",
                "description": "Tutor hours",
                "value": "£1,250.50",
            },
        )
        assert response.status_code == 302
        contribution = Contribution.objects.get()
        assert contribution.value_pence == 125_050 and contribution.kind == "in_kind"
        assert "£1,250.50" in html(client.get(response["Location"]))

    def test_a_contribution_for_another_organisation_is_refused_with_a_message(self, partner_lead: Any) -> None:
        other = OrganisationFactory(partnership=partner_lead.partnership)
        response = signed_in(partner_lead.user).post(
            url("contribution-new", partner_lead.partnership),
            {"organisation": other.pk, "kind": "money", "description": "Not ours", "value": "100"},
        )
        assert response.status_code == 200
        assert "You can only record contributions from your own organisation" in html(response)
        assert "There is a problem" in html(response)
        assert not Contribution.objects.exists()

    @pytest.mark.parametrize("value", ["", "abc", "0", "-5", "12.345"])
    def test_a_value_that_is_not_an_amount_is_refused(self, partner_lead: Any, value: str) -> None:
        response = signed_in(partner_lead.user).post(
            url("contribution-new", partner_lead.partnership),
            {"organisation": partner_lead.organisation_id, "kind": "money", "description": "x", "value": value},
        )
        assert response.status_code == 200
        assert "Enter" in html(response) and 'aria-invalid="true"' in html(response)
        assert not Contribution.objects.exists()

    def test_the_ledger_uses_a_constant_number_of_queries(
        self, member: Any, coordinator: Any, django_assert_max_num_queries: Any
    ) -> None:
        client = signed_in(member.user)
        address = url("ledger", member.partnership)
        add_money(member.partnership)
        round_ = make_round(member.partnership, phase="delivery")

        def award_one() -> None:
            proposal = make_proposal(round_, proposer=UserFactory())
            award = Award.objects.create(
                partnership=member.partnership, round=round_, proposal=proposal, amount_pence=100
            )
            services.payment_record(actor=coordinator, award=award, amount_pence=50)
            services.spend_report(actor=coordinator, award=award, spent_to_date_pence=10, note="Spent")

        award_one()
        client.get(address)
        with django_assert_max_num_queries(20) as few:
            client.get(address)
        for n in range(20):
            add_money(member.partnership, 100 + n)
            award_one()
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(address)
        assert html(response).count("/fund/awards/") >= 20


class TestRoundPages:
    def round_form(self, **overrides: Any) -> dict[str, Any]:
        return {
            "title": "Spring round",
            "description": "",
            "budget": "5000",
            "ballot_kind": "approval",
            "min_choices": "1",
            "max_choices": "3",
            "points": "10",
            "voters": "members",
            "completion": "add1",
            "proposals_from": "2030-01-01",
            "review_from": "2030-01-08",
            "voting_from": "2030-01-15",
            "results_from": "2030-02-01",
            "delivery_from": "2030-02-08",
            **overrides,
        }

    def test_a_coordinator_sets_up_a_round_within_what_is_available(self, coordinator: Any) -> None:
        add_money(coordinator.partnership, 5_000)
        client = signed_in(coordinator.user)
        refused = client.post(url("round-new", coordinator.partnership), self.round_form(budget="5000.01"))
        assert refused.status_code == 200
        assert "more than the fund has available (£5,000)" in html(refused)
        assert not Round.objects.exists()
        made = client.post(url("round-new", coordinator.partnership), self.round_form())
        assert made.status_code == 302
        assert Round.objects.get().budget_pence == 500_000

    def test_dates_out_of_order_are_refused(self, coordinator: Any) -> None:
        add_money(coordinator.partnership)
        response = signed_in(coordinator.user).post(
            url("round-new", coordinator.partnership), self.round_form(voting_from="2030-01-02")
        )
        assert "Each phase must start after the one before it." in html(response)
        assert not Round.objects.exists()

    def test_the_rounds_list_uses_a_constant_number_of_queries(
        self, member: Any, django_assert_max_num_queries: Any
    ) -> None:
        client = signed_in(member.user)
        address = url("rounds", member.partnership)
        make_round(member.partnership)
        client.get(address)
        with django_assert_max_num_queries(20) as few:
            client.get(address)
        for n in range(15):
            round_ = make_round(member.partnership, phase=["proposals", "voting", "results"][n % 3], title=f"R{n}")
            make_proposal(round_)
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(address)
        assert html(response).count("/fund/rounds/") >= 16

    def test_a_round_page_with_many_proposals_uses_a_constant_number_of_queries(
        self, member: Any, django_assert_max_num_queries: Any
    ) -> None:
        client = signed_in(member.user)
        round_ = make_round(member.partnership, phase="voting")
        make_proposal(round_, proposer=member.user)
        address = url("round", member.partnership, round_id=round_.pk)
        client.get(address)
        with django_assert_max_num_queries(20) as few:
            client.get(address)
        for _ in range(25):
            make_proposal(round_, proposer=UserFactory(), has_conflict=True, conflict_details="Mine")
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(address)
        assert html(response).count("/fund/proposals/") == 26

    def test_another_partnerships_round_answers_404(self, member: Any, outsider: Any) -> None:
        round_ = make_round(outsider.partnership)
        assert signed_in(member.user).get(url("round", member.partnership, round_id=round_.pk)).status_code == 404


class TestProposalPages:
    def proposal_form(self, **overrides: Any) -> dict[str, Any]:
        return {
            "title": "Crèche",
            "description": "A room with toys.",
            "beneficiaries": "Parents of toddlers",
            "cost": "1200",
            "has_conflict": "no",
            "conflict_details": "",
            **overrides,
        }

    def test_a_member_proposes_and_staff_review_it_in_public(self, member: Any, worker: Any) -> None:
        round_ = make_round(member.partnership, phase="proposals", budget=5_000)
        response = signed_in(member.user).post(
            url("proposal-new", member.partnership, round_id=round_.pk), self.proposal_form()
        )
        proposal = Proposal.objects.get()
        assert response["Location"] == url("proposal", member.partnership, proposal_id=proposal.pk)
        move_to(round_, "review")
        reviewed = signed_in(worker.user).post(
            url("proposal-review", member.partnership, proposal_id=proposal.pk),
            {"feasible": "yes", "cost": "1300", "reason": "The room costs more on Saturdays."},
        )
        assert reviewed.status_code == 302
        page = signed_in(member.user).get(reviewed["Location"])
        assert "The room costs more on Saturdays." in html(page)
        assert "£1,300" in html(page) and "asked for £1,200" in html(page)

    def test_a_cost_above_the_budget_gets_a_message(self, member: Any) -> None:
        round_ = make_round(member.partnership, phase="proposals", budget=1_000)
        response = signed_in(member.user).post(
            url("proposal-new", member.partnership, round_id=round_.pk), self.proposal_form(cost="1000.01")
        )
        assert response.status_code == 200
        assert "The cost is more than the round&#x27;s whole budget of £1,000." in html(response)
        assert not Proposal.objects.exists()

    def test_a_conflict_without_words_gets_a_message(self, member: Any) -> None:
        round_ = make_round(member.partnership, phase="proposals")
        response = signed_in(member.user).post(
            url("proposal-new", member.partnership, round_id=round_.pk), self.proposal_form(has_conflict="yes")
        )
        assert "Say what the conflict of interest is." in html(response)
        assert not Proposal.objects.exists()

    def test_editing_after_review_closes_is_refused_with_a_message(self, member: Any) -> None:
        round_ = make_round(member.partnership, phase="voting")
        proposal = make_proposal(round_, proposer=member.user, title="Original")
        client = signed_in(member.user)
        page = client.get(url("proposal-edit", member.partnership, proposal_id=proposal.pk))
        assert "Review has closed for this round" in html(page)
        response = client.post(
            url("proposal-edit", member.partnership, proposal_id=proposal.pk), self.proposal_form(title="Changed")
        )
        assert response.status_code == 200
        assert "Review has closed for this round, so proposals can no longer be changed." in html(response)
        proposal.refresh_from_db()
        assert proposal.title == "Original"


@pytest.fixture
def voting_round(member: Any) -> Round:
    round_ = make_round(member.partnership, phase="voting", budget=3_000, max_choices=2)
    for cost, title in ((1_000, "Crèche"), (1_500, "Bus passes"), (2_000, "Laptops")):
        make_proposal(round_, cost=cost, title=title)
    return round_


class TestBallotPages:
    def test_a_member_votes_gets_a_receipt_and_looks_it_up(self, member: Any, voting_round: Round) -> None:
        client = signed_in(member.user)
        address = url("ballot", member.partnership, round_id=voting_round.pk)
        form = client.get(address)
        assert "Tick between 1 and 2 projects." in html(form)
        ids = [str(p) for p in voting_round.proposals.order_by("cost_pence").values_list("pk", flat=True)]
        response = client.post(address, {"choices": ids[:2]})
        assert response.status_code == 302
        ballot = Ballot.objects.get()
        page = client.get(response["Location"])
        assert ballot.receipt in html(page)
        member.user.display_name = "Zebedee Quillfeather"  # found nowhere else, unlike a short generated name
        member.user.save(update_fields=["display_name"])
        lookup = client.get(url("receipt", member.partnership, round_id=voting_round.pk), {"code": ballot.receipt})
        assert "Crèche" in html(lookup) and "Bus passes" in html(lookup) and "Laptops" not in html(lookup)
        other = MembershipFactory(partnership=member.partnership)
        assert "Crèche" in html(
            signed_in(other.user).get(
                url("receipt", member.partnership, round_id=voting_round.pk), {"code": ballot.receipt}
            )
        )  # a receipt shows the ballot, never who cast it
        assert member.user.display_name not in html(lookup).split("<main", 1)[1].split("</main>")[0]

    def test_a_ballot_outside_the_limits_gets_a_message(self, member: Any, voting_round: Round) -> None:
        ids = [str(p) for p in voting_round.proposals.values_list("pk", flat=True)]
        response = signed_in(member.user).post(
            url("ballot", member.partnership, round_id=voting_round.pk), {"choices": ids}
        )
        assert response.status_code == 200
        assert "Choose at most 2 projects." in html(response)
        assert not Ballot.objects.exists()

    def test_a_ballot_after_the_close_gets_a_message(self, member: Any, voting_round: Round) -> None:
        address = url("ballot", member.partnership, round_id=voting_round.pk)
        client = signed_in(member.user)
        client.get(address)
        move_to(voting_round, "results")
        response = client.post(address, {"choices": [str(present(voting_round.proposals.first()).pk)]})
        assert response.status_code == 200
        assert "Voting in this round has closed." in html(response)
        assert not Ballot.objects.exists()

    def test_an_unknown_receipt_says_so(self, member: Any, voting_round: Round) -> None:
        page = signed_in(member.user).get(
            url("receipt", member.partnership, round_id=voting_round.pk), {"code": "ZZZZZ-ZZZZZ"}
        )
        assert "No ballot in this round has that receipt." in html(page)


class TestResultsPages:
    def test_the_page_never_waits_then_explains_the_results(
        self, member: Any, voting_round: Round, django_capture_on_commit_callbacks: Any
    ) -> None:
        crèche, bus, _laptops = voting_round.proposals.order_by("cost_pence")
        services.ballot_submit(actor=member, round_=voting_round, choices={crèche.pk: 1})
        for _ in range(3):
            voter = MembershipFactory(partnership=member.partnership)
            services.ballot_submit(actor=voter, round_=voting_round, choices={bus.pk: 1})
        move_to(voting_round, "results")
        client = signed_in(member.user)
        address = url("results", member.partnership, round_id=voting_round.pk)
        pending = client.get(address)  # the task is queued on commit, which this test holds back
        assert "being worked out from 4 ballots" in html(pending)
        assert ResultSnapshot.objects.get().status == "pending"
        partial = client.get(address + "?partial=status", **HTMX)
        assert 'hx-trigger="every 3s"' in html(partial) and "<html" not in html(partial)
        services.results_compute(snapshot_id=ResultSnapshot.objects.get().pk)
        page = client.get(address)
        text = html(page)
        assert "Your share" in text
        # Add1 raised each share from £750 until nothing more fitted (£2,500 spent, £500 left): the only
        # backer of the £1,000 crèche paid for it all from a £1,000 share.
        assert "£1,000 of your £1,000 share (100%) went to projects you backed." in text
        assert "for £2,500 of the £3,000 budget" in text
        assert "Funded projects you backed" in text and "Crèche" in text
        assert "Voters with at least one funded project they backed: 100% with equal shares" in text
        assert "Backing for each project (the chart's data)" in text

    def test_a_coordinator_makes_the_awards_from_the_results(
        self, coordinator: Any, member: Any, voting_round: Round, django_capture_on_commit_callbacks: Any
    ) -> None:
        services.ballot_submit(
            actor=member, round_=voting_round, choices={present(voting_round.proposals.first()).pk: 1}
        )
        move_to(voting_round, "results")
        client = signed_in(coordinator.user)
        with django_capture_on_commit_callbacks(execute=True):
            client.get(url("results", member.partnership, round_id=voting_round.pk))
        response = client.post(url("awards-make", member.partnership, round_id=voting_round.pk), follow=True)
        assert "1 award made. It is in the ledger." in html(response)
        assert Award.objects.count() == 1
        again = client.post(url("awards-make", member.partnership, round_id=voting_round.pk), follow=True)
        assert "already been made" in html(again)
        assert Award.objects.count() == 1


class TestMorePages:
    def test_the_receipt_page_says_the_results_count_the_ballot(
        self, member: Any, voting_round: Round, django_capture_on_commit_callbacks: Any
    ) -> None:
        ballot = services.ballot_submit(
            actor=member, round_=voting_round, choices={present(voting_round.proposals.first()).pk: 1}
        )
        move_to(voting_round, "results")
        client = signed_in(member.user)
        lookup = url("receipt", member.partnership, round_id=voting_round.pk)
        assert "The results are being worked out." in html(client.get(lookup, {"code": ballot.receipt}))
        with django_capture_on_commit_callbacks(execute=True):
            client.get(url("results", member.partnership, round_id=voting_round.pk))
        assert "The published results count this ballot exactly as it is shown here." in html(
            client.get(lookup, {"code": ballot.receipt})
        )

    def test_a_payment_beyond_the_award_gets_a_message(self, coordinator: Any, member: Any) -> None:
        round_ = make_round(member.partnership, phase="delivery")
        award = Award.objects.create(
            partnership=member.partnership,
            round=round_,
            proposal=make_proposal(round_, proposer=member.user),
            amount_pence=50_000,
            holder=member.user,
        )
        client = signed_in(coordinator.user)
        refused = client.post(url("award-payment", member.partnership, award_id=award.pk), {"amount": "500.01"})
        assert refused.status_code == 200
        assert "That would pay more than the award: £500 is left to pay." in html(refused)
        assert not award.payments.exists()
        paid = client.post(url("award-payment", member.partnership, award_id=award.pk), {"amount": "200"})
        assert paid.status_code == 302
        reported = signed_in(member.user).post(
            url("award-spend", member.partnership, award_id=award.pk), {"spent": "150", "note": "Room hire"}
        )
        assert reported.status_code == 302
        page = html(signed_in(member.user).get(reported["Location"]))
        assert "£150 spent by" in page and "Room hire" in page and "£200" in page

    def test_someone_else_cannot_report_spending_on_an_award(self, member: Any) -> None:
        round_ = make_round(member.partnership, phase="delivery")
        award = Award.objects.create(
            partnership=member.partnership,
            round=round_,
            proposal=make_proposal(round_),
            amount_pence=100,
            holder=UserFactory(),
        )
        response = signed_in(member.user).post(
            url("award-spend", member.partnership, award_id=award.pk), {"spent": "1", "note": "x"}
        )
        assert response.status_code == 404
        assert not award.spend_updates.exists()

    def test_a_partner_lead_marks_their_own_pledge_received_but_not_anothers(
        self, partner_lead: Any, coordinator: Any
    ) -> None:
        mine = Contribution.objects.create(
            partnership=partner_lead.partnership,
            organisation=partner_lead.organisation,
            kind="money",
            description="Ours",
            value_pence=100,
        )
        theirs = Contribution.objects.create(
            partnership=partner_lead.partnership,
            organisation=coordinator.organisation,
            kind="money",
            description="Theirs",
            value_pence=100,
        )
        client = signed_in(partner_lead.user)
        client.post(url("contribution-received", partner_lead.partnership, contribution_id=mine.pk))
        refused = client.post(
            url("contribution-received", partner_lead.partnership, contribution_id=theirs.pk), follow=True
        )
        assert "Only your own organisation" in html(refused)
        mine.refresh_from_db()
        theirs.refresh_from_db()
        assert mine.received_at is not None and theirs.received_at is None

    def test_a_review_after_review_closes_gets_a_message(self, worker: Any) -> None:
        round_ = make_round(worker.partnership, phase="voting")
        proposal = make_proposal(round_, status="submitted")
        response = signed_in(worker.user).post(
            url("proposal-review", worker.partnership, proposal_id=proposal.pk),
            {"feasible": "yes", "cost": "100", "reason": "Fine"},
        )
        assert response.status_code == 200
        assert "Review has closed for this round." in html(response)
        proposal.refresh_from_db()
        assert proposal.status == "submitted" and not proposal.reviews.exists()

    def test_the_home_page_shows_a_round_open_for_voting(self, member: Any) -> None:
        make_round(member.partnership, phase="voting", title="Autumn round")
        page = signed_in(member.user).get(reverse("partnerships:home", kwargs={"slug": member.partnership.slug}))
        assert "Autumn round" in html(page) and "voting open until" in html(page)

    def test_a_coordinator_changes_a_round_before_voting(self, coordinator: Any) -> None:
        add_money(coordinator.partnership, 10_000)
        round_ = make_round(coordinator.partnership, phase="proposals", budget=5_000)
        client = signed_in(coordinator.user)
        form = client.get(url("round-edit", coordinator.partnership, round_id=round_.pk))
        assert 'value="5000"' in html(form)
        initial = form.context["form"].initial
        data = {**{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in initial.items()}, "budget": "6000"}
        data["within_budget"] = ""
        response = client.post(url("round-edit", coordinator.partnership, round_id=round_.pk), data)
        assert response.status_code == 302
        round_.refresh_from_db()
        assert round_.budget_pence == 600_000


def test_a_points_ballot_shares_out_the_points(member: Any) -> None:
    round_ = make_round(member.partnership, phase="voting", ballot_kind="cumulative", points=10)
    first = make_proposal(round_, title="Crèche")
    second = make_proposal(round_, title="Bus passes")
    client = signed_in(member.user)
    address = url("ballot", member.partnership, round_id=round_.pk)
    form = html(client.get(address))
    assert f'name="points_{first.pk}"' in form and "Share out 10 points" in form
    too_many = client.post(address, {f"points_{first.pk}": "8", f"points_{second.pk}": "3"})
    assert "You gave 11 points, but you have 10 to share." in html(too_many)
    assert not Ballot.objects.exists()
    not_a_number = client.post(address, {f"points_{first.pk}": "lots"})
    assert "Enter a whole number of points." in html(not_a_number)
    saved = client.post(address, {f"points_{first.pk}": "7", f"points_{second.pk}": "3"})
    assert saved.status_code == 302
    ballot = Ballot.objects.get()
    assert dict(ballot.choices.values_list("proposal_id", "points")) == {first.pk: 7, second.pk: 3}
    again = html(client.get(address))
    assert f'name="points_{first.pk}" value="7"' in again


def test_a_proposal_that_grows_out_of_an_idea_answers_it_in_public(member: Any, outsider: Any) -> None:
    from coproduce.voice import services as voice_services
    from coproduce.voice.models import Idea

    idea = voice_services.idea_create(actor=member, title="Bus passes for new starters", body="The first month.")
    elsewhere = voice_services.idea_create(actor=outsider, title="Not here", body="Another partnership.")
    round_ = make_round(member.partnership, phase="proposals")
    client = signed_in(member.user)
    address = url("proposal-new", member.partnership, round_id=round_.pk)
    form = html(client.get(address, {"idea": idea.pk}))
    assert f'<option value="{idea.pk}" selected>' in form and "Not here" not in form
    fields = {"description": "A month of bus fares.", "beneficiaries": "Parents", "cost": "900", "has_conflict": "no"}
    refused = client.post(address, {**fields, "title": "Bus passes", "idea": elsewhere.pk})
    assert "Choose an idea from the list." in html(refused)
    assert not Proposal.objects.exists()
    response = client.post(address, {**fields, "title": "Bus passes", "idea": idea.pk})
    proposal = Proposal.objects.get()
    assert proposal.idea == idea
    idea.refresh_from_db()
    assert idea.status == Idea.Status.CONSIDERING
    answer = idea.responses.get()
    assert answer.source == "fund" and answer.link_url == response["Location"]
    page = html(client.get(reverse("voice:idea", kwargs={"slug": member.partnership.slug, "idea_id": idea.pk})))
    assert "now a proposal for the pooled fund" in page and response["Location"] in page
    assert "Bus passes for new starters" in html(client.get(response["Location"]))
