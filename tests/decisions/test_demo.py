"""The decisions demo: what the issue asks for, made through the services, and idempotent."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from coproduce.decisions import demo as decisions_demo
from coproduce.decisions.commitments import outcome_commitments, waiting_for_outcome
from coproduce.decisions.models import Decision, DecisionVersion, Participation
from coproduce.governance import demo as governance_demo
from coproduce.methods.decide import DecisionResult
from coproduce.partnerships import demo as partnership_demo
from coproduce.partnerships.demo import DEMO_SLUG, DemoContext

pytestmark = pytest.mark.django_db


def load() -> DemoContext:
    ctx = DemoContext()
    partnership_demo.load(ctx)
    governance_demo.load(ctx)
    decisions_demo.load(ctx)
    return ctx


def test_the_demo_decisions_tell_their_stories_and_load_twice_the_same(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        ctx = load()
    before = (Decision.objects.count(), Participation.objects.count(), DecisionVersion.objects.count())
    with django_capture_on_commit_callbacks(execute=True):
        load()
    assert (Decision.objects.count(), Participation.objects.count(), DecisionVersion.objects.count()) == before
    assert before[0] == 4

    consent = Decision.objects.get(title=decisions_demo.CONSENT)
    assert consent.is_open and consent.version == 2
    assert consent.participations.filter(position="block").count() == 0  # Sam agreed to the amended proposal
    assert consent.participations.filter(version=1).exists()  # Dev's answer was to the first version

    double = DecisionResult.from_json(Decision.objects.get(title=decisions_demo.DOUBLE).result or {})
    assert double.groups["staff"].passed and not double.groups["members"].passed and not double.passed
    assert double.groups["everyone"].positions["yes"] > double.groups["everyone"].positions["no"]

    election = Decision.objects.get(title=decisions_demo.ELECTION)
    result = DecisionResult.from_json(election.result or {})
    labels = dict(election.options.values_list("pk", "label"))
    assert len(result.winners) == 2 and len(result.stages) >= 3
    assert [labels[w] for w in result.winners] == ["Aisha", "Danielle M"]

    coordinator = ctx.memberships[(DEMO_SLUG, "morag")]
    items = outcome_commitments(coordinator)
    overdue = [i for i in items if i.due_on is not None and i.due_on < timezone.localdate() and not i.done]
    assert len(items) == 2 and len(overdue) == 1
    assert waiting_for_outcome(coordinator) == 0
