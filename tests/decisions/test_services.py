"""Decisions' services: raising, answering, amending, closing, counting, outcomes, discussion, ballot files,
and bad input refused with nothing half-saved."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from coproduce.core.audit import AuditEvent
from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.decisions import services
from coproduce.decisions.models import (
    Decision,
    DecisionComment,
    DecisionOption,
    DecisionVersion,
    OptionValue,
    Outcome,
    Participation,
)
from coproduce.methods.decide import DecisionResult
from coproduce.notifications.models import Notice
from tests.decisions.conftest import LABELS, option_ids, raise_decision
from tests.factories import MembershipFactory, staff_membership

METHODS = ["consent", "yes_no", "score", "dot", "time_poll", "ranked_irv", "ranked_schulze", "stv"]


def close_and_count(actor: Any, decision: Decision, capture: Any) -> Decision:
    with capture(execute=True):
        services.decision_close(actor=actor, decision=decision)
    decision.refresh_from_db()
    return decision


def nothing_saved() -> None:
    assert not Decision.objects.exists()
    assert not DecisionOption.objects.exists()
    assert not DecisionVersion.objects.exists()


# --- Raising ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_every_method_is_raised_with_its_first_version_and_options(worker: Any, member: Any, method: str) -> None:
    decision = raise_decision(worker, method)
    assert decision.status == "open" and decision.version == 1 and decision.proposer == worker.user
    assert "<strong>weekend</strong>" in decision.background_html
    version = decision.versions.get()
    assert version.number == 1 and version.title == decision.title
    expected = 3 if method == "time_poll" else len(LABELS.get(method, []))
    assert decision.options.count() == expected == len(version.options)
    # Everyone who may answer is told, except the proposer.
    told = set(Notice.objects.filter(kind="decisions.raised").values_list("user_id", flat=True))
    assert told == {member.user_id}
    assert AuditEvent.objects.filter(action="decisions.raised").count() == 1


@pytest.mark.parametrize(
    ("method", "overrides", "field"),
    [
        ("consent", {"title": "  "}, "title"),
        ("consent", {"kind": "whim"}, "kind"),
        ("lottery", {}, "method"),
        ("consent", {"participants": "friends"}, "participants"),
        ("consent", {"closes_at": timezone.now() - timedelta(hours=1)}, "closes_at"),
        ("consent", {"closes_at": timezone.now() + timedelta(days=800)}, "closes_at"),
        ("consent", {"options": ["A", "B"]}, "options"),
        ("yes_no", {"threshold_percent": None}, "threshold_percent"),
        ("yes_no", {"threshold_percent": 40}, "threshold_percent"),
        ("yes_no", {"double_majority": True, "participants": "staff"}, "double_majority"),
        ("consent", {"double_majority": True}, "double_majority"),
        ("score", {"max_score": None}, "max_score"),
        ("score", {"options": ["Only one"]}, "options"),
        ("score", {"options": ["Park", "park"]}, "options"),
        ("dot", {"dots": 0}, "dots"),
        ("stv", {"seats": None}, "seats"),
        ("stv", {"seats": 5}, "options"),  # fewer candidates than seats
        ("consent", {"quorum_members_percent": 120}, "quorum_members_percent"),
        ("consent", {"participants": "group"}, "participants"),
    ],
)
def test_bad_settings_are_refused_and_nothing_is_saved(worker: Any, method: str, overrides: dict, field: str) -> None:
    with pytest.raises(ServiceError) as error:
        raise_decision(worker, method, **overrides)
    assert error.value.field == field and error.value.message
    nothing_saved()


def test_time_poll_times_must_end_after_they_start(worker: Any) -> None:
    start = timezone.now() + timedelta(days=2)
    with pytest.raises(ServiceError) as error:
        raise_decision(worker, "time_poll", options=[(start, start), (start, start + timedelta(hours=1))])
    assert error.value.field == "options"
    nothing_saved()


def test_elections_and_polls_follow_no_partnership_rule(worker: Any, partnership: Any) -> None:
    set_rule(partnership, method="consent", participants="staff", quorum_percent=0).__class__.objects.update(
        kind="everyday"
    )
    with pytest.raises(ServiceError):
        raise_decision(worker, "stv", kind="everyday", participants="members")
    decision = raise_decision(worker, "stv", kind="poll", participants="members")
    assert decision.method == "stv" and decision.participants == "members"


def test_observers_and_outsiders_cannot_raise(observer: Any, outsider: Any) -> None:
    for actor in (observer, None):
        with pytest.raises(NotPermitted):
            raise_decision(actor)
    nothing_saved()


def set_rule(partnership: Any, **fields: Any) -> Any:
    from coproduce.governance.models import DecisionRule

    return DecisionRule.objects.create(partnership=partnership, kind="fund", **fields)


def test_the_partnerships_rule_fills_the_threshold_quorum_and_double_majority(worker: Any, partnership: Any) -> None:
    set_rule(
        partnership,
        method="yes_no",
        threshold_percent=60,
        quorum_percent=25,
        participants="everyone",
        double_majority=True,
    )
    decision = raise_decision(worker, "yes_no", kind="fund", threshold_percent=None)
    assert decision.threshold_percent == 60 and decision.double_majority
    assert decision.quorum_members_percent == 25 and decision.quorum_staff_percent == 25


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"method": "consent", "threshold_percent": None}, "method"),
        ({"threshold_percent": 55}, "threshold_percent"),
        ({"participants": "staff"}, "participants"),
        ({"quorum_staff_percent": 10}, "quorum_staff_percent"),
    ],
)
def test_a_request_to_weaken_the_rule_is_refused(worker: Any, partnership: Any, overrides: dict, field: str) -> None:
    set_rule(partnership, method="yes_no", threshold_percent=60, quorum_percent=25, participants="everyone")
    values = {"kind": "fund", "threshold_percent": None, **overrides}
    method = values.pop("method", "yes_no")
    with pytest.raises(ServiceError) as error:
        raise_decision(worker, method, **values)
    assert error.value.field == field
    nothing_saved()


def test_when_a_group_decides_only_its_seated_people_raise_and_answer(
    partnership: Any, worker: Any, member: Any
) -> None:
    from coproduce.governance.models import Group, Seat, SeatHolding

    group = Group.objects.create(partnership=partnership, name="Board")
    seat = Seat.objects.create(partnership=partnership, group=group, title="Parent seat", kind="member")
    SeatHolding.objects.create(seat=seat, membership=member, term_starts_on=timezone.localdate())
    set_rule(partnership, method="consent", participants="group", group=group)
    with pytest.raises(ServiceError) as error:
        raise_decision(worker, kind="fund", participants="group")
    assert error.value.code == "not_eligible"
    decision = raise_decision(member, kind="fund", participants="group")
    assert decision.governance_group_id == group.pk
    services.answer_give(actor=member, decision=decision, position="agree")
    with pytest.raises(NotPermitted):
        services.answer_give(actor=worker, decision=decision, position="agree")


# --- Answering -----------------------------------------------------------------------------------------


def answer_for(method: str, ids: list[int]) -> dict[str, Any]:
    ids = [*ids, 0, 0, 0, 0]  # (consent and yes/no have no options)
    answers: dict[str, dict[str, Any]] = {
        "consent": {"position": "agree"},
        "yes_no": {"position": "yes"},
        "score": {"values": {ids[0]: 5, ids[1]: 2}},
        "dot": {"values": {ids[0]: 3, ids[2]: 2}},
        "time_poll": {"values": {ids[0]: 2, ids[1]: 1}},
        "ranked_irv": {"values": {ids[1]: 1, ids[0]: 2}},
        "ranked_schulze": {"values": {ids[1]: 1, ids[0]: 2}},
        "stv": {"values": {ids[1]: 1, ids[0]: 2, ids[3]: 3}},
    }
    return answers[method]


@pytest.mark.parametrize("method", METHODS)
def test_every_method_takes_an_answer_and_a_change_of_mind_updates_it(
    worker: Any, member: Any, method: str, django_capture_on_commit_callbacks: Any
) -> None:
    decision = raise_decision(worker, method)
    ids = option_ids(decision)
    first = services.answer_give(actor=member, decision=decision, **answer_for(method, ids))
    assert first.is_member and not first.is_staff and first.version == 1
    again = services.answer_give(actor=member, decision=decision, **answer_for(method, ids))
    assert again.pk == first.pk and Participation.objects.count() == 1
    stored = {v.option_id: v.value for v in OptionValue.objects.filter(participation=first)}
    expected = answer_for(method, ids).get("values", {})
    if method == "time_poll":
        expected = {**dict.fromkeys(ids, 0), **expected}
    assert stored == expected
    decision = close_and_count(worker, decision, django_capture_on_commit_callbacks)
    assert decision.result_status == "ready"
    result = DecisionResult.from_json(decision.result or {})
    assert result.groups["members"].taking_part == 1
    if method in ("score", "dot", "time_poll", "ranked_irv", "ranked_schulze"):
        assert result.winners == [ids[1] if method.startswith("ranked") else ids[0]]
    if method == "stv":
        # One paper: Ben has the quota (1) at once; his surplus is nothing, so the second seat goes by lot.
        assert result.winners[0] == ids[1] and len(result.winners) == 2 and result.lots >= 1


@pytest.mark.parametrize(
    ("method", "answer", "field"),
    [
        ("consent", {"position": "block"}, "reason"),
        ("consent", {"position": "disagree", "reason": "   "}, "reason"),
        ("consent", {"position": "yes"}, "position"),
        ("yes_no", {"position": "agree"}, "position"),
        ("score", {"values": {0: 6}}, "values"),
        ("score", {"values": {0: -1}}, "values"),
        ("dot", {"values": {0: 3, 1: 3}}, "values"),
        ("dot", {"values": {}}, "values"),
        ("time_poll", {"values": {0: 3}}, "values"),
        ("ranked_irv", {"values": {0: 1, 1: 3}}, "values"),
        ("ranked_irv", {"values": {0: 1, 1: 1}}, "values"),
        ("stv", {"values": {}}, "values"),
        ("score", {"values": {0: 1}, "position": "yes"}, "position"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_saved(
    worker: Any, member: Any, method: str, answer: dict[str, Any], field: str
) -> None:
    decision = raise_decision(worker, method)
    ids = option_ids(decision)
    if "values" in answer:
        answer = {**answer, "values": {ids[i]: v for i, v in answer["values"].items()}}
    with pytest.raises(ServiceError) as error:
        services.answer_give(actor=member, decision=decision, **answer)
    assert error.value.field == field and error.value.message
    assert not Participation.objects.exists() and not OptionValue.objects.exists()
    assert not AuditEvent.objects.filter(action="decisions.answered").exists()


def test_an_option_of_another_decision_is_refused(worker: Any, member: Any) -> None:
    one, other = raise_decision(worker, "score"), raise_decision(worker, "score")
    with pytest.raises(ServiceError) as error:
        services.answer_give(actor=member, decision=one, values={option_ids(other)[0]: 3})
    assert error.value.field == "values"
    assert not Participation.objects.exists()


def test_a_block_needs_a_reason_and_tells_the_proposer(worker: Any, member: Any, consent: Decision) -> None:
    services.answer_give(actor=member, decision=consent, position="block", reason="Saturday staff are volunteers.")
    notice = Notice.objects.get(kind="decisions.objection")
    assert notice.user_id == worker.user_id and "blocked" in notice.text


@pytest.mark.parametrize("role", ["observer", "outsider"])
def test_people_outside_the_decision_cannot_answer(role: str, request: Any, consent: Decision) -> None:
    with pytest.raises(NotPermitted):
        services.answer_give(actor=request.getfixturevalue(role), decision=consent, position="agree")
    assert not Participation.objects.exists()


def test_a_staff_decision_is_not_answered_by_members_and_someone_with_both_roles_counts_as_staff_there(
    worker: Any, member: Any, partnership: Any
) -> None:
    both = staff_membership(partnership, role="worker", is_member=True)
    decision = raise_decision(worker, participants="staff")
    with pytest.raises(NotPermitted):
        services.answer_give(actor=member, decision=decision, position="agree")
    answer = services.answer_give(actor=both, decision=decision, position="agree")
    assert answer.is_staff and not answer.is_member
    everyone = raise_decision(worker)
    assert services.answer_give(actor=both, decision=everyone, position="agree").is_member


def test_an_answer_after_closing_is_refused(worker: Any, member: Any, consent: Decision) -> None:
    services.decision_close(actor=worker, decision=consent)
    with pytest.raises(ServiceError, match="closed"):
        services.answer_give(actor=member, decision=consent, position="agree")
    assert not Participation.objects.exists()


def test_an_answer_after_the_closing_time_is_refused_before_the_job_closes_it(
    worker: Any, member: Any, consent: Decision
) -> None:
    Decision.objects.filter(pk=consent.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ServiceError, match="closed"):
        services.answer_give(actor=member, decision=consent, position="agree")
    assert not Participation.objects.exists()


def test_an_anonymous_decision_audits_that_someone_answered_not_how(worker: Any, member: Any) -> None:
    decision = raise_decision(worker, "yes_no", anonymous=True)
    services.answer_give(actor=member, decision=decision, position="no")
    event = AuditEvent.objects.get(action="decisions.answered")
    assert "no" not in event.detail.values() and "position" not in event.detail
    named = raise_decision(worker, "yes_no")
    services.answer_give(actor=member, decision=named, position="no")
    assert AuditEvent.objects.filter(action="decisions.answered", detail__position="no").count() == 1


# --- Amending ------------------------------------------------------------------------------------------


def test_an_amendment_is_a_new_version_and_earlier_answers_stay(worker: Any, member: Any) -> None:
    decision = raise_decision(worker, "score")
    park, library, cafe = option_ids(decision)
    services.answer_give(actor=member, decision=decision, values={park: 4, cafe: 1})
    version = services.decision_amend(
        actor=worker,
        decision=decision,
        title="Open the hub on Saturday mornings",
        background="Mornings only.",
        options=["Park", "Library", "Garden"],
        change_note="The cafe closed.",
    )
    decision.refresh_from_db()
    assert version.number == 2 == decision.version and decision.title.endswith("mornings")
    assert DecisionOption.objects.get(pk=cafe).withdrawn_at is not None  # kept, not deleted
    assert option_ids(decision)[:2] == [park, library] and len(option_ids(decision)) == 3
    answer = Participation.objects.get()
    assert answer.version == 1 and OptionValue.objects.filter(participation=answer).count() == 2
    assert Notice.objects.filter(kind="decisions.amended", user_id=member.user_id).exists()


def test_amending_needs_a_note_and_the_proposer_or_a_coordinator(
    worker: Any, member: Any, coordinator: Any, consent: Decision
) -> None:
    with pytest.raises(ServiceError) as error:
        services.decision_amend(actor=worker, decision=consent, title="X", background="", options=[], change_note="")
    assert error.value.field == "change_note"
    with pytest.raises(NotPermitted):
        services.decision_amend(actor=member, decision=consent, title="X", background="", options=[], change_note="y")
    services.decision_amend(actor=coordinator, decision=consent, title="X", background="", options=[], change_note="y")
    assert DecisionVersion.objects.filter(decision=consent).count() == 2


def test_amending_after_closing_is_refused_and_nothing_changes(worker: Any, consent: Decision) -> None:
    services.decision_close(actor=worker, decision=consent)
    with pytest.raises(ServiceError, match="closed: it can no longer be amended"):
        services.decision_amend(actor=worker, decision=consent, title="X", background="", options=[], change_note="y")
    consent.refresh_from_db()
    assert consent.version == 1 and consent.title == "Open the hub on Saturdays"
    assert DecisionVersion.objects.count() == 1


def test_an_amendment_leaving_fewer_candidates_than_seats_is_refused(worker: Any) -> None:
    decision = raise_decision(worker, "stv", seats=3)
    with pytest.raises(ServiceError) as error:
        services.decision_amend(
            actor=worker, decision=decision, title="Board", background="", options=["Aisha", "Ben"], change_note="x"
        )
    assert error.value.field == "options"
    assert len(option_ids(decision)) == 4 and DecisionVersion.objects.count() == 1


# --- Closing and counting ------------------------------------------------------------------------------


def test_closing_twice_is_refused(worker: Any, consent: Decision) -> None:
    services.decision_close(actor=worker, decision=consent)
    closed_at = Decision.objects.get().closed_at
    with pytest.raises(ServiceError, match="already closed"):
        services.decision_close(actor=worker, decision=consent)
    assert Decision.objects.get().closed_at == closed_at
    assert AuditEvent.objects.filter(action="decisions.closed").count() == 1


def test_only_the_proposer_or_a_coordinator_closes(member: Any, coordinator: Any, consent: Decision) -> None:
    with pytest.raises(NotPermitted):
        services.decision_close(actor=member, decision=consent)
    assert services.decision_close(actor=coordinator, decision=consent).status == "closed"


def test_the_count_waits_for_the_commit_and_then_stores_the_result(
    worker: Any, member: Any, consent: Decision, django_capture_on_commit_callbacks: Any
) -> None:
    services.answer_give(actor=member, decision=consent, position="agree")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.decision_close(actor=worker, decision=consent)
    consent.refresh_from_db()
    assert consent.result_status == "pending" and consent.result is None and len(callbacks) == 1
    callbacks[0]()
    consent.refresh_from_db()
    assert consent.result_status == "ready" and consent.result is not None and consent.result["passed"] is True
    # Counting again leaves it as it is.
    counted_at = consent.counted_at
    services.decision_count(consent.pk)
    consent.refresh_from_db()
    assert consent.counted_at == counted_at
    assert AuditEvent.objects.filter(action="decisions.counted").count() == 1


def test_a_double_majority_passing_among_staff_but_not_members_does_not_pass(
    partnership: Any, coordinator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    decision = raise_decision(coordinator, "yes_no", double_majority=True, threshold_percent=50)
    members = [MembershipFactory(partnership=partnership, is_member=True) for _ in range(3)]
    staff = [staff_membership(partnership, role="worker") for _ in range(2)]
    for person, position in zip(members + staff, ["yes", "no", "no", "yes", "yes"], strict=True):
        services.answer_give(actor=person, decision=decision, position=position)
    decision = close_and_count(coordinator, decision, django_capture_on_commit_callbacks)
    result = DecisionResult.from_json(decision.result or {})
    assert result.groups["staff"].passed and not result.groups["members"].passed
    assert result.groups["everyone"].positions == {"yes": 3, "no": 2, "abstain": 0}
    assert not result.passed
    assert result.groups["members"].eligible == 3 and result.groups["staff"].eligible == 3  # the coordinator too


def test_the_job_closes_what_is_due_and_only_that(worker: Any, django_capture_on_commit_callbacks: Any) -> None:
    due, later = raise_decision(worker), raise_decision(worker)
    Decision.objects.filter(pk=due.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.close_due() == 1
    due.refresh_from_db()
    later.refresh_from_db()
    assert due.status == "closed" and due.closed_by is None and due.result_status == "ready"
    assert later.status == "open"
    assert services.close_due() == 0


def test_reminders_go_once_to_those_who_have_not_answered(worker: Any, member: Any, partnership: Any) -> None:
    other = MembershipFactory(partnership=partnership, is_member=True)
    decision = raise_decision(worker)
    services.answer_give(actor=member, decision=decision, position="agree")
    assert services.closing_reminders_send_due() == 0  # three days away
    soon = timezone.now() + timedelta(hours=25)
    assert services.closing_reminders_send_due(now=soon - timedelta(hours=3)) == 0
    Decision.objects.filter(pk=decision.pk).update(closes_at=timezone.now() + timedelta(hours=20))
    told = services.closing_reminders_send_due()
    assert told == 2  # the worker (who proposed it but has not answered) and the other member
    reminded = set(Notice.objects.filter(kind="decisions.closing").values_list("user_id", flat=True))
    assert reminded == {worker.user_id, other.user_id}
    assert services.closing_reminders_send_due() == 0


# --- Outcomes ------------------------------------------------------------------------------------------


def outcome(actor: Any, decision: Decision, **overrides: Any) -> Outcome:
    today = timezone.localdate()
    values: dict[str, Any] = {
        "statement": "The hub opens 10-1 on Saturdays from March.",
        "owner_membership_id": actor.pk,
        "due_on": today + timedelta(days=30),
        "review_on": today + timedelta(days=120),
    }
    values.update(overrides)
    return services.outcome_record(actor=actor, decision=decision, **values)


def test_an_outcome_is_written_once_after_closing(worker: Any, consent: Decision, partnership: Any) -> None:
    with pytest.raises(ServiceError, match="once the decision has closed"):
        outcome(worker, consent)
    services.decision_close(actor=worker, decision=consent)
    written = outcome(worker, consent)
    assert written.owner_name == worker.user.display_name
    with pytest.raises(ServiceError, match="already has its outcome"):
        outcome(worker, consent)
    assert Outcome.objects.count() == 1
    assert services.outcome_done(actor=worker, decision=consent).done_on == timezone.localdate()
    with pytest.raises(ServiceError):
        services.outcome_done(actor=worker, decision=consent)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"statement": ""}, "statement"),
        ({"due_on": None}, "due_on"),
        ({"due_on": timezone.localdate() - timedelta(days=1)}, "due_on"),
        ({"review_on": timezone.localdate()}, "review_on"),
        ({"owner_membership_id": 0}, "owner_membership_id"),
    ],
)
def test_a_bad_outcome_is_refused(worker: Any, consent: Decision, overrides: dict, field: str) -> None:
    services.decision_close(actor=worker, decision=consent)
    with pytest.raises(ServiceError) as error:
        outcome(worker, consent, **overrides)
    assert error.value.field == field
    assert not Outcome.objects.exists()


def test_an_owner_from_another_partnership_is_refused(worker: Any, outsider: Any, consent: Decision) -> None:
    services.decision_close(actor=worker, decision=consent)
    with pytest.raises(ServiceError):
        outcome(worker, consent, owner_membership_id=outsider.pk)


# --- Discussion ----------------------------------------------------------------------------------------


def test_comments_are_added_and_hidden_by_coordinators(
    member: Any, worker: Any, coordinator: Any, observer: Any, consent: Decision
) -> None:
    comment = services.comment_add(actor=member, decision=consent, body="Could it be *mornings*?")
    assert "<em>mornings</em>" in comment.body_html
    with pytest.raises(NotPermitted):
        services.comment_add(actor=observer, decision=consent, body="Hello")
    with pytest.raises(ServiceError):
        services.comment_add(actor=member, decision=consent, body="  ")
    with pytest.raises(NotPermitted):
        services.comment_hide(actor=worker, comment=comment)
    services.comment_hide(actor=coordinator, comment=comment)
    with pytest.raises(ServiceError, match="already hidden"):
        services.comment_hide(actor=coordinator, comment=comment)
    assert DecisionComment.objects.get().hidden_by == coordinator.user


# --- Ballot files --------------------------------------------------------------------------------------

BLT = b"""3 2
1 1 2 0
3 2 3 0
2 3 0
1 3 1 2 0
0
"Aisha"
"Ben"
"Cara"
"Parent board"
"""


def test_a_coordinator_raises_an_stv_decision_from_a_blt_file(
    coordinator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    closes = timezone.now() + timedelta(days=1)
    decision = services.decision_import_blt(
        actor=coordinator, kind="everyday", method="stv", data=BLT, closes_at=closes
    )
    assert decision.imported and decision.anonymous and decision.seats == 2 and decision.title == "Parent board"
    assert decision.participations.count() == 7 and not decision.participations.filter(user__isnull=False).exists()
    decision = close_and_count(coordinator, decision, django_capture_on_commit_callbacks)
    result = DecisionResult.from_json(decision.result or {})
    labels = dict(decision.options.values_list("pk", "label"))
    assert [labels[w] for w in result.winners][:1] == ["Ben"] and len(result.winners) == 2
    assert result.quota == "3"  # 7 // 3 + 1


@pytest.mark.parametrize("data", [b"", b'3 2\n1 1 9 0\n0\n"A" "B" "C"\n"T"\n', b"3 2\nx 1 2 0\n0\n", b"\xff\xfe"])
def test_a_bad_ballot_file_is_refused_with_nothing_saved(coordinator: Any, data: bytes) -> None:
    with pytest.raises(ServiceError) as error:
        services.decision_import_blt(
            actor=coordinator, kind="everyday", method="stv", data=data, closes_at=timezone.now() + timedelta(days=1)
        )
    assert error.value.field == "file" and "\n" not in error.value.message
    nothing_saved()
    assert not Participation.objects.exists()


def test_only_coordinators_import_ballot_files(worker: Any) -> None:
    with pytest.raises(NotPermitted):
        services.decision_import_blt(
            actor=worker, kind="everyday", method="stv", data=BLT, closes_at=timezone.now() + timedelta(days=1)
        )


def test_only_ranked_decisions_come_from_ballot_files(coordinator: Any) -> None:
    with pytest.raises(ServiceError) as error:
        services.decision_import_blt(
            actor=coordinator, kind="everyday", method="score", data=BLT, closes_at=timezone.now() + timedelta(days=1)
        )
    assert error.value.field == "method"
