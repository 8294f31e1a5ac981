"""Assisted participation's framework (partnerships/assisted.py): the rule, the registry, her page and switch,
and counting apart."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.models import AuditEvent
from coproduce.partnerships import assisted
from coproduce.partnerships.assisted import (
    AssistedItem,
    AssistedKind,
    Channel,
    ChannelCounts,
    RecordWithForm,
    assistable_members,
    assistance_check,
    assisted_member_for,
    assisted_notice,
    register_assisted_kind,
)
from coproduce.partnerships.audit_wording import audit_entries
from coproduce.partnerships.models import Membership
from tests.conftest import signed_in
from tests.factories import MembershipFactory, PartnershipFactory, staff_membership


def page(partnership: Any) -> str:
    return reverse("partnerships:assisted", kwargs={"slug": partnership.slug})


class TestAssistanceCheck:
    def test_a_worker_or_coordinator_may_record_with_a_member_who_agreed(
        self, worker: Any, coordinator: Any, member: Any
    ) -> None:
        assistance_check(recorder=worker, member_membership=member, agreed=True)
        assistance_check(recorder=coordinator, member_membership=member, agreed=True)

    @pytest.mark.parametrize("role", ["partner_lead", "observer"])
    def test_anyone_else_is_refused_as_not_found(self, partnership: Any, member: Any, role: str) -> None:
        if role == "observer":
            recorder = MembershipFactory(partnership=partnership, is_member=False, is_observer=True)
        else:
            recorder = staff_membership(partnership, role=role)
        with pytest.raises(NotPermitted):
            assistance_check(recorder=recorder, member_membership=member, agreed=True)

    def test_a_member_cannot_record_for_another_member(self, partnership: Any, member: Any) -> None:
        other = MembershipFactory(partnership=partnership)
        with pytest.raises(NotPermitted):
            assistance_check(recorder=other, member_membership=member, agreed=True)

    def test_another_partnerships_member_is_not_found(self, worker: Any) -> None:
        elsewhere = MembershipFactory(partnership=PartnershipFactory())
        with pytest.raises(NotPermitted):
            assistance_check(recorder=worker, member_membership=elsewhere, agreed=True)

    def test_a_member_who_turned_it_off_is_refused_in_words(self, worker: Any, member: Any) -> None:
        member.assistance_allowed = False
        with pytest.raises(ServiceError) as error:
            assistance_check(recorder=worker, member_membership=member, agreed=True)
        assert error.value.code == "assistance_off"
        assert member.user.name in error.value.message

    def test_the_box_must_be_ticked(self, worker: Any, member: Any) -> None:
        with pytest.raises(ServiceError) as error:
            assistance_check(recorder=worker, member_membership=member, agreed=False)
        assert error.value.field == "agreed"

    def test_nobody_records_with_themselves(self, partnership: Any) -> None:
        both = staff_membership(partnership, role="worker", is_member=True)
        with pytest.raises(ServiceError) as error:
            assistance_check(recorder=both, member_membership=both, agreed=True)
        assert error.value.code == "assist_self"


class TestChoosingTheMember:
    def test_only_members_here_who_allow_it_are_offered(self, partnership: Any, worker: Any, member: Any) -> None:
        off = MembershipFactory(partnership=partnership, assistance_allowed=False)
        MembershipFactory(partnership=PartnershipFactory())
        staff_membership(partnership, role="coordinator")
        assert list(assistable_members(worker)) == [member]
        assert off not in assistable_members(worker)
        assert not assistable_members(member).exists()

    def test_a_member_is_found_by_id_in_the_partnership_only(self, worker: Any, member: Any) -> None:
        assert assisted_member_for(worker, str(member.pk)) == member
        elsewhere = MembershipFactory(partnership=PartnershipFactory())
        for bad in (elsewhere.pk, worker.pk, "x", None):
            with pytest.raises(NotPermitted):
                assisted_member_for(worker, bad)
        with pytest.raises(NotPermitted):
            assisted_member_for(member, member.pk)

    def test_the_form_offers_the_members_and_needs_one(self, worker: Any, member: Any) -> None:
        form = RecordWithForm({}, recorder=worker)
        assert not form.is_valid()
        assert form.errors["member"] == ["Choose the member you are recording this with."]
        form = RecordWithForm({"member": member.pk, "agreed": "on"}, recorder=worker)
        assert form.is_valid()
        assert form.cleaned_data["member"] == member


class TestNotice:
    def test_links_to_her_page_and_names_the_keyworker(self, worker: Any, member: Any) -> None:
        notice = assisted_notice(member_membership=member, recorder=worker, what="an idea", subject_key="voice.idea:1")
        assert notice["user_ids"] == [member.user_id]
        assert notice["url"] == page(member.partnership)
        assert notice["kind"] == assisted.NOTICE_KIND
        assert worker.user.name in notice["text"]


class TestChannelCounts:
    def test_counts_each_channel_and_staff_apart(self) -> None:
        counts = ChannelCounts.from_pairs(
            [
                ("self", False),
                ("self", False),
                ("assisted", False),
                ("paper", False),
                ("assisted", True),
                ("self", True),
            ]
        )
        assert counts == ChannelCounts(members_self=2, members_assisted=1, members_paper=1, staff=2)
        assert (counts.members, counts.members_helped, counts.total) == (4, 2, 6)
        assert counts + ChannelCounts(1, 0, 0, 0) == ChannelCounts(3, 1, 1, 2)

    def test_the_channel_field_defaults_to_self(self) -> None:
        field = assisted.channel_field()
        assert field.default == Channel.SELF
        assert {value for value, _label in field.choices or []} == {"self", "assisted", "paper"}


# --- Her page ---------------------------------------------------------------------------------------------------

confirmed_items: list[tuple[int, int]] = []


def _pending(membership: Membership) -> list[AssistedItem]:
    if (membership.pk, 7) in confirmed_items:
        return []
    return [
        AssistedItem(
            kind="test.thing",
            item_id=7,
            summary="Your idea: more evening classes",
            recorded_by_name="Jamie Reid",
            recorded_at=timezone.now() - timedelta(hours=1),
            change_url="/somewhere/",
        )
    ]


def _confirm(*, member: Membership, item_id: int) -> None:
    if item_id != 7:
        raise NotPermitted()
    confirmed_items.append((member.pk, item_id))


@pytest.fixture
def test_kind() -> Iterator[None]:
    register_assisted_kind(AssistedKind("test.thing", "Things", pending=_pending, confirm=_confirm))
    confirmed_items.clear()
    yield
    assisted._KINDS.pop("test.thing", None)


@pytest.mark.usefixtures("test_kind")
class TestHerPage:
    def test_lists_what_waits_with_confirm_and_change(self, member: Any) -> None:
        html = signed_in(member.user).get(page(member.partnership)).content.decode()
        assert "Your idea: more evening classes" in html
        assert "Recorded with you by Jamie Reid" in html
        assert "This is right" in html
        assert 'href="/somewhere/"' in html
        assert "Turn this off" in html

    def test_confirming_marks_it_right_and_it_leaves_the_list(self, member: Any) -> None:
        client = signed_in(member.user)
        response = client.post(page(member.partnership), {"action": "confirm", "kind": "test.thing", "item_id": "7"})
        assert response.status_code == 302
        assert confirmed_items == [(member.pk, 7)]
        html = client.get(page(member.partnership)).content.decode()
        assert "Nothing is waiting for you to check." in html

    @pytest.mark.parametrize(
        "data",
        [
            {"action": "confirm", "kind": "nobody.registered", "item_id": "7"},
            {"action": "confirm", "kind": "test.thing", "item_id": "8"},
            {"action": "confirm", "kind": "test.thing", "item_id": "x"},
            {"action": "something"},
        ],
    )
    def test_bad_posts_are_not_found_and_change_nothing(self, member: Any, data: dict[str, str]) -> None:
        response = signed_in(member.user).post(page(member.partnership), data)
        assert response.status_code == 404
        assert confirmed_items == []

    def test_the_switch_turns_off_and_on_audited(self, member: Any) -> None:
        client = signed_in(member.user)
        client.post(page(member.partnership), {"action": "refuse"})
        member.refresh_from_db()
        assert member.assistance_allowed is False
        html = client.get(page(member.partnership)).content.decode()
        assert "Let my keyworker record my views with me" in html
        client.post(page(member.partnership), {"action": "refuse"})  # again: nothing changes, no second event
        client.post(page(member.partnership), {"action": "allow"})
        member.refresh_from_db()
        assert member.assistance_allowed is True
        events = list(AuditEvent.objects.filter(action__startswith="membership.assistance").order_by("pk"))
        assert [e.action for e in events] == ["membership.assistance_off", "membership.assistance_on"]
        sentences = [e.sentence for e in audit_entries(events, partnership_id=member.partnership_id)]
        assert sentences[0] == f"{member.user.name} stopped keyworkers recording their views with them."

    @pytest.mark.parametrize("role", ["worker", "coordinator", "partner_lead"])
    def test_staff_who_are_not_members_do_not_have_the_page(self, partnership: Any, role: str) -> None:
        staff = staff_membership(partnership, role=role)
        client = signed_in(staff.user)
        assert client.get(page(partnership)).status_code == 404
        assert client.post(page(partnership), {"action": "refuse"}).status_code == 404
        assert (
            client.post(page(partnership), {"action": "confirm", "kind": "test.thing", "item_id": "7"}).status_code
            == 404
        )
        assert confirmed_items == []

    def test_observer_and_outsider_are_not_found(self, partnership: Any, member: Any) -> None:
        observer = MembershipFactory(partnership=partnership, is_member=False, is_observer=True)
        outsider = MembershipFactory(partnership=PartnershipFactory())
        for person in (observer, outsider):
            assert signed_in(person.user).post(page(partnership), {"action": "refuse"}).status_code == 404
        member.refresh_from_db()
        assert member.assistance_allowed is True

    def test_the_menu_shows_members_the_page(self, member: Any, worker: Any) -> None:
        from coproduce.partnerships.navigation import nav_items

        assert "assisted" in [item["key"] for item in nav_items(member)]
        assert "assisted" not in [item["key"] for item in nav_items(worker)]
