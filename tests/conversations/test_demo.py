"""The demo conversation: three groups, a visible member/staff difference, loaded once."""

from __future__ import annotations

import pytest

from coproduce.conversations import demo, selectors
from coproduce.conversations.models import Conversation, Snapshot, Vote
from coproduce.partnerships import demo as partnership_demo
from coproduce.partnerships.assisted import Channel
from coproduce.partnerships.demo import DEMO_SLUG, DemoContext
from coproduce.voice import demo as voice_demo

pytestmark = pytest.mark.django_db


def test_the_demo_conversation_has_groups_and_a_member_staff_difference_and_loads_once() -> None:
    ctx = DemoContext()
    partnership_demo.load(ctx)
    voice_demo.load(ctx)
    demo.load(ctx)
    conversation = Conversation.objects.get(topic=demo.TOPIC)
    snapshot = Snapshot.objects.get(conversation=conversation)
    assert 2 <= len(snapshot.result["groups"]) <= 3
    lens = selectors.coproduction_lens(conversation)
    assert lens.differ_most and lens.differ_most[0].gap >= 50
    assert conversation.statements.filter(source_idea_id__isnull=False).exists()
    # Votes Jamie recorded with members: Hannah's confirmed, Tom's waiting for him.
    assisted = Vote.objects.filter(conversation=conversation, channel=Channel.ASSISTED)
    hannah, tom = (ctx.memberships[(DEMO_SLUG, key)].user for key in ("hannah", "tom"))
    jamie = ctx.memberships[(DEMO_SLUG, "jamie")].user
    assert assisted.filter(participant__user=hannah).exists()
    assert not assisted.filter(participant__user=hannah, confirmed_at__isnull=True).exists()
    assert assisted.filter(participant__user=tom, confirmed_at__isnull=True).exists()
    assert set(assisted.values_list("recorded_by", flat=True)) == {jamie.pk}
    assert not Vote.objects.filter(conversation=conversation, participant__user__in=[hannah, tom], channel="self")
    channels = selectors.vote_channels(conversation)
    assert channels.members_assisted == assisted.count()
    assert channels.members_self > 0
    assert channels.staff > 0
    votes = Vote.objects.count()
    demo.load(ctx)
    assert Conversation.objects.filter(topic=demo.TOPIC).count() == 1
    assert Vote.objects.count() == votes
