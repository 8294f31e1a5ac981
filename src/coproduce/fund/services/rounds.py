"""Rounds: their settings, checked, and their budget, which must fit what the fund has available."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from coproduce.core.audit import audit_record
from coproduce.core.exceptions import ServiceError
from coproduce.core.guards import same_partnership, text_checked
from coproduce.core.money import format_pence
from coproduce.core.permissions import require_rule
from coproduce.fund.models import TEXT_MAX, TITLE_MAX, Round
from coproduce.fund.services._common import amount
from coproduce.fund.services.ledger import available_pence
from coproduce.partnerships.models import Membership
from coproduce.partnerships.services import partnership_lock


@dataclass
class RoundSettings:
    title: str
    description: str
    budget_pence: int
    ballot_kind: str
    min_choices: int
    max_choices: int
    within_budget: bool
    points: int
    voters: str
    completion: str
    proposals_from: datetime
    review_from: datetime
    voting_from: datetime
    results_from: datetime
    delivery_from: datetime


def _check_round_settings(settings_: RoundSettings) -> None:
    settings_.title = text_checked(
        settings_.title,
        field="title",
        max_length=TITLE_MAX,
        required=_("Enter a title for the round."),
        too_long=_("The title must be %(max)d characters or fewer."),
    )
    settings_.description = (settings_.description or "").strip()
    if len(settings_.description) > TEXT_MAX:
        raise ServiceError(_("The description is too long."), field="description")
    amount(settings_.budget_pence, field="budget", message=_("Enter a budget of more than £0."))
    if settings_.ballot_kind not in Round.Kind.values:
        raise ServiceError(_("Choose the kind of ballot."), field="ballot_kind")
    if settings_.voters not in Round.Voters.values:
        raise ServiceError(_("Choose who votes."), field="voters")
    if settings_.completion not in Round.Completion.values:
        raise ServiceError(_("Choose how left-over money is spent."), field="completion")
    if settings_.min_choices < 1:
        raise ServiceError(_("People must choose at least 1 project."), field="min_choices")
    if settings_.max_choices < settings_.min_choices:
        raise ServiceError(
            _("The most projects someone may choose cannot be less than the fewest."), field="max_choices"
        )
    if settings_.points < 1:
        raise ServiceError(_("Give each voter at least 1 point."), field="points")
    dates = [
        ("review_from", settings_.review_from, settings_.proposals_from),
        ("voting_from", settings_.voting_from, settings_.review_from),
        ("results_from", settings_.results_from, settings_.voting_from),
    ]
    for field, later, earlier in dates:
        if later <= earlier:
            raise ServiceError(_("Each phase must start after the one before it."), field=field, code="dates")
    if settings_.delivery_from < settings_.results_from:
        raise ServiceError(_("Delivery cannot start before the results."), field="delivery_from", code="dates")


def _budget_fits(partnership_id: int, budget_pence: int, *, excluding_round: int | None) -> None:
    available = available_pence(partnership_id, excluding_round=excluding_round)
    if budget_pence > available:
        raise ServiceError(
            _("The budget is more than the fund has available (%(available)s). Lower it, or record money received.")
            % {"available": format_pence(available)},
            field="budget",
            code="over_available",
        )


def round_create(*, actor: Membership, settings_: RoundSettings) -> Round:
    require_rule("fund.manage_rounds", actor)
    _check_round_settings(settings_)
    with transaction.atomic(durable=True):
        partnership_lock(actor.partnership_id)
        _budget_fits(actor.partnership_id, settings_.budget_pence, excluding_round=None)
        round_ = Round.objects.create(partnership_id=actor.partnership_id, created_by=actor.user, **vars(settings_))
        audit_record(
            actor=actor.user,
            action="fund.round_created",
            partnership_id=actor.partnership_id,
            target=round_,
            detail={"budget_pence": settings_.budget_pence},
        )
    return round_


def round_update(*, actor: Membership, round_: Round, settings_: RoundSettings) -> Round:
    require_rule("fund.manage_rounds", actor)
    same_partnership(actor, round_)
    _check_round_settings(settings_)
    with transaction.atomic(durable=True):
        partnership_lock(actor.partnership_id)
        locked = Round.objects.select_for_update().get(pk=round_.pk)
        if locked.phase in ("voting", "results", "delivery"):
            raise ServiceError(
                _("Voting in this round has started, so its settings can no longer change."), code="voting_started"
            )
        _budget_fits(actor.partnership_id, settings_.budget_pence, excluding_round=locked.pk)
        too_dear = locked.proposals.filter(cost_pence__gt=settings_.budget_pence).exists()
        if too_dear:
            raise ServiceError(
                _("A proposal in this round costs more than that budget. Review its cost first."), field="budget"
            )
        for field, value in vars(settings_).items():
            setattr(locked, field, value)
        locked.save()
        audit_record(
            actor=actor.user,
            action="fund.round_changed",
            partnership_id=actor.partnership_id,
            target=locked,
        )
    return locked
