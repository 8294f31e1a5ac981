"""A partnership where one person has data in every capability, whatever their roles: a plan with check-ins,
sharing and a referral (if they are a member), a place on another member's team (if they are staff), ideas,
comments, supports, follows, notices, statements and votes, a ballot and a proposal, a place on a test of
change's team and an answer to "Did this help you?"."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from coproduce.conversations.models import AGREE, Conversation, Participant, Statement, Vote
from coproduce.fund.models import Ballot
from coproduce.improvement.models import MemberCheck
from coproduce.improvement.services import pdsa_create
from coproduce.notifications.models import Notice
from coproduce.partnerships.models import Membership
from coproduce.support import services as support
from coproduce.support.defaults import ensure_defaults
from coproduce.support.models import OutcomeArea, TeamMember
from coproduce.voice import services as voice
from coproduce.voice.models import Comment, Follow, Idea, Support
from tests.factories import MembershipFactory, OrganisationFactory, PartnershipFactory, staff_membership
from tests.fund.helpers import make_proposal, make_round
from tests.improvement.conftest import fields
from tests.support.world import service_of

# The roles someone leaving may have (the people page allows any combination; these are the ones that differ).
ROLE_SETS: dict[str, set[str]] = {
    "member": {"is_member"},
    "worker": {"is_worker"},
    "coordinator": {"is_coordinator"},
    "partner_lead": {"is_partner_lead"},
    "observer": {"is_observer"},
    "member_and_worker": {"is_member", "is_worker"},
    "member_and_coordinator": {"is_member", "is_coordinator"},
    "worker_and_partner_lead": {"is_worker", "is_partner_lead"},
}


def build(roles: set[str]) -> dict[str, Any]:
    partnership = PartnershipFactory()
    ensure_defaults(partnership)
    org = OrganisationFactory(partnership=partnership, name="Family Hub")
    others = OrganisationFactory(partnership=partnership, name="College")
    coordinator = staff_membership(partnership, role="coordinator", organisation=org)
    other_member = MembershipFactory(partnership=partnership, is_member=True)
    flags = {
        name: name in roles for name in ("is_member", "is_worker", "is_coordinator", "is_partner_lead", "is_observer")
    }
    if roles & {"is_worker", "is_coordinator", "is_partner_lead"}:
        person = staff_membership(partnership, role="worker", organisation=org)
        Membership.objects.filter(pk=person.pk).update(**flags)
        person.refresh_from_db()
    else:
        person = MembershipFactory(partnership=partnership, **flags)
    world: dict[str, Any] = {
        "partnership": partnership,
        "person": person,
        "coordinator": coordinator,
        "other_member": other_member,
        "org": org,
    }
    area = OutcomeArea.objects.filter(partnership=partnership).first()
    assert area is not None
    today = timezone.localdate()
    # Support: the person's own plan (a member), and a place on another member's team (staff).
    if person.is_member:
        plan = support.plan_start(actor=person)
        support.about_update(actor=person, plan=plan, version=plan.version, what_matters="PLAN-WORDS")
        support.checkin_create(
            actor=person, plan=plan, date=today, notes="CHECKIN-WORDS", ratings={area.pk: (5, None, None)}
        )
        support.sharing_set(actor=person, plan=plan, organisation=others, parts=["about"])
        support.referral_create(
            actor=person, plan=plan, service=service_of(others), parts=["about"], note="Call me", member_agrees=True
        )
        world["plan"] = plan
    other_plan = support.plan_start(actor=other_member)
    world["other_plan"] = other_plan
    if person.is_staff_role:
        support.team_propose(actor=other_member, plan=other_plan, person=person, role=TeamMember.Role.KEYWORKER)
        support.checkin_create(actor=person, plan=other_plan, date=today, ratings={area.pk: (3, 3, 3)})
    Notice.objects.create(partnership=partnership, user=person.user, kind="support.notice", text="A notice")
    # Voice: their idea, their comment on another's idea, a support, a follow, a notice.
    kind = "member" if person.is_member else "staff" if person.is_staff_role else "observer"
    theirs = Idea.objects.create(
        partnership=partnership,
        author=person.user,
        author_kind=kind,
        title="IDEA-TITLE",
        body="IDEA-WORDS",
        body_html="<p>IDEA-WORDS</p>",
    )
    other_idea = voice.idea_create(actor=other_member, title="Evening hours", body="Open later.")
    Comment.objects.create(
        idea=other_idea, author=person.user, author_kind=kind, body="COMMENT-WORDS", body_html="<p>COMMENT-WORDS</p>"
    )
    Support.objects.create(idea=other_idea, user=person.user, is_member=person.is_member)
    Idea.objects.filter(pk=other_idea.pk).update(support_count=1)
    Follow.objects.create(idea=other_idea, user=person.user)
    Notice.objects.create(user=person.user, partnership=partnership, kind="voice.comment", text="New")
    world.update(idea=theirs, other_idea=other_idea)
    # Conversations: a statement they wrote and a vote.
    conversation = Conversation.objects.create(partnership=partnership, topic="After-school clubs")
    participant = Participant.objects.create(conversation=conversation, user=person.user, number=1)
    statement = Statement.objects.create(
        conversation=conversation,
        number=1,
        text="STATEMENT-WORDS",
        text_key="statement-words",
        author=person.user,
        author_kind=kind,
    )
    Vote.objects.create(participant=participant, statement=statement, conversation=conversation, value=AGREE)
    world.update(statement=statement, participant=participant)
    # Fund: a proposal and a ballot.
    round_ = make_round(partnership, phase="voting")
    world["proposal"] = make_proposal(round_, proposer=person.user, description="PROPOSAL-WORDS")
    world["ballot"] = Ballot.objects.create(round=round_, voter=person.user, receipt="RECEIPT1", total_points=1)
    # Improvement: on a test's team, and an answer.
    test = pdsa_create(actor=coordinator, fields=fields(), people=[person])
    MemberCheck.objects.create(test=test, member=person.user, answer="yes", words="CHECK-WORDS")
    world["test"] = test
    # Learning (calendars and paid time): a calendar link, and a claim for a paid workshop (members claim).
    from coproduce.learning.services import calendars
    from coproduce.learning.services import pay as learning_pay
    from tests.learning.pay_support import attend, make_event, rates

    if person.is_member or person.is_staff_role:
        calendars.calendar_feed_renew(actor=person)
    if person.is_member:
        rates(partnership)
        workshop = make_event(partnership, title="Paid workshop")
        attend(workshop, person)
        world["claim"] = learning_pay.claim_make(
            actor=person, event=workshop, time_choice="cash", receipt_reference="RECEIPT-REF"
        )
    return world
