"""``coproduce generate-load-data``: the sizes asked for, every kept count equal to its recount, the same rows for
the same seed, and SQLite refusing national scale. (COPY is used on PostgreSQL: the suite's PostgreSQL run
covers it.)"""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import Count, F, Max, Q, Sum

from coproduce.accounts.models import User
from coproduce.conversations.models import Conversation, Participant, Vote, VoteEvent
from coproduce.core.management.commands.generate_load_data import TARGETS, split, targets_for, zipf_weights
from coproduce.fund.models import Ballot
from coproduce.learning.models import Event, Registration
from coproduce.partnerships.models import Membership, Partnership
from coproduce.support.models import PlanChange
from coproduce.voice.models import Comment, Idea

SCALE = 0.0005
ANCHOR = date(2026, 12, 7)


def generate(seed: int, scale: float = SCALE) -> str:
    out = StringIO()
    call_command("generate_load_data", scale=scale, seed=seed, anchor=ANCHOR, stdout=out)
    return out.getvalue()


def fingerprint(seed: int) -> list[object]:
    load = Partnership.objects.filter(slug__startswith=f"load-{seed}-")
    ideas = Idea.objects.filter(partnership__in=load).order_by("id")
    votes = Vote.objects.filter(conversation__partnership__in=load).order_by("id")
    return [
        list(ideas.values_list("title", "body", "status", "comment_count", "created_at")),
        list(votes.values_list("value", "created_at")),
        list(Registration.objects.filter(event__partnership__in=load).order_by("id").values_list("status", "position")),
        list(PlanChange.objects.filter(plan__partnership__in=load).order_by("id").values_list("summary", "changed_at")),
    ]


@pytest.mark.django_db
def test_it_makes_the_sizes_asked_for_with_every_kept_count_right() -> None:
    output = generate(seed=3)
    want = targets_for(SCALE)
    load = Partnership.objects.filter(slug__startswith="load-3-")
    assert load.count() == want["partnerships"]
    members = Membership.objects.filter(partnership__in=load)
    assert members.filter(is_member=True).count() == want["members"]
    assert members.filter(Q(is_worker=True) | Q(is_coordinator=True) | Q(is_partner_lead=True)).count() == want["staff"]
    assert Idea.objects.filter(partnership__in=load).count() == want["ideas"]
    assert Comment.objects.filter(idea__partnership__in=load).count() == want["comments"]
    assert Vote.objects.filter(conversation__partnership__in=load).count() == want["votes"]
    assert Ballot.objects.filter(round__partnership__in=load).count() == want["ballots"]
    assert PlanChange.objects.filter(plan__partnership__in=load).count() == want["plan_changes"]
    assert Registration.objects.filter(event__partnership__in=load).count() == want["registrations"]
    assert "rows/s" in output

    # Kept counts equal their recounts.
    assert not Idea.objects.annotate(n=Count("comments")).exclude(comment_count=F("n")).exists()
    assert not Idea.objects.annotate(n=Count("supports")).exclude(support_count=F("n")).exists()
    assert not Participant.objects.annotate(n=Count("votes")).exclude(votes_cast=F("n")).exists()
    published = Count("statements", filter=Q(statements__status="published"))
    assert not Conversation.objects.annotate(n=published).exclude(published_count=F("n")).exists()
    assert VoteEvent.objects.count() == Vote.objects.count()
    ballots = Ballot.objects.annotate(points=Sum("choices__points"), cost=Sum("choices__proposal__cost_pence"))
    assert not ballots.exclude(total_points=F("points")).exists()
    assert not ballots.exclude(total_cost_pence=F("cost")).exists()
    # Places: positions 1…n without gaps, and never more coming than the event has places.
    for event in Event.objects.filter(partnership__in=load).annotate(
        n=Count("registrations"),
        top=Max("registrations__position"),
        coming=Count("registrations", filter=Q(registrations__status="registered")),
    ):
        assert event.top == event.n
        assert event.capacity is None or event.coming <= event.capacity
    # The sequences carry on after the generated ids: an ordinary insert works.
    User.objects.create_user(email="after@example.org")


def made_and_undone(seed: int) -> list[object]:
    """The fingerprint of what the seed makes, with the rows rolled back afterwards."""
    with transaction.atomic():
        generate(seed)
        made = fingerprint(seed)
        transaction.set_rollback(True)
    return made


@pytest.mark.django_db
def test_the_same_seed_makes_the_same_rows() -> None:
    first = made_and_undone(5)
    assert first[0] and first[1]
    assert made_and_undone(5) == first
    assert made_and_undone(6) != first


@pytest.mark.django_db
def test_it_refuses_a_seed_already_made_and_national_scale_on_sqlite() -> None:
    generate(seed=7, scale=0.0002)
    with pytest.raises(CommandError, match="already there"):
        generate(seed=7, scale=0.0002)
    if connection.vendor == "sqlite":
        with pytest.raises(CommandError, match="needs PostgreSQL"):
            generate(seed=8, scale=0.1)


def test_shares_add_up_and_follow_the_weights() -> None:
    shares = split(1000, [1, 1 / 2, 1 / 3, 1 / 4], minimum=10)
    assert sum(shares) == 1000
    assert shares == sorted(shares, reverse=True)
    assert min(shares) >= 10
    assert targets_for(1.0) == TARGETS
    # A few big partnerships, most small: at full scale the biggest has over 30 times the median's ideas.
    ideas = split(TARGETS["ideas"], zipf_weights(TARGETS["partnerships"]))
    assert ideas[0] > 30 * sorted(ideas)[len(ideas) // 2]
    assert targets_for(0.0001)["partnerships"] == 1
