"""The demo's ideas: one recorded by a keyworker with a member, waiting for her to confirm it, loaded once."""

from __future__ import annotations

import pytest

from coproduce.partnerships import demo as partnership_demo
from coproduce.partnerships.assisted import Channel
from coproduce.partnerships.demo import DEMO_SLUG, DemoContext
from coproduce.partnerships.models import Membership
from coproduce.voice import demo, selectors
from coproduce.voice.models import Idea

pytestmark = pytest.mark.django_db


def test_the_demo_holds_an_idea_recorded_with_aisha_waiting_for_her_and_loads_once() -> None:
    ctx = DemoContext()
    partnership_demo.load(ctx)
    demo.load(ctx)
    aisha = ctx.memberships[(DEMO_SLUG, "aisha")].user
    jamie = ctx.memberships[(DEMO_SLUG, "jamie")].user
    assisted = Idea.objects.get(partnership=ctx.partnerships[DEMO_SLUG], channel=Channel.ASSISTED)
    assert assisted.author == aisha
    assert assisted.recorded_by == jamie
    assert assisted.confirmed_at is None
    # "Who is being heard" counts it apart from members' own ideas and staff's.
    channels = selectors.equal_voice(ctx.memberships[(DEMO_SLUG, "morag")]).idea_channels
    assert channels.members_assisted == 1
    assert channels.members_self >= 1
    assert channels.staff >= 1
    count = Idea.objects.count()
    demo.load(ctx)
    assert Idea.objects.count() == count


def test_the_demo_records_nothing_with_a_member_who_turned_it_off() -> None:
    ctx = DemoContext()
    partnership_demo.load(ctx)
    Membership.objects.filter(pk=ctx.memberships[(DEMO_SLUG, "aisha")].pk).update(assistance_allowed=False)
    demo.load(ctx)
    assert Idea.objects.filter(partnership=ctx.partnerships[DEMO_SLUG]).exists()
    assert not Idea.objects.filter(channel=Channel.ASSISTED).exists()
