"""The fund's services: the ledger, rounds, proposals and reviews, ballots and receipts, results, awards."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.models import AuditEvent
from coproduce.fund import selectors, services
from coproduce.fund.models import (
    Award,
    AwardPayment,
    Ballot,
    BallotChoice,
    Contribution,
    Proposal,
    ProposalReview,
    ResultSnapshot,
    Round,
    SpendUpdate,
)
from tests.conftest import present
from tests.factories import MembershipFactory, OrganisationFactory, staff_membership
from tests.fund.helpers import add_money, make_proposal, make_round, move_to, phase_dates

pytestmark = pytest.mark.django_db


def settings_for(budget: int, phase: str = "proposals", **overrides: Any) -> services.RoundSettings:
    values: dict[str, Any] = {
        "title": "Spring round",
        "description": "",
        "budget_pence": budget * 100,
        "ballot_kind": "approval",
        "min_choices": 1,
        "max_choices": 3,
        "within_budget": False,
        "points": 10,
        "voters": "members",
        "completion": "add1",
        **phase_dates(phase),
        **overrides,
    }
    return services.RoundSettings(**values)


# --- The ledger -------------------------------------------------------------------------------


class TestLedger:
    def test_a_partner_lead_records_their_own_organisations_contribution(self, partner_lead: Any) -> None:
        contribution = services.contribution_record(
            actor=partner_lead,
            organisation=partner_lead.organisation,
            kind="in_kind",
            description="40 hours of tutor time",
            value_pence=160_000,
        )
        assert contribution.received_at is None
        assert AuditEvent.objects.filter(action="fund.contribution_recorded").count() == 1

    def test_a_partner_lead_cannot_record_for_another_organisation(self, partner_lead: Any) -> None:
        other = OrganisationFactory(partnership=partner_lead.partnership)
        with pytest.raises(ServiceError) as refused:
            services.contribution_record(
                actor=partner_lead, organisation=other, kind="money", description="Not ours", value_pence=100
            )
        assert refused.value.code == "other_organisation"
        assert "your own organisation" in refused.value.message
        assert not Contribution.objects.exists()

    def test_a_coordinator_records_for_any_partner(self, coordinator: Any) -> None:
        other = OrganisationFactory(partnership=coordinator.partnership)
        services.contribution_record(
            actor=coordinator, organisation=other, kind="money", description="Grant", value_pence=100, received=True
        )
        assert Contribution.objects.get().organisation == other

    def test_organisations_of_another_partnership_are_refused(self, coordinator: Any, outsider: Any) -> None:
        elsewhere = OrganisationFactory(partnership=outsider.partnership)
        with pytest.raises(ServiceError):
            services.contribution_record(
                actor=coordinator, organisation=elsewhere, kind="money", description="x", value_pence=100
            )

    @pytest.mark.parametrize("role", ["member", "worker", "observer"])
    def test_only_partner_leads_and_coordinators_record_contributions(self, role: str, request: Any) -> None:
        actor = request.getfixturevalue(role)
        organisation = actor.organisation or OrganisationFactory(partnership=actor.partnership)
        with pytest.raises(NotPermitted):
            services.contribution_record(
                actor=actor, organisation=organisation, kind="money", description="x", value_pence=100
            )

    @pytest.mark.parametrize("value", [0, -5, 1.5, None])
    def test_a_value_must_be_whole_pence_above_zero(self, partner_lead: Any, value: Any) -> None:
        with pytest.raises(ServiceError) as refused:
            services.contribution_record(
                actor=partner_lead,
                organisation=partner_lead.organisation,
                kind="money",
                description="x",
                value_pence=value,
            )
        assert refused.value.field == "value"

    def test_the_database_refuses_a_zero_contribution(self, partnership: Any) -> None:
        with pytest.raises(IntegrityError), transaction.atomic():
            Contribution.objects.create(
                partnership=partnership,
                organisation=OrganisationFactory(partnership=partnership),
                kind="money",
                description="x",
                value_pence=0,
            )

    def test_balances_are_derived_from_the_rows(self, coordinator: Any) -> None:
        org = coordinator.organisation
        record = services.contribution_record
        record(actor=coordinator, organisation=org, kind="money", description="a", value_pence=1_000_000, received=True)
        pledged = record(actor=coordinator, organisation=org, kind="money", description="b", value_pence=200_000)
        record(actor=coordinator, organisation=org, kind="in_kind", description="c", value_pence=50_000, received=True)
        totals = selectors.ledger_totals(coordinator.partnership_id)
        assert totals["money_pledged"] == 1_200_000
        assert totals["money_received"] == 1_000_000
        assert totals["in_kind_pledged"] == 50_000
        assert totals["available"] == 1_000_000  # in kind is not money a round can spend
        round_ = services.round_create(actor=coordinator, settings_=settings_for(3_000))
        assert selectors.ledger_totals(coordinator.partnership_id)["available"] == 700_000
        services.contribution_mark_received(actor=coordinator, contribution=pledged)
        services.contribution_mark_received(actor=coordinator, contribution=pledged)  # twice: no change
        totals = selectors.ledger_totals(coordinator.partnership_id)
        assert totals["available"] == 900_000
        assert totals["held_by_rounds"] == round_.budget_pence
        assert AuditEvent.objects.filter(action="fund.contribution_received").count() == 1


# --- Rounds -----------------------------------------------------------------------------------


class TestRounds:
    def test_a_budget_above_what_is_available_is_refused(self, coordinator: Any) -> None:
        add_money(coordinator.partnership, 5_000)
        with pytest.raises(ServiceError) as refused:
            services.round_create(actor=coordinator, settings_=settings_for(5_001))
        assert refused.value.code == "over_available"
        assert "£5,000" in refused.value.message
        assert not Round.objects.exists()
        services.round_create(actor=coordinator, settings_=settings_for(5_000))
        with pytest.raises(ServiceError):  # the first round holds all of it
            services.round_create(actor=coordinator, settings_=settings_for(1))

    def test_changing_a_round_counts_its_own_budget_as_available(self, coordinator: Any) -> None:
        add_money(coordinator.partnership, 5_000)
        round_ = services.round_create(actor=coordinator, settings_=settings_for(4_000))
        changed = services.round_update(actor=coordinator, round_=round_, settings_=settings_for(5_000))
        assert changed.budget_pence == 500_000

    def test_phases_must_be_in_order(self, coordinator: Any) -> None:
        add_money(coordinator.partnership)
        dates = phase_dates("proposals")
        with pytest.raises(ServiceError) as refused:
            services.round_create(actor=coordinator, settings_=settings_for(100, voting_from=dates["review_from"]))
        assert refused.value.field == "voting_from"

    def test_the_database_keeps_phases_in_order(self, partnership: Any) -> None:
        dates = phase_dates("voting")
        dates["results_from"] = dates["voting_from"]
        with pytest.raises(IntegrityError), transaction.atomic():
            Round.objects.create(partnership=partnership, title="x", budget_pence=1, **dates)

    def test_settings_are_fixed_once_voting_starts(self, coordinator: Any) -> None:
        add_money(coordinator.partnership)
        round_ = make_round(coordinator.partnership, phase="voting")
        with pytest.raises(ServiceError) as refused:
            services.round_update(actor=coordinator, round_=round_, settings_=settings_for(100))
        assert refused.value.code == "voting_started"

    @pytest.mark.parametrize("role", ["member", "worker", "partner_lead", "observer"])
    def test_only_coordinators_set_up_rounds(self, role: str, request: Any) -> None:
        actor = request.getfixturevalue(role)
        add_money(actor.partnership)
        with pytest.raises(NotPermitted):
            services.round_create(actor=actor, settings_=settings_for(100))


# --- Proposals --------------------------------------------------------------------------------


def propose(actor: Any, round_: Round, cost: int = 1_000, **overrides: Any) -> Proposal:
    values: dict[str, Any] = {
        "title": "Crèche at the job fair",
        "description": "A room with **toys**.",
        "beneficiaries": "Parents of toddlers",
        "cost_pence": cost * 100,
        "has_conflict": False,
        **overrides,
    }
    return services.proposal_create(actor=actor, round_=round_, **values)


class TestProposals:
    def test_anyone_taking_part_proposes_and_declares_an_interest(self, member: Any, worker: Any) -> None:
        round_ = make_round(member.partnership, phase="proposals")
        proposal = propose(member, round_)
        assert proposal.status == "submitted"
        assert "<strong>toys</strong>" in proposal.description_html
        staff_idea = propose(worker, round_, has_conflict=True, conflict_details="I would run it.")
        assert staff_idea.has_conflict and staff_idea.conflict_details == "I would run it."

    def test_a_declared_conflict_needs_words(self, member: Any) -> None:
        round_ = make_round(member.partnership, phase="proposals")
        with pytest.raises(ServiceError) as refused:
            propose(member, round_, has_conflict=True, conflict_details="  ")
        assert refused.value.field == "conflict_details"

    def test_a_cost_above_the_budget_is_refused(self, member: Any) -> None:
        round_ = make_round(member.partnership, phase="proposals", budget=5_000)
        with pytest.raises(ServiceError) as refused:
            propose(member, round_, cost=5_001)
        assert refused.value.code == "over_budget"
        assert "£5,000" in refused.value.message
        assert not Proposal.objects.exists()

    def test_observers_do_not_propose(self, observer: Any) -> None:
        round_ = make_round(observer.partnership, phase="proposals")
        with pytest.raises(NotPermitted):
            propose(observer, round_)

    def test_no_proposals_outside_the_proposals_phase(self, member: Any) -> None:
        round_ = make_round(member.partnership, phase="review")
        with pytest.raises(ServiceError) as refused:
            propose(member, round_)
        assert refused.value.code == "closed"

    def test_the_proposer_revises_until_review_closes_then_is_refused(self, member: Any) -> None:
        round_ = make_round(member.partnership, phase="proposals")
        proposal = propose(member, round_)
        move_to(round_, "review")
        kwargs: dict[str, Any] = {"description": "New text", "beneficiaries": "Parents", "has_conflict": False}
        changed = services.proposal_update(actor=member, proposal=proposal, title="Better", cost_pence=900, **kwargs)
        assert changed.title == "Better" and changed.cost_pence == 900
        move_to(round_, "voting")
        with pytest.raises(ServiceError) as refused:
            services.proposal_update(actor=member, proposal=proposal, title="Too late", cost_pence=900, **kwargs)
        assert refused.value.code == "review_closed"
        proposal.refresh_from_db()
        assert proposal.title == "Better"

    def test_only_the_proposer_revises(self, member: Any) -> None:
        round_ = make_round(member.partnership, phase="proposals")
        proposal = propose(member, round_)
        other = MembershipFactory(partnership=member.partnership)
        with pytest.raises(NotPermitted):
            services.proposal_update(
                actor=other,
                proposal=proposal,
                title="Mine now",
                description="x",
                beneficiaries="x",
                cost_pence=100,
                has_conflict=False,
            )

    def test_staff_review_in_public_and_a_feasible_proposal_goes_on_the_ballot(self, member: Any, worker: Any) -> None:
        round_ = make_round(member.partnership, phase="proposals")
        proposal = propose(member, round_, cost=1_000)
        move_to(round_, "review")
        services.proposal_review(actor=worker, proposal=proposal, feasible=True, cost_pence=120_000, reason="Quote.")
        proposal.refresh_from_db()
        assert proposal.status == "on_ballot"
        assert proposal.cost_pence == 120_000 and proposal.proposed_cost_pence == 100_000
        assert ProposalReview.objects.get().reason == "Quote."
        from coproduce.notifications.models import Notice

        told = Notice.objects.get(user=member.user)
        assert (told.kind, told.subject_key) == ("fund.proposal_reviewed", f"fund.proposal:{proposal.pk}")
        assert "is on the ballot, at £1,200" in told.text and told.url.endswith(f"/proposals/{proposal.pk}/")

    def test_a_review_needs_a_reason_and_a_cost_within_the_budget(self, member: Any, worker: Any) -> None:
        round_ = make_round(member.partnership, phase="review", budget=2_000)
        proposal = make_proposal(round_, status="submitted")
        with pytest.raises(ServiceError) as no_reason:
            services.proposal_review(actor=worker, proposal=proposal, feasible=True, cost_pence=100, reason=" ")
        assert no_reason.value.field == "reason"
        with pytest.raises(ServiceError) as too_dear:
            services.proposal_review(actor=worker, proposal=proposal, feasible=True, cost_pence=200_001, reason="x")
        assert too_dear.value.code == "over_budget"
        assert not ProposalReview.objects.exists()

    def test_members_do_not_review_and_nobody_reviews_their_own(self, member: Any, worker: Any) -> None:
        round_ = make_round(member.partnership, phase="review")
        with pytest.raises(NotPermitted):
            services.proposal_review(
                actor=member, proposal=make_proposal(round_), feasible=True, cost_pence=100, reason="x"
            )
        own = make_proposal(round_, proposer=worker.user)
        with pytest.raises(ServiceError):
            services.proposal_review(actor=worker, proposal=own, feasible=True, cost_pence=100, reason="x")


# --- Ballots ----------------------------------------------------------------------------------


@pytest.fixture
def voting_round(partnership: Any) -> Round:
    round_ = make_round(partnership, phase="voting", budget=3_000, min_choices=1, max_choices=2)
    for cost in (1_000, 1_500, 2_000):
        make_proposal(round_, cost=cost)
    make_proposal(round_, cost=500, status="not_feasible", title="Not on the ballot")
    return round_


def on_ballot(round_: Round) -> list[int]:
    return list(round_.proposals.filter(status="on_ballot").order_by("cost_pence").values_list("pk", flat=True))


class TestBallots:
    def test_a_member_votes_and_gets_a_receipt_derived_from_the_ballot(self, member: Any, voting_round: Round) -> None:
        a, b, _c = on_ballot(voting_round)
        ballot = services.ballot_submit(actor=member, round_=voting_round, choices={a: 1, b: 1})
        assert len(ballot.receipt) == 11 and ballot.receipt[5] == "-"
        assert sorted(ballot.choices.values_list("proposal_id", flat=True)) == [a, b]
        assert selectors.ballot_by_receipt(voting_round, ballot.receipt.lower().replace("-", "")) == ballot

    def test_sending_the_same_ballot_again_changes_nothing(self, member: Any, voting_round: Round) -> None:
        a, b, _c = on_ballot(voting_round)
        first = services.ballot_submit(actor=member, round_=voting_round, choices={a: 1, b: 1})
        again = services.ballot_submit(actor=member, round_=voting_round, choices={b: 1, a: 1})
        assert again.pk == first.pk and again.receipt == first.receipt and again.version == 1
        assert Ballot.objects.count() == 1 and BallotChoice.objects.count() == 2

    def test_a_changed_ballot_replaces_the_old_one_with_a_new_receipt(self, member: Any, voting_round: Round) -> None:
        a, b, c = on_ballot(voting_round)
        first = services.ballot_submit(actor=member, round_=voting_round, choices={a: 1})
        second = services.ballot_submit(actor=member, round_=voting_round, choices={b: 1, c: 1})
        assert second.pk == first.pk and second.version == 2 and second.receipt != first.receipt
        assert sorted(second.choices.values_list("proposal_id", flat=True)) == [b, c]
        assert selectors.ballot_by_receipt(voting_round, first.receipt) is None

    def test_two_voters_with_the_same_choices_get_different_receipts(self, member: Any, voting_round: Round) -> None:
        a, *_ = on_ballot(voting_round)
        other = MembershipFactory(partnership=member.partnership)
        one = services.ballot_submit(actor=member, round_=voting_round, choices={a: 1})
        two = services.ballot_submit(actor=other, round_=voting_round, choices={a: 1})
        assert one.receipt != two.receipt

    @pytest.mark.parametrize(
        ("pick", "code"),
        [([], "empty"), ([0, 1, 2], "too_many"), ("not-on-ballot", "unknown")],
    )
    def test_a_ballot_outside_the_limits_is_refused(
        self, member: Any, voting_round: Round, pick: Any, code: str
    ) -> None:
        ids = on_ballot(voting_round)
        if pick == "not-on-ballot":
            choices = {voting_round.proposals.get(status="not_feasible").pk: 1}
        else:
            choices = {ids[i]: 1 for i in pick}
        with pytest.raises(ServiceError) as refused:
            services.ballot_submit(actor=member, round_=voting_round, choices=choices)
        assert refused.value.code == code
        assert not Ballot.objects.exists()

    def test_too_few_choices_are_refused(self, member: Any, voting_round: Round) -> None:
        Round.objects.filter(pk=voting_round.pk).update(min_choices=2)
        voting_round.refresh_from_db()
        with pytest.raises(ServiceError) as refused:
            services.ballot_submit(actor=member, round_=voting_round, choices={on_ballot(voting_round)[0]: 1})
        assert refused.value.code == "too_few"

    def test_within_the_budget_when_the_round_asks_for_it(self, member: Any, voting_round: Round) -> None:
        Round.objects.filter(pk=voting_round.pk).update(within_budget=True)
        voting_round.refresh_from_db()
        _a, b, c = on_ballot(voting_round)
        with pytest.raises(ServiceError) as refused:
            services.ballot_submit(actor=member, round_=voting_round, choices={b: 1, c: 1})  # £3,500 > £3,000
        assert refused.value.code == "over_budget"
        assert "£3,500" in refused.value.message

    def test_cumulative_ballots_share_the_points(self, member: Any, partnership: Any) -> None:
        round_ = make_round(partnership, phase="voting", ballot_kind="cumulative", points=10)
        a = make_proposal(round_).pk
        b = make_proposal(round_).pk
        ballot = services.ballot_submit(actor=member, round_=round_, choices={a: 7, b: 3})
        assert ballot.total_points == 10
        with pytest.raises(ServiceError) as refused:
            services.ballot_submit(actor=member, round_=round_, choices={a: 8, b: 3})
        assert refused.value.code == "too_many_points"
        assert dict(ballot.choices.values_list("proposal_id", "points")) == {a: 7, b: 3}

    def test_a_ballot_after_the_close_is_refused(self, member: Any, voting_round: Round) -> None:
        a, *_ = on_ballot(voting_round)
        services.ballot_submit(actor=member, round_=voting_round, choices={a: 1})
        move_to(voting_round, "results")
        with pytest.raises(ServiceError) as refused:
            services.ballot_submit(actor=member, round_=voting_round, choices={on_ballot(voting_round)[1]: 1})
        assert refused.value.code == "closed"
        assert list(Ballot.objects.get().choices.values_list("proposal_id", flat=True)) == [a]

    def test_who_votes_is_set_per_round(self, member: Any, worker: Any, observer: Any, voting_round: Round) -> None:
        a, *_ = on_ballot(voting_round)
        with pytest.raises(NotPermitted):
            services.ballot_submit(actor=worker, round_=voting_round, choices={a: 1})
        with pytest.raises(NotPermitted):
            services.ballot_submit(actor=observer, round_=voting_round, choices={a: 1})
        Round.objects.filter(pk=voting_round.pk).update(voters="members_and_staff")
        voting_round.refresh_from_db()
        services.ballot_submit(actor=worker, round_=voting_round, choices={a: 1})
        with pytest.raises(NotPermitted):
            services.ballot_submit(actor=observer, round_=voting_round, choices={a: 1})

    def test_the_database_allows_one_ballot_per_voter(self, member: Any, voting_round: Round) -> None:
        Ballot.objects.create(round=voting_round, voter=member.user, receipt="AAAAA-AAAAA", total_points=1)
        with pytest.raises(IntegrityError), transaction.atomic():
            Ballot.objects.create(round=voting_round, voter=member.user, receipt="BBBBB-BBBBB", total_points=1)


# --- Results and awards -----------------------------------------------------------------------


def vote(partnership: Any, round_: Round, ballots: list[list[int]]) -> list[Any]:
    voters = []
    for choices in ballots:
        voter = MembershipFactory(partnership=partnership)
        services.ballot_submit(actor=voter, round_=round_, choices=dict.fromkeys(choices, 1))
        voters.append(voter)
    return voters


class TestResults:
    def test_results_are_worked_out_in_the_background_and_explain_themselves(
        self, partnership: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        # A majority of 3 backs two big projects; a minority of 2 backs a small one. Greedy gives the
        # whole £2,000 to the majority; equal shares funds the minority's project too.
        round_ = make_round(partnership, phase="voting", budget=2_000, max_choices=3)
        big1 = make_proposal(round_, cost=1_000, title="Big one").pk
        big2 = make_proposal(round_, cost=1_000, title="Big two").pk
        small = make_proposal(round_, cost=800, title="Small").pk
        voters = vote(partnership, round_, [[big1, big2]] * 3 + [[small]] * 2)
        assert services.results_request(round_=round_) is None  # still voting
        move_to(round_, "results")
        with django_capture_on_commit_callbacks(execute=True):
            pending = services.results_request(round_=round_)
        assert pending is not None
        snapshot = ResultSnapshot.objects.get()
        assert snapshot.status == "ready" and snapshot.ballot_count == 5
        data = snapshot.data
        assert set(data["greedy"]["selected"]) == {str(big1), str(big2)}
        assert str(small) in data["mes"]["selected"]
        assert data["mes"]["cost_pence"] <= round_.budget_pence
        assert data["covered"]["mes"] == 1.0 and data["covered"]["greedy"] == pytest.approx(0.6)
        minority_ballot = Ballot.objects.get(voter=voters[-1].user)
        assert data["shares"][str(minority_ballot.pk)] == pytest.approx(1.0)
        assert set(data["unfunded"]) == set(data["projects"]) - set(data["mes"]["selected"])
        # Asking again for the same ballots does not work them out twice.
        assert present(services.results_request(round_=round_)).pk == snapshot.pk
        assert ResultSnapshot.objects.count() == 1

    def test_awards_are_made_once_from_the_results_and_release_the_rest(
        self, coordinator: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        partnership = coordinator.partnership
        add_money(partnership, 10_000)
        round_ = services.round_create(actor=coordinator, settings_=settings_for(3_000, phase="voting"))
        a = make_proposal(round_, cost=1_000).pk
        b = make_proposal(round_, cost=2_500).pk
        vote(partnership, round_, [[a]] * 3 + [[b]])
        assert selectors.ledger_totals(partnership.pk)["available"] == 700_000
        with pytest.raises(ServiceError):  # not before results
            services.awards_make(actor=coordinator, round_=round_)
        move_to(round_, "results")
        with django_capture_on_commit_callbacks(execute=True):
            services.results_request(round_=round_)
        awards = services.awards_make(actor=coordinator, round_=round_)
        funded = ResultSnapshot.objects.get().data["mes"]["selected"]
        assert sorted(str(award.proposal_id) for award in awards) == sorted(funded)
        totals = selectors.ledger_totals(partnership.pk)
        assert totals["awarded"] == sum(award.amount_pence for award in awards)
        assert totals["available"] == 1_000_000 - totals["awarded"]
        with pytest.raises(ServiceError):
            services.awards_make(actor=coordinator, round_=round_)
        assert Award.objects.count() == len(awards)

    def test_payments_never_exceed_the_award_and_holders_report_spending(self, coordinator: Any, member: Any) -> None:
        round_ = make_round(coordinator.partnership, phase="delivery")
        proposal = make_proposal(round_, cost=1_000, proposer=member.user)
        award = Award.objects.create(
            partnership=coordinator.partnership,
            round=round_,
            proposal=proposal,
            amount_pence=100_000,
            holder=member.user,
        )
        services.payment_record(actor=coordinator, award=award, amount_pence=60_000)
        with pytest.raises(ServiceError) as refused:
            services.payment_record(actor=coordinator, award=award, amount_pence=40_001)
        assert refused.value.code == "over_award" and "£400" in refused.value.message
        assert AwardPayment.objects.count() == 1
        services.spend_report(actor=member, award=award, spent_to_date_pence=30_000, note="Booked the room.")
        other = MembershipFactory(partnership=member.partnership)
        with pytest.raises(NotPermitted):
            services.spend_report(actor=other, award=award, spent_to_date_pence=1, note="Not mine")
        with pytest.raises(NotPermitted):
            services.payment_record(actor=member, award=award, amount_pence=1)
        assert SpendUpdate.objects.get().author == member.user


def test_staff_of_the_delivering_organisation_report_spending(partnership: Any) -> None:
    lead = staff_membership(partnership, role="partner_lead")
    round_ = make_round(partnership, phase="delivery")
    proposal = make_proposal(round_, delivered_by=lead.organisation)
    award = Award.objects.create(
        partnership=partnership, round=round_, proposal=proposal, amount_pence=1, organisation=lead.organisation
    )
    services.spend_report(actor=lead, award=award, spent_to_date_pence=0, note="Starting next week.")
    assert SpendUpdate.objects.count() == 1


def test_a_failed_computation_is_shown_and_tried_again_later(
    partnership: Any, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import timedelta

    from coproduce.fund import results

    round_ = make_round(partnership, phase="voting")
    a = make_proposal(round_).pk
    services.ballot_submit(actor=MembershipFactory(partnership=partnership), round_=round_, choices={a: 1})
    move_to(round_, "results")

    def broken(*args: Any) -> Any:
        raise RuntimeError("the method failed")

    monkeypatch.setattr(results, "compute", broken)
    with django_capture_on_commit_callbacks(execute=True):
        services.results_request(round_=round_)
    snapshot = ResultSnapshot.objects.get()
    assert snapshot.status == "failed"
    with django_capture_on_commit_callbacks(execute=True):
        assert present(services.results_request(round_=round_)).status == "failed"  # not again at once
    monkeypatch.undo()
    ResultSnapshot.objects.filter(pk=snapshot.pk).update(
        computed_at=present(snapshot.computed_at) - timedelta(minutes=6)
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.results_request(round_=round_)
    assert ResultSnapshot.objects.get().status == "ready"
    assert ResultSnapshot.objects.count() == 1


def test_an_imported_round_makes_no_awards(coordinator: Any, django_capture_on_commit_callbacks: Any) -> None:
    round_ = make_round(coordinator.partnership, phase="results", imported_from="x.pb")
    make_proposal(round_)
    with django_capture_on_commit_callbacks(execute=True):
        services.results_request(round_=round_)
    with pytest.raises(ServiceError) as refused:
        services.awards_make(actor=coordinator, round_=round_)
    assert refused.value.code == "imported"
    assert not Award.objects.exists()
