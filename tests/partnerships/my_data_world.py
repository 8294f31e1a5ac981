"""A person with data in every capability, for "My data" tests and the benchmark. Every text carries ``mark``,
so a test can tell one person's rows from another's."""

from __future__ import annotations

import datetime
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.utils import timezone

from coproduce.commitments.models import CommitmentReview
from coproduce.conversations.models import Conversation, Participant, Statement, Vote, VoteEvent
from coproduce.core.audit import audit_record
from coproduce.core.models import OutgoingEmail
from coproduce.decisions.models import Decision as Proposal
from coproduce.decisions.models import DecisionComment, Participation
from coproduce.fund.models import Ballot, BallotChoice
from coproduce.governance.models import Interest
from coproduce.improvement.models import Decision, MemberCheck, TestOfChange
from coproduce.learning.models import Attendance, Event, LogConsent, LogEntry, Registration, RegistrationNeeds
from coproduce.notifications.models import Notice
from coproduce.partnerships.models import Membership
from coproduce.support import services as support
from coproduce.support.models import PlanRead
from coproduce.voice.models import Flag, Follow, Support
from tests.factories import InvitationFactory
from tests.fund.helpers import make_proposal, make_round
from tests.voice.factories import CommentFactory, IdeaFactory


def test_of_change(partnership: Any, owner: Any, title: str) -> TestOfChange:
    today = timezone.localdate()
    return TestOfChange.objects.create(
        partnership=partnership,
        title=title,
        aim_what="More working parents get support.",
        aim_how_much="From 6 to 12 a week",
        aim_by_when=today + datetime.timedelta(days=60),
        change_kind=TestOfChange.ChangeKind.TRY,
        change="Open the hub two evenings a week.",
        predictions="Attendance rises.",
        owner=owner,
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today + datetime.timedelta(days=30),
    )


def data_everywhere(person: Membership, *, mark: str, staff: Membership, n: int = 1) -> None:
    """Give ``person`` (a member) ``n`` of each thing in every capability; ``staff`` (a worker in the same
    partnership) reads their plan and runs a test of change they co-sign."""
    partnership, user = person.partnership, person.user
    # accounts and partnerships
    Authenticator.objects.get_or_create(user=user, type=Authenticator.Type.RECOVERY_CODES, defaults={"data": {}})
    for i in range(n):
        UserSession.objects.create(
            user=user, session_key=f"s-{mark}-{user.pk}-{i}", ip="192.0.2.1", user_agent=f"{mark}-browser"
        )
        audit_record(actor=user, action="account.signed_in", target=user, target_label="")
        audit_record(actor=staff.user, action="membership.roles_changed", partnership_id=partnership.pk, target=person)
        OutgoingEmail.objects.create(kind="test", recipients=[user.email], subject=f"{mark} subject")
    from coproduce.learning.models import CalendarFeed

    CalendarFeed.objects.get_or_create(
        user=user, partnership=partnership, defaults={"token_hash": f"{mark}-{user.pk}".ljust(64, "0")}
    )
    InvitationFactory(
        partnership=partnership, email=user.email, is_member=True, accepted_at=timezone.now(), accepted_by=user
    )
    # support
    plan = support.plan_start(actor=person)
    for i in range(n):
        support.goal_create(actor=person, plan=plan, text=f"{mark} goal {i}")
        support.action_create(actor=person, plan=plan, text=f"{mark} action {i}")
        PlanRead.objects.create(
            plan=plan, reader=staff.user, reader_label=f"{mark} reader", parts=["about"], page="plan"
        )
        Notice.objects.create(partnership=partnership, user=user, kind="support.notice", text=f"{mark} support notice")
    # voice
    ideas = [IdeaFactory(partnership=partnership, author=user, title=f"{mark} idea {i}") for i in range(n)]
    for idea in ideas:
        CommentFactory(idea=idea, author=user, body=f"{mark} comment")
        Support.objects.create(idea=idea, user=user, is_member=True)
        Follow.objects.create(idea=idea, user=user)
        Flag.objects.create(partnership=partnership, idea=idea, flagged_by=user, reason=f"{mark} flag")
        Notice.objects.create(user=user, partnership=partnership, kind="voice.comment", text=f"{mark} note")
    # conversations
    conversation = Conversation.objects.create(partnership=partnership, topic=f"{mark} conversation")
    participant = Participant.objects.create(conversation=conversation, user=user, number=1)
    statements = [
        Statement(
            conversation=conversation, number=i + 1, text=f"{mark} statement {i}", text_key=f"{mark} s{i}", author=user
        )
        for i in range(n)
    ]
    Statement.objects.bulk_create(statements)
    Vote.objects.bulk_create(
        Vote(participant=participant, statement=s, conversation=conversation, value=1) for s in statements
    )
    VoteEvent.objects.bulk_create(
        VoteEvent(participant=participant, statement=s, conversation=conversation, value=1) for s in statements
    )
    for i in range(n):
        # fund
        round_ = make_round(partnership, title=f"{mark} round {i}")
        proposal = make_proposal(round_, proposer=user, title=f"{mark} proposal")
        ballot = Ballot.objects.create(
            round=round_, voter=user, receipt=f"{mark[:5].upper():X<5}-00001", total_points=1
        )
        BallotChoice.objects.create(ballot=ballot, proposal=proposal, points=1)
        # improvement
        test = test_of_change(partnership, staff.user, f"{mark} test of change {i}")
        test.people.add(person)
        MemberCheck.objects.create(test=test, member=user, answer="yes", words=f"{mark} feedback")
        Decision.objects.create(
            test=test,
            kind="adopt",
            reasons=f"{mark} reasons",
            review_on=timezone.localdate(),
            decided_by=staff.user,
            needs_member=True,
            cosigned_by=user,
            cosigned_at=timezone.now(),
        )
        # decisions
        proposal_ = Proposal.objects.create(
            partnership=partnership,
            kind="everyday",
            method="consent",
            title=f"{mark} decision {i}",
            participants="everyone",
            closes_at=timezone.now() + datetime.timedelta(days=3),
            proposer=staff.user,
        )
        Participation.objects.create(
            decision=proposal_, user=user, is_member=True, position="disagree", reason=f"{mark} reason"
        )
        DecisionComment.objects.create(decision=proposal_, author=user, body=f"{mark} decision comment")
        # learning
        starts = timezone.now() - datetime.timedelta(days=3 + i)
        event = Event.objects.create(
            partnership=partnership,
            kind="learning",
            title=f"{mark} event {i}",
            place="Hub",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
        )
        registration = Registration.objects.create(
            event=event, user=user, status="registered", position=1, is_member=True
        )
        RegistrationNeeds.objects.create(registration=registration, childcare_children=1, food_needs=f"{mark} food")
        Attendance.objects.create(
            event=event, user=user, registration=registration, present=True, minutes=120, is_member=True
        )
        # learning: a claim for a paid workshop she came to (paid time)
        from coproduce.learning.models import Claim
        from tests.learning.pay_support import attend, make_event

        workshop = make_event(partnership, title=f"{mark} workshop {i}")
        attend(workshop, person)
        Claim.objects.create(
            partnership=partnership, event=workshop, user=user, time_choice="cash", time_pence=30_00, time_minutes=120
        )
        # the learning log: an entry the person co-wrote, naming them, which they agreed to
        entry = LogEntry.objects.create(
            partnership=partnership,
            title=f"{mark} log entry {i}",
            what_we_tried=f"{mark} tried",
            what_we_learned=f"{mark} learned",
            what_next=f"{mark} next",
            author=staff.user,
        )
        entry.co_authors.add(user)
        LogConsent.objects.create(entry=entry, user=user, asked_at=timezone.now(), agreed_at=timezone.now())
        # evaluation: an answer about a service she used, with free text and an answer to a coordinator's
        # question, the offer that asked her, her place on the panel, a panel comment and a health check reply
        from coproduce.evaluation import models as evaluation

        subject = evaluation.Subject.objects.create(
            partnership=partnership, kind="service", source_key=f"world.{mark}:{i}", name=f"{mark} service {i}"
        )
        question = evaluation.Question.objects.create(subject=subject, text=f"{mark} question {i}", position=1)
        offer = evaluation.Offer.objects.create(
            partnership=partnership, user=user, subject=subject, moment="completed", use_key=f"world.use:{mark}:{i}"
        )
        answer = evaluation.Answer.objects.create(
            partnership=partnership,
            subject=subject,
            period=timezone.localdate().replace(day=1),
            user=user,
            offer=offer,
            listened=4,
            respect=5,
        )
        evaluation.Remark.objects.create(answer=answer, kind="keep", text=f"{mark} keep doing")
        evaluation.QuestionAnswer.objects.create(answer=answer, question=question, score=3)
        evaluation.PanelMember.objects.get_or_create(partnership=partnership, user=user)
        review = evaluation.Review.objects.create(
            subject=subject,
            quarter_start=datetime.date(2026, 7, 1),
            panel_until=timezone.now() + datetime.timedelta(days=14),
        )
        evaluation.PanelComment.objects.create(review=review, user=user, text=f"{mark} panel comment {i}")
        check = evaluation.HealthCheck.objects.create(
            partnership=partnership,
            title=f"{mark} health check {i}",
            opens_on=timezone.localdate(),
            closes_on=timezone.localdate(),
        )
        reply = evaluation.HealthReply.objects.create(health_check=check, user=user, side="member")
        evaluation.HealthRating.objects.create(reply=reply, standard="inclusion", score=4)
        # governance
        Interest.objects.create(
            partnership=partnership, membership=person, what=f"{mark} interest {i}", starts_on=timezone.localdate()
        )
        # commitments: a review the person recorded (as staff do; made directly, since a member records none)
        CommitmentReview.objects.create(
            partnership=partnership,
            source="improvement.adopted",
            object_id=test.pk,
            reviewed_on=timezone.localdate(),
            what_happened=f"{mark} review {i}",
            verdict="keep",
            reviewed_by=user,
            reviewer_name=user.name,
        )
        # reports: an employability outcome she recorded, a correction she asked for, her family answers, a read
        from coproduce.reports.services import outcomes as outcomes_services

        outcome = outcomes_services.outcome_record(
            actor=person,
            member=person,
            kind="training_started",
            on=timezone.localdate(),
            description=f"{mark} outcome {i}",
        )
        outcomes_services.correction_ask(actor=person, outcome=outcome, text=f"{mark} correction {i}")
        outcomes_services.priority_groups_set(actor=person, member=person, answers={"lone_parent": "prefer_not"})
        outcomes_services.outcomes_read_record(reader=staff, member=person)
