"""Each capability's retention kinds: exactly the records past the cut-off go (one second either side), nothing of
another partnership, a dry run counts the same and changes nothing, a second run finds nothing more, and what is
under a legal hold stays and is named."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from coproduce.conversations.models import Conversation, Participant, Statement
from coproduce.core.models import AuditEvent
from coproduce.fund.models import Award, AwardPayment, Ballot
from coproduce.improvement.models import MemberCheck, TestOfChange
from coproduce.notifications.models import Notice
from coproduce.partnerships.models import Invitation
from coproduce.partnerships.personal_data import RetentionKind, retention_kinds
from coproduce.support.models import (
    CheckIn,
    PlanRead,
    Referral,
    ReferralUpdate,
    Service,
    SupportPlan,
)
from coproduce.voice.models import Comment, Idea
from tests.factories import InvitationFactory, OrganisationFactory, PartnershipFactory, UserFactory
from tests.fund.helpers import make_proposal, make_round

pytestmark = pytest.mark.django_db

NOW = timezone.now()
CUTOFF = NOW - timedelta(days=30)
BEFORE = CUTOFF - timedelta(seconds=1)  # past the period: goes
AFTER = CUTOFF + timedelta(seconds=1)  # still within it: stays


def kind(key: str) -> RetentionKind:
    return {k.key: k for k in retention_kinds()}[key]


def purge_checked(key: str, partnership: Any, expected: int) -> None:
    """A dry run counts ``expected``; the run removes as many; a second run finds nothing."""
    assert kind(key).purge(partnership, CUTOFF, True) == expected
    assert kind(key).purge(partnership, CUTOFF, True) == expected  # the dry run changed nothing
    assert kind(key).purge(partnership, CUTOFF, False) == expected
    assert kind(key).purge(partnership, CUTOFF, False) == 0


def test_every_capability_registers_its_kinds() -> None:
    keys = {k.key for k in retention_kinds()}
    assert {
        "partnerships.invitations",
        "core.audit_events",
        "support.closed_plans",
        "support.plan_reads",
        "support.closed_referrals",
        "notifications.read",
        "voice.removed_text",
        "fund.ballot_voters",
        "fund.proposers",
        "improvement.member_checks",
        "conversations.participants",
    } <= keys


def test_invitations_never_taken_up(partnership: Any) -> None:
    gone = [
        InvitationFactory(partnership=partnership, expires_at=BEFORE),
        InvitationFactory(partnership=partnership, revoked_at=BEFORE, expires_at=NOW + timedelta(days=1)),
    ]
    kept = [
        InvitationFactory(partnership=partnership, expires_at=AFTER),
        InvitationFactory(partnership=partnership, revoked_at=AFTER, expires_at=BEFORE - timedelta(days=1)),
        InvitationFactory(partnership=partnership, expires_at=BEFORE, accepted_at=BEFORE - timedelta(days=1)),
        InvitationFactory(partnership=PartnershipFactory(), expires_at=BEFORE),
    ]
    purge_checked("partnerships.invitations", partnership, 2)
    assert not Invitation.objects.filter(pk__in=[i.pk for i in gone]).exists()
    assert Invitation.objects.filter(pk__in=[i.pk for i in kept]).count() == len(kept)


def test_audit_events(partnership: Any) -> None:
    other = PartnershipFactory()
    events = {
        name: AuditEvent.objects.create(action="test.event", partnership_id=p.pk)
        for name, p in (("old", partnership), ("new", partnership), ("elsewhere", other))
    }
    AuditEvent.objects.filter(pk__in=[events["old"].pk, events["elsewhere"].pk]).update(occurred_at=BEFORE)
    AuditEvent.objects.filter(pk=events["new"].pk).update(occurred_at=AFTER)
    purge_checked("core.audit_events", partnership, 1)
    assert set(AuditEvent.objects.values_list("pk", flat=True)) >= {events["new"].pk, events["elsewhere"].pk}
    assert not AuditEvent.objects.filter(pk=events["old"].pk).exists()


# --- Support ----------------------------------------------------------------------------------------


def _service(partnership: Any) -> Service:
    org = OrganisationFactory(partnership=partnership)
    return Service.objects.create(partnership=partnership, organisation=org, name="Money advice", description="Help")


def _referral(plan: SupportPlan, service: Service, **fields: Any) -> Referral:
    return Referral.objects.create(
        partnership=plan.partnership,
        plan=plan,
        service=service,
        organisation=service.organisation,
        member_agreed_at=NOW - timedelta(days=400),
        **fields,
    )


def test_closed_plans_go_with_what_is_left_of_them_but_an_open_referral_holds_one(
    partnership: Any, member: Any
) -> None:
    service = _service(partnership)
    old = SupportPlan.objects.create(partnership=partnership, member=None, erased_at=BEFORE)
    CheckIn.objects.create(plan=old, date=date(2025, 1, 1), notes="")
    PlanRead.objects.create(plan=old, reader_label="Jamie", page="plan")
    _referral(old, service, status="completed")
    recent = SupportPlan.objects.create(partnership=partnership, member=None, erased_at=AFTER)
    held = SupportPlan.objects.create(partnership=partnership, member=None, erased_at=BEFORE)
    _referral(held, service, status="accepted")
    live = SupportPlan.objects.create(partnership=partnership, member=member)
    elsewhere = SupportPlan.objects.create(partnership=PartnershipFactory(), member=None, erased_at=BEFORE)
    left_long_ago = SupportPlan.objects.create(partnership=partnership, member=None, left_at=BEFORE)
    left_lately = SupportPlan.objects.create(partnership=partnership, member=None, left_at=AFTER)

    reason = kind("support.closed_plans").held(partnership, CUTOFF)  # type: ignore[misc]
    assert reason is not None and "open referral" in reason
    assert kind("support.closed_plans").held(partnership, BEFORE - timedelta(days=1)) is None  # type: ignore[misc]
    purge_checked("support.closed_plans", partnership, 2)
    assert not SupportPlan.objects.filter(pk__in=[old.pk, left_long_ago.pk]).exists()
    assert not CheckIn.objects.filter(plan_id=old.pk).exists() and not PlanRead.objects.filter(plan_id=old.pk).exists()
    assert set(SupportPlan.objects.values_list("pk", flat=True)) == {
        recent.pk,
        held.pk,
        live.pk,
        elsewhere.pk,
        left_lately.pk,
    }


def test_plan_reads(partnership: Any, member: Any) -> None:
    plan = SupportPlan.objects.create(partnership=partnership, member=member)
    old = PlanRead.objects.create(plan=plan, reader_label="Jamie", page="plan", read_at=BEFORE)
    new = PlanRead.objects.create(plan=plan, reader_label="Jamie", page="plan", read_at=AFTER)
    other_plan = SupportPlan.objects.create(partnership=PartnershipFactory(), member=None, erased_at=NOW)
    elsewhere = PlanRead.objects.create(plan=other_plan, reader_label="Sam", page="plan", read_at=BEFORE)
    purge_checked("support.plan_reads", partnership, 1)
    assert set(PlanRead.objects.values_list("pk", flat=True)) == {new.pk, elsewhere.pk}
    assert not PlanRead.objects.filter(pk=old.pk).exists()


def test_closed_referrals_lose_their_words_and_keep_counting(partnership: Any, member: Any) -> None:
    service = _service(partnership)
    plan = SupportPlan.objects.create(partnership=partnership, member=member)
    worker = UserFactory()
    done = _referral(plan, service, status="completed", note="Needs evening times", referred_by=worker)
    ReferralUpdate.objects.create(referral=done, status="completed", message="All went well", by=worker, by_label="X")
    declined = _referral(plan, service, status="declined", decline_reason="Full this term")
    recent = _referral(plan, service, status="completed", note="Recent")
    still_open = _referral(plan, service, status="started", note="Open")
    Referral.objects.filter(pk__in=[done.pk, declined.pk, still_open.pk]).update(updated_at=BEFORE)
    Referral.objects.filter(pk=recent.pk).update(updated_at=AFTER)

    purge_checked("support.closed_referrals", partnership, 2)
    done.refresh_from_db()
    declined.refresh_from_db()
    assert (done.note, done.referred_by_id, done.status) == ("", None, "completed")
    assert list(ReferralUpdate.objects.filter(referral=done).values_list("message", "by_id", "by_label")) == [
        ("", None, "")
    ]
    assert declined.decline_reason == "(removed)"
    assert Referral.objects.get(pk=recent.pk).note == "Recent"
    assert Referral.objects.get(pk=still_open.pk).note == "Open"
    assert Referral.objects.filter(partnership=partnership).count() == 4


# --- Voice ------------------------------------------------------------------------------------------


def _idea(partnership: Any, **fields: Any) -> Idea:
    return Idea.objects.create(
        partnership=partnership,
        author=UserFactory(),
        author_kind="member",
        title=fields.pop("title", "Job fairs in school hours"),
        body="Start after drop-off.",
        body_html="<p>Start after drop-off.</p>",
        **fields,
    )


def test_notifications_once_read_or_done(partnership: Any) -> None:
    user = UserFactory()

    def notice(**fields: Any) -> Notice:
        return Notice.objects.create(partnership=partnership, user=user, kind="voice.comment", text="x", **fields)

    old = notice(read_at=BEFORE)
    done = notice(done_at=BEFORE)
    new = notice(read_at=AFTER)
    unread = notice()
    purge_checked("notifications.read", partnership, 2)
    assert set(Notice.objects.values_list("pk", flat=True)) == {new.pk, unread.pk}
    assert not Notice.objects.filter(pk__in=[old.pk, done.pk]).exists()


def test_words_taken_down_become_removed(partnership: Any) -> None:
    hidden = _idea(partnership, hidden_at=BEFORE, hidden_reason="Names a child")
    withdrawn = _idea(partnership, withdrawn_at=BEFORE)
    recent = _idea(partnership, hidden_at=AFTER)
    visible = _idea(partnership)
    comment = Comment.objects.create(
        idea=visible, author=UserFactory(), author_kind="member", body="Rude", body_html="<p>Rude</p>", hidden_at=BEFORE
    )
    fresh = Comment.objects.create(
        idea=visible, author=UserFactory(), author_kind="member", body="Fine", body_html="<p>Fine</p>"
    )
    purge_checked("voice.removed_text", partnership, 3)
    for idea in (hidden, withdrawn):
        idea.refresh_from_db()
        assert (idea.title, idea.body, idea.search_text) == ("(removed)", "(removed)", "")
        assert "Start after" not in idea.body_html
    assert Idea.objects.get(pk=recent.pk).body == "Start after drop-off."
    assert Idea.objects.get(pk=visible.pk).body == "Start after drop-off."
    assert Comment.objects.get(pk=comment.pk).body == "(removed)"
    assert Comment.objects.get(pk=fresh.pk).body == "Fine"


# --- Fund -------------------------------------------------------------------------------------------


def _round_with(partnership: Any, *, results_from: Any = None, delivery_from: Any = None) -> Any:
    delivery = delivery_from or results_from
    results = results_from or delivery_from
    return make_round(
        partnership,
        proposals_from=results - timedelta(days=3),
        review_from=results - timedelta(days=2),
        voting_from=results - timedelta(days=1),
        results_from=results,
        delivery_from=delivery,
    )


def test_ballots_no_longer_name_their_voter_once_results_are_old(partnership: Any) -> None:
    old_round = _round_with(partnership, results_from=BEFORE)
    new_round = _round_with(partnership, results_from=AFTER)
    voter = UserFactory()
    old = Ballot.objects.create(round=old_round, voter=voter, receipt="R1", total_points=1)
    new = Ballot.objects.create(round=new_round, voter=voter, receipt="R2", total_points=1)
    purge_checked("fund.ballot_voters", partnership, 1)
    old.refresh_from_db()
    assert old.voter_id is None and old.receipt == "R1"
    assert Ballot.objects.get(pk=new.pk).voter_id == voter.pk
    assert Ballot.objects.filter(round__partnership=partnership).count() == 2


def test_proposers_go_unless_an_award_is_unpaid(partnership: Any) -> None:
    old_round = _round_with(partnership, delivery_from=BEFORE)
    new_round = _round_with(partnership, delivery_from=AFTER)
    person = UserFactory()
    paid = make_proposal(old_round, proposer=person, has_conflict=True, conflict_details="My sister runs it")
    unpaid = make_proposal(old_round, proposer=person, title="Unpaid project")
    recent = make_proposal(new_round, proposer=person)
    for proposal, paid_pence in ((paid, 100_000), (unpaid, 40_000)):
        award = Award.objects.create(
            partnership=partnership, round=old_round, proposal=proposal, amount_pence=100_000, holder=person
        )
        AwardPayment.objects.create(award=award, amount_pence=paid_pence)

    reason = kind("fund.proposers").held(partnership, CUTOFF)  # type: ignore[misc]
    assert reason is not None and "Unpaid project" in reason
    purge_checked("fund.proposers", partnership, 1)
    paid.refresh_from_db()
    assert (paid.proposer_id, paid.conflict_details) == (None, "(removed)")
    assert unpaid.__class__.objects.get(pk=unpaid.pk).proposer_id == person.pk
    assert recent.__class__.objects.get(pk=recent.pk).proposer_id == person.pk


# --- Improvement and conversations -----------------------------------------------------------------


def test_member_checks_keep_the_answer_not_the_member(partnership: Any) -> None:
    test = TestOfChange.objects.create(
        partnership=partnership,
        title="Evening drop-in",
        aim_what="More parents",
        aim_how_much="10",
        aim_by_when=date(2027, 1, 1),
        change_kind="try",
        change="Open later",
        predictions="More come",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 2, 1),
    )
    person = UserFactory()
    old = MemberCheck.objects.create(test=test, member=person, answer="yes", words="Great", created_at=BEFORE)
    new = MemberCheck.objects.create(
        test=test, member=person, answer="no", words="Hm", created_at=AFTER, answered_on=date(2026, 1, 2)
    )
    purge_checked("improvement.member_checks", partnership, 1)
    old.refresh_from_db()
    assert (old.member_id, old.words, old.answer) == (None, "", "yes")
    assert MemberCheck.objects.get(pk=new.pk).member_id == person.pk


def test_conversation_participants_are_let_go_once_it_has_closed(partnership: Any) -> None:
    def conversation(closes_at: Any) -> Conversation:
        return Conversation.objects.create(
            partnership=partnership, topic="Childcare", opens_at=closes_at - timedelta(days=5), closes_at=closes_at
        )

    person = UserFactory()
    closed, recent = conversation(BEFORE), conversation(AFTER)
    gone = Participant.objects.create(conversation=closed, user=person, number=1)
    Statement.objects.create(conversation=closed, number=1, text="Evenings", text_key="evenings", author=person)
    kept = Participant.objects.create(conversation=recent, user=person, number=1)
    purge_checked("conversations.participants", partnership, 2)
    gone.refresh_from_db()
    assert gone.user_id is None and Participant.objects.get(pk=kept.pk).user_id == person.pk
    assert Statement.objects.get(conversation=closed).author_id is None
