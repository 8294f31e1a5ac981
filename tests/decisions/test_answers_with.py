"""Answers to decisions recorded with a member by a worker or coordinator, and entered from her paper form: the
method's rules, one answer per person, one entry per form number, nothing replaced behind her back, her own
later answer replacing it, her confirmation, the printable form, and the result counting how answers came."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.decisions import selectors, services
from coproduce.decisions.models import Decision, Participation
from coproduce.notifications.models import Notice
from coproduce.partnerships.assisted import NOTICE_KIND, ChannelCounts, assisted_confirm, assisted_pending
from tests.conftest import present, signed_in
from tests.decisions.conftest import option_ids, raise_decision
from tests.factories import MembershipFactory, PartnershipFactory, staff_membership

pytestmark = pytest.mark.django_db


def url(name: str, decision: Decision, partnership: Any) -> str:
    return reverse(f"decisions:{name}", kwargs={"slug": partnership.slug, "decision_id": decision.pk})


def record(actor: Any, decision: Decision, member: Any, **kw: Any) -> Participation:
    kw.setdefault("agreed", True)
    return services.answer_record_with(actor=actor, decision=decision, member=member, **kw)


class TestRecordingWithHer:
    @pytest.mark.parametrize("role", ["worker", "coordinator"])
    def test_a_keyworker_records_her_answer_marked_as_assisted(
        self, partnership: Any, member: Any, consent: Decision, role: str
    ) -> None:
        actor = staff_membership(partnership, role=role)
        answer = record(actor, consent, member, position="agree")
        assert (answer.user_id, answer.is_member, answer.channel, answer.recorded_by_id) == (
            member.user_id,
            True,
            "assisted",
            actor.user_id,
        )
        present(Notice.objects.filter(user=member.user, kind=NOTICE_KIND).first())
        assert "Agree" in assisted_pending(member)[0].summary

    def test_she_confirms_it(self, worker: Any, member: Any, consent: Decision) -> None:
        answer = record(worker, consent, member, position="agree")
        assisted_confirm(member=member, kind="decisions.answer", item_id=answer.pk)
        answer.refresh_from_db()
        assert answer.confirmed_at is not None
        assert assisted_pending(member) == []

    def test_her_own_later_answer_replaces_it(self, worker: Any, member: Any, consent: Decision) -> None:
        record(worker, consent, member, position="agree")
        own = services.answer_give(actor=member, decision=consent, position="abstain")
        assert (own.channel, own.recorded_by_id, own.position) == ("self", None, "abstain")
        assert Participation.objects.count() == 1 and assisted_pending(member) == []

    def test_an_answer_already_there_is_not_overwritten(self, worker: Any, member: Any, consent: Decision) -> None:
        services.answer_give(actor=member, decision=consent, position="agree")
        with pytest.raises(ServiceError) as refused:
            record(worker, consent, member, position="block", reason="No")
        assert refused.value.code == "exists" and "Her answer: Agree." in refused.value.message
        assert Participation.objects.get().position == "agree"

    def test_an_anonymous_decision_does_not_say_what_she_answered(self, worker: Any, member: Any) -> None:
        decision = raise_decision(worker, "consent", anonymous=True)
        services.answer_give(actor=member, decision=decision, position="agree")
        with pytest.raises(ServiceError) as refused:
            record(worker, decision, member, position="agree")
        assert "Agree" not in refused.value.message

    @pytest.mark.parametrize(
        ("method", "answer"),
        [
            ("consent", {"position": "block"}),  # a block needs a reason
            ("consent", {"position": "yes"}),
            ("dot", {"values": "too_many"}),
            ("ranked_irv", {"values": "gap"}),
            ("consent", {"position": "agree", "agreed": False}),
        ],
    )
    def test_bad_input_is_refused_and_nothing_is_saved(
        self, worker: Any, member: Any, method: str, answer: dict[str, Any]
    ) -> None:
        decision = raise_decision(worker, method)
        options = option_ids(decision)
        if answer.get("values") == "too_many":
            answer["values"] = {options[0]: 6}
        elif answer.get("values") == "gap":
            answer["values"] = {options[0]: 1, options[1]: 3}
        with pytest.raises(ServiceError):
            record(worker, decision, member, **answer)
        assert not Participation.objects.exists() and not Notice.objects.filter(kind=NOTICE_KIND).exists()

    def test_every_method_can_be_recorded(self, worker: Any, member: Any) -> None:
        decision = raise_decision(worker, "score")
        answer = record(worker, decision, member, values={option_ids(decision)[0]: 4})
        assert answer.values.get().value == 4

    def test_refused_when_she_turned_it_off_or_it_closed(self, worker: Any, member: Any, consent: Decision) -> None:
        member.assistance_allowed = False
        member.save()
        with pytest.raises(ServiceError):
            record(worker, consent, member, position="agree")
        member.assistance_allowed = True
        member.save()
        services.decision_close(actor=worker, decision=consent)
        with pytest.raises(ServiceError) as refused:
            record(worker, Decision.objects.get(pk=consent.pk), member, position="agree")
        assert refused.value.code == "closed"
        assert not Participation.objects.exists()

    def test_refused_for_a_decision_she_does_not_take_part_in(self, worker: Any, member: Any) -> None:
        staff_only = raise_decision(worker, "consent", participants="staff")
        with pytest.raises(ServiceError):
            record(worker, staff_only, member, position="agree")

    def test_only_a_worker_or_coordinator_of_her_partnership(
        self, partner_lead: Any, observer: Any, member: Any, consent: Decision
    ) -> None:
        for actor in (partner_lead, observer, MembershipFactory(partnership=member.partnership, is_member=True)):
            with pytest.raises(NotPermitted):
                record(actor, consent, member, position="agree")
        with pytest.raises(NotPermitted):
            record(staff_membership(PartnershipFactory(), role="worker"), consent, member, position="agree")
        elsewhere = MembershipFactory(partnership=PartnershipFactory(), is_member=True)
        with pytest.raises(NotPermitted):
            record(staff_membership(member.partnership, role="worker"), consent, elsewhere, position="agree")
        assert not Participation.objects.exists()


class TestFromPaper:
    def test_the_same_form_entered_twice_is_caught(self, worker: Any, member: Any, consent: Decision) -> None:
        record(worker, consent, member, position="agree", channel="paper", paper_ref="D1-0001")
        other = MembershipFactory(partnership=member.partnership, is_member=True)
        with pytest.raises(ServiceError) as refused:
            record(worker, consent, other, position="agree", channel="paper", paper_ref="d1-0001")
        assert refused.value.code == "paper_ref_used"
        assert Participation.objects.count() == 1

    def test_the_same_member_twice_says_which_form(self, worker: Any, member: Any, consent: Decision) -> None:
        record(worker, consent, member, position="agree", channel="paper", paper_ref="D1-0001")
        with pytest.raises(ServiceError) as refused:
            record(worker, consent, member, position="agree", channel="paper", paper_ref="D1-0002")
        assert "paper form D1-0001" in refused.value.message


class TestCountingApart:
    def test_members_by_themselves_with_help_on_paper_and_staff(self, worker: Any, consent: Decision) -> None:
        members = MembershipFactory.create_batch(4, partnership=worker.partnership, is_member=True)
        services.answer_give(actor=members[0], decision=consent, position="agree")
        record(worker, consent, members[1], position="agree")
        record(worker, consent, members[2], position="agree", channel="paper", paper_ref="D1-1")
        record(worker, consent, members[3], position="agree", channel="paper", paper_ref="D1-2")
        services.answer_give(actor=worker, decision=consent, position="agree")
        assert selectors.decision_channel_counts(worker, consent) == ChannelCounts(1, 1, 2, 1)


class TestPages:
    @pytest.mark.parametrize("role", ["worker", "coordinator"])
    def test_recorded_on_the_page(self, partnership: Any, member: Any, consent: Decision, role: str) -> None:
        client = signed_in(staff_membership(partnership, role=role).user)
        response = client.post(
            url("record-with", consent, partnership), {"member": member.pk, "position": "agree", "agreed": "on"}
        )
        assert response.status_code == 302
        assert Participation.objects.get(user=member.user).channel == "assisted"

    @pytest.mark.parametrize("role", ["worker", "coordinator"])
    def test_paper_on_the_page_and_the_same_form_again(
        self, partnership: Any, member: Any, consent: Decision, role: str
    ) -> None:
        client = signed_in(staff_membership(partnership, role=role).user)
        data = {"member": member.pk, "paper_ref": "D9-0001", "position": "agree", "agreed": "on"}
        assert client.post(url("paper", consent, partnership), data).status_code == 302
        other = MembershipFactory(partnership=partnership, is_member=True)
        again = client.post(url("paper", consent, partnership), {**data, "member": other.pk})
        assert "Paper form D9-0001 has already been entered for this decision." in again.content.decode()
        assert Participation.objects.count() == 1

    def test_bad_input_on_the_page(self, worker: Any, member: Any, consent: Decision) -> None:
        response = signed_in(worker.user).post(url("record-with", consent, worker.partnership), {})
        text = response.content.decode()
        assert response.status_code == 200
        assert "Choose the member whose answer this is." in text and "Choose her answer." in text
        assert not Participation.objects.exists()

    @pytest.mark.parametrize("role", ["member", "observer", "partner_lead"])
    def test_nobody_else_may_post(self, partnership: Any, member: Any, consent: Decision, role: str) -> None:
        actor = {
            "member": member,
            "observer": MembershipFactory(partnership=partnership, is_member=False, is_observer=True),
            "partner_lead": staff_membership(partnership, role="partner_lead"),
        }[role]
        for name in ("record-with", "paper"):
            response = signed_in(actor.user).post(
                url(name, consent, partnership),
                {"member": member.pk, "paper_ref": "D1", "position": "agree", "agreed": "on"},
            )
            assert response.status_code == 404
        assert not Participation.objects.exists()

    @pytest.mark.parametrize("method", ["consent", "yes_no", "score", "dot", "time_poll", "stv"])
    def test_the_printable_form_for_each_method(self, worker: Any, method: str) -> None:
        decision = raise_decision(worker, method)
        page = signed_in(worker.user).get(url("paper-form", decision, worker.partnership), {"start": 3, "copies": 2})
        text = page.content.decode()
        assert page.status_code == 200
        assert f"D{decision.pk}-0003" in text and f"D{decision.pk}-0004" in text and "Your name" in text
        for option in decision.options.all():
            assert option.label in text

    def test_the_result_says_how_answers_were_given(self, worker: Any, member: Any, consent: Decision) -> None:
        record(worker, consent, member, position="agree")
        services.decision_close(actor=worker, decision=consent)
        services.decision_count(consent.pk)
        page = signed_in(member.user).get(url("results", consent, worker.partnership))
        text = page.content.decode()
        assert "How the answers were given" in text and "Members, with their keyworker" in text
