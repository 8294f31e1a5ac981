"""One of each kind of commitment, made the way the capabilities make them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from coproduce.fund.models import Award, AwardPayment, Round
from coproduce.improvement import services as improvement
from coproduce.improvement.models import StoppedPractice, TestOfChange
from coproduce.voice.models import Idea
from coproduce.voice.services import idea_respond
from tests.factories import OrganisationFactory
from tests.fund.helpers import make_proposal, phase_dates
from tests.improvement.conftest import fields
from tests.voice.factories import IdeaFactory


def adopted_test(actor: Any, *, review_in_days: int = 30, title: str = "Evening drop-in") -> TestOfChange:
    test = improvement.pdsa_create(actor=actor, fields=fields(title=title))
    improvement.decision_record(
        actor=actor,
        test=test,
        kind="adopt",
        reasons="It worked.",
        review_on=timezone.localdate() + timedelta(days=review_in_days),
    )
    return test


def stopped_practice(actor: Any, *, review_on: Any = None, what: str = "The paper sign-in book") -> StoppedPractice:
    return improvement.stopped_create(actor=actor, what=what, why="Nobody read it.", review_on=review_on)


def idea_we_will_do(coordinator: Any, *, title: str = "A crèche at the job fair", done: bool = False) -> Idea:
    idea = IdeaFactory(partnership=coordinator.partnership, title=title)
    idea_respond(actor=coordinator, idea=idea, status="in_progress", text="We will do this in the spring.")
    if done:
        idea.refresh_from_db()
        idea_respond(actor=coordinator, idea=idea, status="done", text="Done: it ran in April.")
    idea.refresh_from_db()
    return idea


def award(partnership: Any, *, delivery_in_days: int = -3, paid: int = 0, organisation: Any = None) -> Award:
    # Every phase moved together: delivery began ``delivery_in_days`` days from now (negative: ago).
    shifted = {field: when + timedelta(days=delivery_in_days) for field, when in phase_dates("delivery").items()}
    round_ = Round.objects.create(partnership=partnership, title="Spring round", budget_pence=1_000_000, **shifted)
    proposal = make_proposal(
        round_,
        title="Saturday football for dads",
        delivered_by=organisation
        or OrganisationFactory(partnership=partnership, name=f"Riverside Sports {Award.objects.count() or ''}".strip()),
    )
    made = Award.objects.create(
        partnership=partnership, round=round_, proposal=proposal, amount_pence=proposal.cost_pence
    )
    if paid:
        AwardPayment.objects.create(award=made, amount_pence=paid)
    return made


@pytest.fixture
def one_of_each(worker: Any, coordinator: Any, partnership: Any) -> dict[str, Any]:
    return {
        "adopted": adopted_test(worker),
        "stopped": stopped_practice(worker, review_on=timezone.localdate() + timedelta(days=90)),
        "idea": idea_we_will_do(coordinator),
        "award": award(partnership),
    }
