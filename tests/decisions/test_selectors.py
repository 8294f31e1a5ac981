"""What people see of decisions, My data, leaving and erasure, and the commitments board's source."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from coproduce.core.exceptions import NotPermitted
from coproduce.decisions import selectors, services
from coproduce.decisions.commitments import outcome_commitments, waiting_for_outcome
from coproduce.decisions.departure import erase, leave
from coproduce.decisions.models import Decision, DecisionComment, Participation
from coproduce.decisions.personal_data import decisions_export
from coproduce.methods.blt import parse_blt
from coproduce.methods.decide import DecisionResult
from tests.decisions.conftest import option_ids, raise_decision
from tests.factories import MembershipFactory


def test_everyone_in_the_partnership_sees_its_decisions_and_no_one_else(
    worker: Any, member: Any, observer: Any, outsider: Any, consent: Decision
) -> None:
    services.answer_give(actor=member, decision=consent, position="agree")
    listed = selectors.decisions_visible_to(member)
    assert [d.pk for d in listed] == [consent.pk]
    assert listed[0].answer_count == 1 and listed[0].answered == 1  # type: ignore[attr-defined]
    assert selectors.decisions_visible_to(observer).get().answered == 0  # type: ignore[attr-defined]
    assert not selectors.decisions_visible_to(outsider).exists()
    assert selectors.decision_for(observer, consent.pk) == consent
    with pytest.raises(NotPermitted):
        selectors.decision_for(outsider, consent.pk)
    for read in (selectors.answer_of, selectors.versions_of, selectors.comments_of, selectors.answers_listed):
        with pytest.raises(NotPermitted):
            read(outsider, consent)


def test_status_narrows_the_list(worker: Any, consent: Decision) -> None:
    later = raise_decision(worker)
    services.decision_close(actor=worker, decision=consent)
    assert [d.pk for d in selectors.decisions_visible_to(worker, status="open")] == [later.pk]
    assert [d.pk for d in selectors.decisions_visible_to(worker, status="closed")] == [consent.pk]


def test_answers_are_named_only_when_the_decision_is_not_anonymous(worker: Any, member: Any) -> None:
    named = raise_decision(worker)
    hidden = raise_decision(worker, anonymous=True)
    for decision in (named, hidden):
        services.answer_give(actor=member, decision=decision, position="block", reason="Volunteers only.")
    [line] = selectors.answers_listed(worker, named)
    assert line.name == member.user.display_name and line.reason == "Volunteers only." and line.group == "member"
    [line] = selectors.answers_listed(worker, hidden)
    assert line.name is None and line.reason == "Volunteers only." and line.position == "block"


def test_my_own_answer_with_its_values_and_an_earlier_version_marked(worker: Any, member: Any) -> None:
    decision = raise_decision(worker, "score")
    park, _library, _cafe = option_ids(decision)
    services.answer_give(actor=member, decision=decision, values={park: 3})
    answer = selectors.answer_of(member, decision)
    assert answer is not None and answer.values_by_option == {park: 3}  # type: ignore[attr-defined]
    assert selectors.answer_of(worker, decision) is None
    services.decision_amend(
        actor=worker, decision=decision, title="T", background="", options=["Park", "Library"], change_note="No cafe"
    )
    decision.refresh_from_db()
    assert [v.number for v in selectors.versions_of(member, decision)] == [1, 2]
    assert [o.label for o in selectors.options_of(decision)] == ["Park", "Library"]
    assert len(selectors.options_of(decision, with_withdrawn=True)) == 3


def test_turnout_counts_members_and_staff_side_by_side(worker: Any, member: Any, partnership: Any) -> None:
    decision = raise_decision(worker)
    MembershipFactory(partnership=partnership, is_member=True)
    services.answer_give(actor=member, decision=decision, position="agree")
    services.answer_give(actor=worker, decision=decision, position="agree")
    seen = selectors.turnout(member, decision)
    assert (seen.members_eligible, seen.members_answered, seen.staff_eligible, seen.staff_answered) == (2, 1, 1, 1)


def test_a_hidden_comment_keeps_its_place_but_only_coordinators_get_its_words(
    member: Any, coordinator: Any, consent: Decision
) -> None:
    kept = services.comment_add(actor=member, decision=consent, body="Mornings?")
    hidden = services.comment_add(actor=member, decision=consent, body="Rude words")
    services.comment_hide(actor=coordinator, comment=hidden)
    seen = selectors.comments_of(member, consent)
    assert seen == [kept, hidden]
    assert [(c.body, c.body_html != "") for c in seen] == [("Mornings?", True), ("", False)]
    seen = selectors.comments_of(coordinator, consent)
    assert seen == [kept, hidden]
    assert [c.body for c in seen] == ["Mornings?", "Rude words"]
    assert selectors.comment_for(coordinator, hidden.pk) == hidden


def test_the_result_is_read_from_what_was_stored(
    worker: Any, member: Any, consent: Decision, django_capture_on_commit_callbacks: Any
) -> None:
    services.answer_give(actor=member, decision=consent, position="agree")
    assert selectors.decision_result(member, consent) is None
    with django_capture_on_commit_callbacks(execute=False):
        services.decision_close(actor=worker, decision=consent)
    consent.refresh_from_db()
    assert consent.result_status == "pending" and selectors.decision_result(member, consent) is None
    services.decision_count(consent.pk)
    consent.refresh_from_db()
    result = selectors.decision_result(member, consent)
    assert isinstance(result, DecisionResult) and result.passed


def test_a_ranked_decision_exports_as_blt_after_closing(worker: Any, member: Any, partnership: Any) -> None:
    decision = raise_decision(worker, "stv")
    a, b, c, _d = option_ids(decision)
    services.answer_give(actor=member, decision=decision, values={b: 1, a: 2})
    services.answer_give(actor=worker, decision=decision, values={b: 1, a: 2})
    other = MembershipFactory(partnership=partnership, is_member=True)
    services.answer_give(actor=other, decision=decision, values={c: 1})
    with pytest.raises(NotPermitted):
        selectors.decision_export_blt(member, decision)  # still open
    services.decision_close(actor=worker, decision=decision)
    decision.refresh_from_db()
    election = parse_blt(selectors.decision_export_blt(member, decision))
    assert election.candidates == ("Aisha", "Ben", "Cara", "Dev") and election.seats == 2
    assert sorted((b.weight, b.ranking) for b in election.ballots) == [(1, (3,)), (2, (2, 1))]


# --- My data, leaving and erasure ---------------------------------------------------------------------


def test_my_data_holds_my_own_answers_even_when_anonymous(worker: Any, member: Any) -> None:
    decision = raise_decision(worker, "yes_no", anonymous=True)
    services.answer_give(actor=member, decision=decision, position="no")
    services.comment_add(actor=member, decision=decision, body="Not Saturdays.")
    mine = decisions_export(member)
    assert [a["answer"] for a in mine["answers"]] == ["No"] and mine["comments"][0]["comment"] == "Not Saturdays."
    assert decisions_export(worker)["answers"] == [] and len(decisions_export(worker)["proposals"]) == 1


def test_erasure_keeps_the_count_but_not_the_person_or_her_reason(
    worker: Any, member: Any, django_capture_on_commit_callbacks: Any
) -> None:
    decision = raise_decision(worker)
    services.answer_give(actor=member, decision=decision, position="disagree", reason="My own words")
    services.comment_add(actor=member, decision=decision, body="A comment")
    erase(member)
    answer = Participation.objects.get()
    assert answer.user is None and answer.reason == "" and answer.reason_erased and answer.position == "disagree"
    assert DecisionComment.objects.get().author is None
    with django_capture_on_commit_callbacks(execute=True):
        services.decision_close(actor=worker, decision=decision)
    decision.refresh_from_db()
    assert decision.result is not None and decision.result["groups"]["members"]["positions"]["disagree"] == 1


def test_erasing_a_proposer_takes_her_name_off_and_leaving_keeps_reasons(worker: Any, member: Any) -> None:
    decision = raise_decision(worker)
    services.answer_give(actor=member, decision=decision, position="block", reason="Because")
    leave(member)
    assert Participation.objects.get().reason == "Because" and Participation.objects.get().user is None
    erase(worker)
    decision.refresh_from_db()
    assert decision.proposer is None and decision.proposer_name == ""


# --- The commitments board and the attention list -----------------------------------------------------


def test_outcomes_are_commitments_and_passed_decisions_without_one_wait(
    worker: Any, member: Any, coordinator: Any, outsider: Any, django_capture_on_commit_callbacks: Any
) -> None:
    decision = raise_decision(worker)
    services.answer_give(actor=member, decision=decision, position="agree")
    with django_capture_on_commit_callbacks(execute=True):
        services.decision_close(actor=worker, decision=decision)
    decision.refresh_from_db()
    assert waiting_for_outcome(coordinator) == 1 and waiting_for_outcome(outsider) == 0
    due = timezone.localdate() + timedelta(days=10)
    services.outcome_record(
        actor=worker,
        decision=decision,
        statement="Open on Saturdays.\nMore words.",
        owner_membership_id=member.pk,
        due_on=due,
        review_on=due + timedelta(days=90),
    )
    assert waiting_for_outcome(coordinator) == 0
    [item] = outcome_commitments(coordinator)
    assert item.source == "decisions.outcome" and item.what == "Open on Saturdays."
    assert item.owner == member.user.display_name and item.due_on == due and not item.done
    assert item.url.endswith(f"/decisions/{decision.pk}/")
    assert outcome_commitments(outsider) == []


def test_retention_unties_answers_to_decisions_closed_before_the_cut_off(
    worker: Any, member: Any, partnership: Any
) -> None:
    from coproduce.decisions.retention import purge_answers

    old, recent = raise_decision(worker), raise_decision(worker)
    for decision in (old, recent):
        services.answer_give(actor=member, decision=decision, position="disagree", reason="Mine")
        services.decision_close(actor=worker, decision=decision)
    Decision.objects.filter(pk=old.pk).update(closed_at=timezone.now() - timedelta(days=400))
    cut_off = timezone.now() - timedelta(days=365)
    assert purge_answers(partnership, cut_off, True) == 1
    assert Participation.objects.filter(user__isnull=False).count() == 2  # a dry run changes nothing
    assert purge_answers(partnership, cut_off, False) == 1
    purged = Participation.objects.get(decision=old)
    assert purged.user is None and purged.reason == "" and purged.position == "disagree"
    assert Participation.objects.get(decision=recent).user == member.user
    assert purge_answers(partnership, cut_off, False) == 0
