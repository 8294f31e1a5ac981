"""Ideas recorded with a member by a keyworker (assisted participation): who may, with whom, her notice, her
confirm-or-change, and "equal voice" counting them apart."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.models import AuditEvent
from coproduce.notifications.models import Notice
from coproduce.partnerships.assisted import Channel, assisted_pending
from coproduce.voice import selectors, services
from coproduce.voice.models import Idea
from tests.conftest import signed_in
from tests.factories import MembershipFactory, PartnershipFactory, staff_membership


def url(name: str, partnership: Any, **kwargs: Any) -> str:
    return reverse(f"voice:{name}", kwargs={"slug": partnership.slug, **kwargs})


def assisted_page(partnership: Any) -> str:
    return reverse("partnerships:assisted", kwargs={"slug": partnership.slug})


def form(who: Any, **changes: Any) -> dict[str, Any]:
    return {
        "member": who.pk,
        "title": "Evening classes",
        "body": "Classes after the children are in bed.",
        "show_name": "on",
        "agreed": "on",
        **changes,
    }


class TestRecording:
    @pytest.mark.parametrize("role", ["worker", "coordinator"])
    def test_staff_record_an_idea_as_the_members_marked_and_she_is_told(
        self, partnership: Any, member: Any, role: str
    ) -> None:
        recorder = staff_membership(partnership, role=role)
        response = signed_in(recorder.user).post(url("idea-record-with", partnership), form(member))
        assert response.status_code == 302
        idea = Idea.objects.get()
        assert (idea.author_id, idea.author_kind, idea.channel) == (member.user_id, "member", Channel.ASSISTED)
        assert idea.recorded_by_id == recorder.user_id
        assert idea.confirmed_at is None
        notice = Notice.objects.get(user=member.user)
        assert notice.url == assisted_page(partnership)
        assert recorder.user.name in notice.text
        event = AuditEvent.objects.get(action="voice.idea_recorded_with")
        assert event.actor_id == recorder.user_id
        page = signed_in(member.user).get(url("idea", partnership, idea_id=idea.pk)).content.decode()
        assert "Recorded with a keyworker" in page

    def test_the_form_is_shown_with_the_members_who_allow_it(self, partnership: Any, worker: Any, member: Any) -> None:
        off = MembershipFactory(partnership=partnership, assistance_allowed=False)
        page = signed_in(worker.user).get(url("idea-record-with", partnership)).content.decode()
        assert member.user.name in page
        assert off.user.name not in page
        ideas = signed_in(worker.user).get(url("ideas", partnership)).content.decode()
        assert "Record an idea with a member" in ideas

    def test_members_do_not_see_the_link(self, member: Any) -> None:
        ideas = signed_in(member.user).get(url("ideas", member.partnership)).content.decode()
        assert "Record an idea with a member" not in ideas

    @pytest.mark.parametrize("role", ["member", "observer", "partner_lead"])
    def test_anyone_else_gets_not_found_and_nothing_is_saved(self, partnership: Any, member: Any, role: str) -> None:
        if role == "member":
            person = MembershipFactory(partnership=partnership)
        elif role == "observer":
            person = MembershipFactory(partnership=partnership, is_member=False, is_observer=True)
        else:
            person = staff_membership(partnership, role=role)
        response = signed_in(person.user).post(url("idea-record-with", partnership), form(member))
        assert response.status_code == 404
        assert not Idea.objects.exists()

    def test_not_ticked_is_refused_with_a_clear_message(self, worker: Any, member: Any) -> None:
        data = form(member)
        del data["agreed"]
        response = signed_in(worker.user).post(url("idea-record-with", worker.partnership), data)
        assert response.status_code == 200
        assert "Tick the box to confirm the member agreed" in response.content.decode()
        assert not Idea.objects.exists()

    def test_a_member_who_turned_it_off_cannot_be_chosen(self, partnership: Any, worker: Any) -> None:
        off = MembershipFactory(partnership=partnership, assistance_allowed=False)
        assert (
            f'value="{off.pk}"' not in signed_in(worker.user).get(url("idea-record-with", partnership)).content.decode()
        )
        # a form shown before she turned it off: refused in words
        response = signed_in(worker.user).post(url("idea-record-with", partnership), form(off))
        assert response.status_code == 200
        assert "has turned off keyworkers recording their views with them" in response.content.decode()
        assert not Idea.objects.exists()
        # and the service refuses too, in words
        with pytest.raises(ServiceError) as error:
            services.idea_record_with(actor=worker, member=off, agreed=True, title="T", body="B")
        assert error.value.code == "assistance_off"

    def test_another_partnerships_member_is_not_found(self, worker: Any) -> None:
        elsewhere = MembershipFactory(partnership=PartnershipFactory())
        response = signed_in(worker.user).post(url("idea-record-with", worker.partnership), form(elsewhere))
        assert response.status_code == 200
        assert "Choose a member from the list." in response.content.decode()
        with pytest.raises(NotPermitted):
            services.idea_record_with(actor=worker, member=elsewhere, agreed=True, title="T", body="B")
        assert not Idea.objects.exists()

    @pytest.mark.parametrize("bad", [{"title": ""}, {"body": ""}, {"member": ""}, {"member": "abc"}])
    def test_bad_input_is_named_and_nothing_saved(self, worker: Any, member: Any, bad: dict[str, str]) -> None:
        response = signed_in(worker.user).post(url("idea-record-with", worker.partnership), form(member, **bad))
        assert response.status_code == 200
        assert "There is a problem" in response.content.decode()
        assert not Idea.objects.exists()

    def test_sent_twice_records_once(self, worker: Any, member: Any) -> None:
        client = signed_in(worker.user)
        client.post(url("idea-record-with", worker.partnership), form(member))
        client.post(url("idea-record-with", worker.partnership), form(member))
        assert Idea.objects.count() == 1


@pytest.fixture
def recorded(worker: Any, member: Any) -> Idea:
    return services.idea_record_with(
        actor=worker, member=member, agreed=True, title="Evening classes", body="After bed."
    )


class TestHerConfirmOrChange:
    def test_it_waits_on_her_page_and_she_confirms_it(self, member: Any, recorded: Idea) -> None:
        client = signed_in(member.user)
        page = client.get(assisted_page(member.partnership)).content.decode()
        assert "Evening classes" in page
        response = client.post(
            assisted_page(member.partnership), {"action": "confirm", "kind": "voice.idea", "item_id": recorded.pk}
        )
        assert response.status_code == 302
        recorded.refresh_from_db()
        assert recorded.confirmed_at is not None
        assert recorded.channel == Channel.ASSISTED  # still counted as recorded with help
        assert assisted_pending(member) == []
        assert AuditEvent.objects.filter(action="voice.assisted_idea_confirmed", actor=member.user).exists()

    def test_another_member_cannot_confirm_it(self, partnership: Any, recorded: Idea) -> None:
        other = MembershipFactory(partnership=partnership)
        response = signed_in(other.user).post(
            assisted_page(partnership), {"action": "confirm", "kind": "voice.idea", "item_id": recorded.pk}
        )
        assert response.status_code == 404
        recorded.refresh_from_db()
        assert recorded.confirmed_at is None

    def test_she_changes_it_and_it_becomes_her_own(self, member: Any, recorded: Idea) -> None:
        # Even after the usual 24 hours, an idea recorded with her can be changed until she confirms it.
        Idea.objects.filter(pk=recorded.pk).update(created_at=recorded.created_at.replace(year=2020))
        client = signed_in(member.user)
        edit = url("idea-edit", member.partnership, idea_id=recorded.pk)
        assert "Your keyworker recorded this idea with you" in client.get(edit).content.decode()
        response = client.post(edit, {"title": "Evening classes, twice a week", "body": "My words.", "show_name": "on"})
        assert response.status_code == 302
        recorded.refresh_from_db()
        assert (recorded.channel, recorded.body) == (Channel.SELF, "My words.")
        assert assisted_pending(member) == []

    def test_the_keyworker_cannot_change_it(self, worker: Any, recorded: Idea) -> None:
        response = signed_in(worker.user).post(
            url("idea-edit", worker.partnership, idea_id=recorded.pk), {"title": "X", "body": "Y"}
        )
        assert response.status_code == 404


class TestEqualVoice:
    def test_ideas_are_counted_apart(self, partnership: Any, worker: Any, member: Any) -> None:
        services.idea_create(actor=member, title="Mine", body="By me.")
        services.idea_record_with(actor=worker, member=member, agreed=True, title="With help", body="Recorded.")
        services.idea_create(actor=worker, title="Staff", body="From staff.")
        report = selectors.equal_voice(member)
        counts = report.idea_channels
        assert (counts.members_self, counts.members_assisted, counts.members_paper, counts.staff) == (1, 1, 0, 1)
        assert report.ideas.from_members == 2
        page = signed_in(member.user).get(url("equal-voice", partnership)).content.decode()
        assert "Members, recorded with a keyworker" in page
