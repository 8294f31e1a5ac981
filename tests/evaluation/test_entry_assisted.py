"""Answers read out with a keyworker follow the rules of assisted participation (partnerships/assisted.py): never
for a member who turned it off, nor for the keyworker herself; the member is told, sees them on her page of what
was recorded with her, and confirms them there ("This is right") or changes them from her own answers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.models import AuditEvent
from coproduce.evaluation.models import Answer, Subject
from coproduce.evaluation.services.entry import answer_confirm
from coproduce.notifications.models import Notice
from coproduce.partnerships.assisted import NOTICE_KIND, assisted_pending
from coproduce.partnerships.models import Membership, Partnership
from tests.conftest import signed_in
from tests.evaluation.test_entry import a_subject, paper, read_out
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def subject(partnership: Partnership) -> Subject:
    return a_subject(partnership)


def test_a_member_who_turned_assistance_off_is_refused_with_a_clear_message(
    worker: Membership, member: Membership, subject: Subject
) -> None:
    Membership.objects.filter(pk=member.pk).update(assistance_allowed=False)
    member.refresh_from_db()
    with pytest.raises(ServiceError) as refused:
        read_out(worker, subject, member)
    assert refused.value.code == "assistance_off"
    assert "turned off" in refused.value.message
    assert not Answer.objects.exists()


def test_she_is_not_offered_on_the_entry_page_and_a_post_naming_her_saves_nothing(
    worker: Membership, member: Membership, partnership: Partnership, subject: Subject
) -> None:
    Membership.objects.filter(pk=member.pk).update(assistance_allowed=False)
    client = signed_in(worker.user)
    address = reverse("evaluation:enter", kwargs={"slug": partnership.slug})
    page = client.get(address, {"subject": str(subject.pk), "mode": "read_out"}).content.decode()
    assert f'<option value="{member.pk}"' not in page
    assert "are not listed" in page
    data = {
        "subject": str(subject.pk),
        "mode": "read_out",
        "member": str(member.pk),
        "member_agreed": "on",
        "listened": "5",
    }
    response = client.post(address, data)
    assert response.status_code == 200
    assert not Answer.objects.exists()


def test_a_keyworker_who_is_also_a_member_cannot_enter_her_own_answers(
    partnership: Partnership, subject: Subject
) -> None:
    both = MembershipFactory(partnership=partnership, is_member=True)
    from tests.factories import staff_membership

    worker = staff_membership(partnership, role="worker")
    Membership.objects.filter(pk=worker.pk).update(is_member=True)
    worker.refresh_from_db()
    with pytest.raises(ServiceError) as refused:
        read_out(worker, subject, worker)
    assert refused.value.code == "assist_self"
    assert read_out(worker, subject, both).user_id == both.user_id


def test_she_is_told_and_confirms_on_her_page(worker: Membership, member: Membership, subject: Subject) -> None:
    answer = read_out(worker, subject, member)
    notice = Notice.objects.get(user=member.user, kind=NOTICE_KIND)
    assert notice.url == reverse("partnerships:assisted", kwargs={"slug": member.partnership.slug})
    items = assisted_pending(member)
    assert [(i.kind, i.item_id) for i in items] == [("evaluation.answer", answer.pk)]
    assert items[0].summary == "Your answers about Job club"
    assert items[0].change_url == reverse("evaluation:mine", kwargs={"slug": member.partnership.slug})

    client = signed_in(member.user)
    page = client.get(notice.url).content.decode()
    assert "Your answers about Job club" in page
    response = client.post(notice.url, {"action": "confirm", "kind": "evaluation.answer", "item_id": answer.pk})
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.confirmed_at is not None
    assert assisted_pending(member) == []
    assert AuditEvent.objects.filter(action="evaluation.answer_confirmed").count() == 1


def test_only_she_confirms_her_own_read_out_answers_once(
    worker: Membership, member: Membership, partnership: Partnership, subject: Subject
) -> None:
    answer = read_out(worker, subject, member)
    someone_else = MembershipFactory(partnership=partnership, is_member=True)
    with pytest.raises(NotPermitted):
        answer_confirm(member=someone_else, item_id=answer.pk)
    with pytest.raises(NotPermitted):
        answer_confirm(member=worker, item_id=answer.pk)
    answer_confirm(member=member, item_id=answer.pk)
    with pytest.raises(NotPermitted):
        answer_confirm(member=member, item_id=answer.pk)  # once
    on_paper = paper(worker, subject)
    with pytest.raises(NotPermitted):
        answer_confirm(member=member, item_id=on_paper.pk)  # a paper form is nobody's


def test_the_answer_says_its_channel_in_the_shared_terms(
    worker: Membership, member: Membership, subject: Subject
) -> None:
    assert read_out(worker, subject, member).channel == "assisted"
    assert paper(worker, subject).channel == "paper"
