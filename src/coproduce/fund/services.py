"""Every write in the fund: keyword-only, the acting membership first, permission checked, one
transaction, an audit event, background work enqueued on commit.

Money that a round may spend is checked with the partnership's row locked, so two rounds created at
once cannot both take the last of it. Ballots are written with the ballot's row locked and the round's
close read inside the same transaction; one ballot per person is a unique constraint.
"""

from __future__ import annotations

import hashlib
import hmac
from base64 import b32encode
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.audit import audit_record
from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.guards import same_partnership, text_checked
from coproduce.core.permissions import require_rule
from coproduce.core.richtext import render_markdown
from coproduce.fund.models import (
    REASON_MAX,
    TEXT_MAX,
    TITLE_MAX,
    Award,
    AwardPayment,
    Ballot,
    BallotChoice,
    Contribution,
    Proposal,
    ProposalReview,
    ResultSnapshot,
    Round,
    SpendUpdate,
)
from coproduce.fund.money import MAX_PENCE, format_pence
from coproduce.partnerships.models import Membership, Organisation
from coproduce.partnerships.services import partnership_lock
from coproduce.voice import api as voice_api
from coproduce.voice.api import Idea


def _amount(pence: Any, *, field: str, message: str) -> int:
    if not isinstance(pence, int) or isinstance(pence, bool) or pence <= 0 or pence > MAX_PENCE:
        raise ServiceError(message, field=field, code="amount")
    return pence


# --- The ledger -------------------------------------------------------------------------------


def contribution_record(
    *,
    actor: Membership,
    organisation: Organisation,
    kind: str,
    description: str,
    value_pence: int,
    received: bool = False,
) -> Contribution:
    """A partner lead records their own organisation's contribution; a coordinator, any partner's."""
    require_rule("fund.add_contribution", actor)
    if organisation is None or organisation.partnership_id != actor.partnership_id:
        raise ServiceError(_("Choose one of the partnership's organisations."), field="organisation")
    if not actor.is_coordinator and organisation.pk != actor.organisation_id:
        raise ServiceError(
            _("You can only record contributions from your own organisation. Ask that organisation's partner lead."),
            field="organisation",
            code="other_organisation",
        )
    if kind not in Contribution.Kind.values:
        raise ServiceError(_("Choose money or in kind."), field="kind")
    description = text_checked(
        description,
        field="description",
        max_length=TITLE_MAX,
        required=_("Say what the contribution is."),
        too_long=_("The description must be %(max)d characters or fewer."),
    )
    value_pence = _amount(value_pence, field="value", message=_("Enter a value of more than £0, like 2500 or 2500.50."))
    now = timezone.now()
    with transaction.atomic(durable=True):
        partnership_lock(actor.partnership_id)
        contribution = Contribution.objects.create(
            partnership_id=actor.partnership_id,
            organisation=organisation,
            kind=kind,
            description=description,
            value_pence=value_pence,
            pledged_at=now,
            received_at=now if received else None,
            recorded_by=actor.user,
        )
        audit_record(
            actor=actor.user,
            action="fund.contribution_recorded",
            partnership_id=actor.partnership_id,
            target=contribution,
            detail={"organisation": organisation.pk, "kind": kind, "value_pence": value_pence, "received": received},
        )
    return contribution


def contribution_mark_received(*, actor: Membership, contribution: Contribution) -> Contribution:
    require_rule("fund.add_contribution", actor)
    same_partnership(actor, contribution)
    if not actor.is_coordinator and contribution.organisation_id != actor.organisation_id:
        raise ServiceError(_("Only your own organisation's contributions can be marked as received."))
    with transaction.atomic(durable=True):
        partnership_lock(actor.partnership_id)
        locked = Contribution.objects.select_for_update().get(pk=contribution.pk)
        if locked.received_at is None:  # a second click changes nothing
            locked.received_at = timezone.now()
            locked.save(update_fields=["received_at"])
            audit_record(
                actor=actor.user,
                action="fund.contribution_received",
                partnership_id=actor.partnership_id,
                target=locked,
            )
    return locked


def available_pence(partnership_id: int, *, excluding_round: int | None = None) -> int:
    """Money received, less what open rounds hold and what has been awarded. Call with the
    partnership locked when about to commit money."""
    from coproduce.fund.selectors import ledger_totals

    totals = ledger_totals(partnership_id, excluding_round=excluding_round)
    return int(totals["available"])


# --- Rounds -----------------------------------------------------------------------------------


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
    _amount(settings_.budget_pence, field="budget", message=_("Enter a budget of more than £0."))
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


# --- Proposals --------------------------------------------------------------------------------


def _proposal_fields(
    round_: Round,
    title: str,
    description: str,
    beneficiaries: str,
    cost_pence: int,
    has_conflict: bool,
    conflict_details: str,
) -> tuple[str, str, str, int, str]:
    title = text_checked(
        title,
        field="title",
        max_length=TITLE_MAX,
        required=_("Enter a title for the project."),
        too_long=_("The title must be %(max)d characters or fewer."),
    )
    description = text_checked(
        description,
        field="description",
        max_length=TEXT_MAX,
        required=_("Describe the project."),
        too_long=_("The description must be %(max)d characters or fewer."),
    )
    beneficiaries = text_checked(
        beneficiaries,
        field="beneficiaries",
        max_length=500,
        required=_("Say who would benefit."),
        too_long=_("Who benefits must be %(max)d characters or fewer."),
    )
    cost_pence = _amount(cost_pence, field="cost", message=_("Enter a cost of more than £0."))
    if cost_pence > round_.budget_pence:
        raise ServiceError(
            _("The cost is more than the round's whole budget of %(budget)s.")
            % {"budget": format_pence(round_.budget_pence)},
            field="cost",
            code="over_budget",
        )
    conflict_details = (conflict_details or "").strip()
    if has_conflict and not conflict_details:
        raise ServiceError(_("Say what the conflict of interest is."), field="conflict_details", code="conflict")
    if len(conflict_details) > REASON_MAX:
        raise ServiceError(_("The conflict of interest is too long to record."), field="conflict_details")
    return title, description, beneficiaries, cost_pence, conflict_details if has_conflict else ""


def proposal_create(
    *,
    actor: Membership,
    round_: Round,
    title: str,
    description: str,
    beneficiaries: str,
    cost_pence: int,
    has_conflict: bool,
    conflict_details: str = "",
    delivered_by: Organisation | None = None,
    idea: Idea | None = None,
) -> Proposal:
    """A project put forward in a round. ``idea``: the idea it grew out of (visible to the proposer); the
    idea gets a public response linking to the proposal, so whoever had it sees what became of it."""
    require_rule("fund.propose", actor)
    if idea is not None and idea.partnership_id != actor.partnership_id:
        raise NotPermitted()
    same_partnership(actor, round_)
    if delivered_by is not None and delivered_by.partnership_id != actor.partnership_id:
        raise ServiceError(_("Choose one of the partnership's organisations."), field="delivered_by")
    fields = _proposal_fields(round_, title, description, beneficiaries, cost_pence, has_conflict, conflict_details)
    title, description, beneficiaries, cost_pence, conflict_details = fields
    with transaction.atomic(durable=True):
        locked = Round.objects.select_for_update().get(pk=round_.pk)
        if locked.phase != "proposals":
            raise ServiceError(_("This round is not taking proposals now."), code="closed")
        proposal = Proposal.objects.create(
            round=locked,
            proposer=actor.user,
            title=title,
            description=description,
            description_html=render_markdown(description),
            beneficiaries=beneficiaries,
            cost_pence=cost_pence,
            proposed_cost_pence=cost_pence,
            has_conflict=has_conflict,
            conflict_details=conflict_details,
            delivered_by=delivered_by,
            idea=idea,
        )
        if idea is not None:
            voice_api.response_record(
                actor=actor,
                idea=idea,
                status=voice_api.IdeaStatus.CONSIDERING if idea.status == voice_api.IdeaStatus.NEW else idea.status,
                text=_("This idea is now a proposal for the pooled fund, in the round “%(round)s”.")
                % {"round": locked.title},
                link_url=reverse("fund:proposal", kwargs={"slug": actor.partnership.slug, "proposal_id": proposal.pk}),
                link_label=proposal.title,
                source="fund",
            )
        audit_record(
            actor=actor.user,
            action="fund.proposal_created",
            partnership_id=actor.partnership_id,
            target=proposal,
        )
    return proposal


def proposal_update(
    *,
    actor: Membership,
    proposal: Proposal,
    title: str,
    description: str,
    beneficiaries: str,
    cost_pence: int,
    has_conflict: bool,
    conflict_details: str = "",
    delivered_by: Organisation | None = None,
) -> Proposal:
    """The proposer revises the proposal, until review closes (when voting starts)."""
    same_partnership(actor, proposal.round)
    require_rule("fund.change_proposal", actor, proposal)
    if delivered_by is not None and delivered_by.partnership_id != actor.partnership_id:
        raise ServiceError(_("Choose one of the partnership's organisations."), field="delivered_by")
    with transaction.atomic(durable=True):
        round_ = Round.objects.select_for_update().get(pk=proposal.round_id)
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if round_.phase not in ("proposals", "review"):
            raise ServiceError(
                _("Review has closed for this round, so proposals can no longer be changed."), code="review_closed"
            )
        fields = _proposal_fields(round_, title, description, beneficiaries, cost_pence, has_conflict, conflict_details)
        locked.title, locked.description, locked.beneficiaries, cost_pence, locked.conflict_details = fields
        locked.description_html = render_markdown(locked.description)
        if cost_pence != locked.proposed_cost_pence:
            locked.proposed_cost_pence = cost_pence
            locked.cost_pence = cost_pence
            if locked.status == Proposal.Status.ON_BALLOT:  # a new cost needs a new review
                locked.status = Proposal.Status.SUBMITTED
        locked.has_conflict = has_conflict
        locked.delivered_by = delivered_by
        locked.edited_at = timezone.now()
        locked.save()
        audit_record(
            actor=actor.user,
            action="fund.proposal_changed",
            partnership_id=actor.partnership_id,
            target=locked,
        )
    return locked


def proposal_review(
    *,
    actor: Membership,
    proposal: Proposal,
    feasible: bool,
    cost_pence: int,
    reason: str,
) -> ProposalReview:
    """Staff say in public whether a proposal is feasible and what it will cost, with their reasons.
    Feasible proposals go on the ballot at the reviewed cost."""
    same_partnership(actor, proposal.round)
    require_rule("fund.review", actor)
    if proposal.proposer_id == actor.user_id:
        raise ServiceError(_("Someone else must review your own proposal."), code="own_proposal")
    reason = text_checked(
        reason,
        field="reason",
        max_length=REASON_MAX,
        required=_("Give the reason for your review: people will read it."),
        too_long=_("The reason must be %(max)d characters or fewer."),
    )
    cost_pence = _amount(cost_pence, field="cost", message=_("Enter a cost of more than £0."))
    with transaction.atomic(durable=True):
        round_ = Round.objects.select_for_update().get(pk=proposal.round_id)
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if round_.phase not in ("proposals", "review"):
            raise ServiceError(_("Review has closed for this round."), code="review_closed")
        if cost_pence > round_.budget_pence:
            raise ServiceError(
                _("The cost is more than the round's whole budget of %(budget)s.")
                % {"budget": format_pence(round_.budget_pence)},
                field="cost",
                code="over_budget",
            )
        review = ProposalReview.objects.create(
            proposal=locked, reviewer=actor.user, feasible=feasible, cost_pence=cost_pence, reason=reason
        )
        locked.cost_pence = cost_pence
        locked.status = Proposal.Status.ON_BALLOT if feasible else Proposal.Status.NOT_FEASIBLE
        locked.save(update_fields=["cost_pence", "status"])
        audit_record(
            actor=actor.user,
            action="fund.proposal_reviewed",
            partnership_id=actor.partnership_id,
            target=locked,
            detail={"feasible": feasible, "cost_pence": cost_pence},
        )
    return review


# --- Ballots ----------------------------------------------------------------------------------


def receipt_for(round_id: int, voter_key: str, choices: Mapping[int, int]) -> str:
    """A short code derived from the ballot's content and the site's secret: the same ballot always
    gives the same code, and nobody without the secret can make or guess one. Shown as XXXXX-XXXXX."""
    content = ",".join(f"{pid}:{points}" for pid, points in sorted(choices.items()))
    message = f"coproduce.fund.receipt|{round_id}|{voter_key}|{content}".encode()
    key = hashlib.sha256(b"coproduce.fund.receipt" + settings.SECRET_KEY.encode()).digest()
    code = b32encode(hmac.new(key, message, hashlib.sha256).digest()).decode()[:10]
    return f"{code[:5]}-{code[5:]}"


def check_ballot(round_: Round, costs: Mapping[int, int], choices: Mapping[int, int]) -> tuple[int, int]:
    """Refuse a ballot outside the round's limits; return its total points and total cost.
    ``costs`` holds the proposals on the ballot; ``choices`` proposal id → points (1 for approval)."""
    unknown = set(choices) - set(costs)
    if unknown:
        raise ServiceError(_("Choose only projects that are on this ballot."), field="choices", code="unknown")
    if any(not isinstance(p, int) or isinstance(p, bool) or p < 1 for p in choices.values()):
        raise ServiceError(_("Give each project you back a whole number of points, 1 or more."), field="choices")
    if not choices:
        raise ServiceError(_("Choose at least one project."), field="choices", code="empty")
    total_cost = sum(costs[pid] for pid in choices)
    total_points = sum(choices.values())
    if round_.ballot_kind == Round.Kind.APPROVAL:
        if any(p != 1 for p in choices.values()):
            raise ServiceError(_("Tick the projects you back."), field="choices")
        fewest = min(round_.min_choices, len(costs))
        if len(choices) < fewest:
            raise ServiceError(_("Choose at least %(n)d projects.") % {"n": fewest}, field="choices", code="too_few")
        if len(choices) > round_.max_choices:
            raise ServiceError(
                _("Choose at most %(n)d projects.") % {"n": round_.max_choices}, field="choices", code="too_many"
            )
        if round_.within_budget and total_cost > round_.budget_pence:
            raise ServiceError(
                _("The projects you chose cost %(cost)s together, more than the budget of %(budget)s.")
                % {"cost": format_pence(total_cost), "budget": format_pence(round_.budget_pence)},
                field="choices",
                code="over_budget",
            )
    elif total_points > round_.points:
        raise ServiceError(
            _("You gave %(given)d points, but you have %(points)d to share.")
            % {"given": total_points, "points": round_.points},
            field="choices",
            code="too_many_points",
        )
    return total_points, total_cost


def ballot_submit(*, actor: Membership, round_: Round, choices: Mapping[int, int]) -> Ballot:
    """Cast or change the person's ballot. The same ballot sent again changes nothing (same receipt);
    a ballot after the close is refused; two at once from one person leave one ballot."""
    same_partnership(actor, round_)
    require_rule("fund.vote", actor, round_)
    choices = {int(pid): points for pid, points in choices.items()}
    costs = dict(
        Proposal.objects.filter(round_id=round_.pk, status=Proposal.Status.ON_BALLOT).values_list("pk", "cost_pence")
    )
    total_points, total_cost = check_ballot(round_, costs, choices)
    receipt = receipt_for(round_.pk, f"user:{actor.user_id}", choices)
    with transaction.atomic(durable=True):
        ballot = Ballot.objects.select_for_update().filter(round_id=round_.pk, voter_id=actor.user_id).first()
        current = Round.objects.get(pk=round_.pk)  # the close, as it is now
        if current.phase != "voting":
            raise ServiceError(
                _("Voting in this round has closed.") if current.is_closed_for_voting else _("Voting has not opened."),
                code="closed",
            )
        now = timezone.now()
        if ballot is None:
            try:
                with transaction.atomic():
                    ballot = Ballot.objects.create(
                        round_id=round_.pk,
                        voter_id=actor.user_id,
                        receipt=receipt,
                        total_points=total_points,
                        total_cost_pence=total_cost,
                        created_at=now,
                        updated_at=now,
                    )
            except IntegrityError:
                # Another submission by the same person got there first: change that one instead.
                ballot = Ballot.objects.select_for_update().get(round_id=round_.pk, voter_id=actor.user_id)
            else:
                BallotChoice.objects.bulk_create(
                    [BallotChoice(ballot=ballot, proposal_id=pid, points=p) for pid, p in sorted(choices.items())]
                )
                audit_record(
                    actor=actor.user,
                    action="fund.ballot_cast",
                    partnership_id=actor.partnership_id,
                    target=current,
                )
                return ballot
        if ballot.receipt == receipt:
            return ballot  # the same ballot again: nothing changes
        ballot.choices.all().delete()
        BallotChoice.objects.bulk_create(
            [BallotChoice(ballot=ballot, proposal_id=pid, points=p) for pid, p in sorted(choices.items())]
        )
        ballot.receipt, ballot.total_points, ballot.total_cost_pence = receipt, total_points, total_cost
        ballot.version += 1
        ballot.updated_at = now
        ballot.save(update_fields=["receipt", "total_points", "total_cost_pence", "version", "updated_at"])
        audit_record(
            actor=actor.user,
            action="fund.ballot_changed",
            partnership_id=actor.partnership_id,
            target=current,
        )
    return ballot


# --- Results ----------------------------------------------------------------------------------


def ballots_digest(round_id: int) -> tuple[str, int]:
    """A fingerprint of the ballots as they are: their receipts, which change with their content."""
    receipts = sorted(Ballot.objects.filter(round_id=round_id).values_list("receipt", flat=True))
    return hashlib.sha256("\n".join(receipts).encode()).hexdigest(), len(receipts)


def results_request(*, round_: Round) -> ResultSnapshot | None:
    """Make sure results for the round's ballots as they are now exist or are being worked out; never
    computes them here. None before voting has closed."""
    if not round_.is_closed_for_voting:
        return None
    # After the close no ballot can change, so results already asked for answer for these ballots: the
    # page does not fingerprint every ballot again on each visit.
    latest = (
        ResultSnapshot.objects.filter(
            round_id=round_.pk, completion=round_.completion, requested_at__gte=round_.results_from
        )
        .order_by("-requested_at", "-id")
        .first()
    )
    if latest is not None:
        now = timezone.now()
        failed = latest.status == ResultSnapshot.Status.FAILED
        if (failed and (latest.computed_at is None or now - latest.computed_at > RETRY_FAILED_AFTER)) or (
            latest.status == ResultSnapshot.Status.PENDING and now - latest.requested_at > PENDING_LOST_AFTER
        ):
            _retry(latest)
        return latest
    digest, count = ballots_digest(round_.pk)
    existing = ResultSnapshot.objects.filter(
        round_id=round_.pk, completion=round_.completion, ballots_digest=digest
    ).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic(durable=True):
            snapshot = ResultSnapshot.objects.create(
                round_id=round_.pk, completion=round_.completion, ballots_digest=digest, ballot_count=count
            )
            from coproduce.fund.tasks import compute_results

            transaction.on_commit(lambda: compute_results.enqueue(snapshot.pk))
    except IntegrityError:  # requested at the same moment by someone else
        return ResultSnapshot.objects.get(round_id=round_.pk, completion=round_.completion, ballots_digest=digest)
    return snapshot


RETRY_FAILED_AFTER = timedelta(minutes=5)
# Results pending this long have lost their task before it was enqueued (once enqueued, the worker runs
# again a task it lost, within the stale timeout): the page asks again.
PENDING_LOST_AFTER = timedelta(minutes=30)
# Results normally take seconds; pending this long, the page says it is taking longer than it should.
PENDING_LATE_AFTER = timedelta(minutes=5)


def results_late(snapshot: ResultSnapshot | None) -> bool:
    """Whether results still being worked out should have been ready long ago (no worker is running)."""
    return (
        snapshot is not None
        and snapshot.status == ResultSnapshot.Status.PENDING
        and timezone.now() - snapshot.requested_at > PENDING_LATE_AFTER
    )


def _retry(snapshot: ResultSnapshot) -> None:
    """Queue a failed or lost computation again (at most once per RETRY_FAILED_AFTER or PENDING_LOST_AFTER,
    however often the page is seen: the change is conditional on the state read)."""
    with transaction.atomic(durable=True):
        updated = ResultSnapshot.objects.filter(
            pk=snapshot.pk, status=snapshot.status, requested_at=snapshot.requested_at
        ).update(status=ResultSnapshot.Status.PENDING, computed_at=None, data={}, requested_at=timezone.now())
        if updated:
            from coproduce.fund.tasks import compute_results

            transaction.on_commit(lambda: compute_results.enqueue(snapshot.pk))
    snapshot.refresh_from_db()


def results_compute(*, snapshot_id: int) -> ResultSnapshot:
    """Work out a snapshot's results (called by the background task)."""
    from coproduce.fund.results import compute

    snapshot = ResultSnapshot.objects.select_related("round").get(pk=snapshot_id)
    if snapshot.status == ResultSnapshot.Status.READY:
        return snapshot
    started = timezone.now()
    # A failure is raised for the task to retry; when it fails for good, results_failed records it.
    data, seconds = compute(snapshot.round, snapshot.completion)
    ResultSnapshot.objects.filter(pk=snapshot.pk).update(
        status=ResultSnapshot.Status.READY, data=data, seconds=seconds, computed_at=max(started, timezone.now())
    )
    snapshot.refresh_from_db()
    return snapshot


def results_failed(*, snapshot_id: int) -> None:
    """Record that working out a snapshot's results failed for good (called by the background task), so
    the page says so instead of waiting for ever; the page asks again after RETRY_FAILED_AFTER."""
    ResultSnapshot.objects.filter(pk=snapshot_id).exclude(status=ResultSnapshot.Status.READY).update(
        status=ResultSnapshot.Status.FAILED, computed_at=timezone.now()
    )


# --- Awards, payments, spending ---------------------------------------------------------------


def awards_make(*, actor: Membership, round_: Round) -> list[Award]:
    """Award the funded projects of the round's latest results. Once only."""
    require_rule("fund.manage_rounds", actor)
    same_partnership(actor, round_)
    from coproduce.fund.selectors import latest_results

    with transaction.atomic(durable=True):
        partnership_lock(actor.partnership_id)
        locked = Round.objects.select_for_update().get(pk=round_.pk)
        if locked.awards_made_at is not None:
            raise ServiceError(_("Awards for this round have already been made."), code="done")
        if locked.imported_from:
            raise ServiceError(
                _("A round imported from a file holds no money, so it makes no awards."), code="imported"
            )
        snapshot = latest_results(locked)
        if snapshot is None or snapshot.status != ResultSnapshot.Status.READY:
            raise ServiceError(_("The results are not ready yet."), code="not_ready")
        funded = [int(pid) for pid in snapshot.data["mes"]["selected"]]
        proposals = {p.pk: p for p in Proposal.objects.filter(round=locked, pk__in=funded)}
        now = timezone.now()
        awards = [
            Award.objects.create(
                partnership_id=actor.partnership_id,
                round=locked,
                proposal=proposals[pid],
                amount_pence=proposals[pid].cost_pence,
                holder_id=proposals[pid].proposer_id,
                organisation=proposals[pid].delivered_by,
                awarded_at=now,
                awarded_by=actor.user,
            )
            for pid in funded
            if pid in proposals
        ]
        locked.awards_made_at = now
        locked.save(update_fields=["awards_made_at"])
        audit_record(
            actor=actor.user,
            action="fund.awards_made",
            partnership_id=actor.partnership_id,
            target=locked,
            detail={"awards": len(awards), "pence": sum(a.amount_pence for a in awards)},
        )
    return awards


def payment_record(*, actor: Membership, award: Award, amount_pence: int) -> AwardPayment:
    require_rule("fund.record_payment", actor)
    same_partnership(actor, award)
    amount_pence = _amount(amount_pence, field="amount", message=_("Enter an amount of more than £0."))
    with transaction.atomic(durable=True):
        locked = Award.objects.select_for_update().get(pk=award.pk)
        paid = sum(locked.payments.values_list("amount_pence", flat=True))
        if paid + amount_pence > locked.amount_pence:
            raise ServiceError(
                _("That would pay more than the award: %(left)s is left to pay.")
                % {"left": format_pence(locked.amount_pence - paid)},
                field="amount",
                code="over_award",
            )
        payment = AwardPayment.objects.create(award=locked, amount_pence=amount_pence, recorded_by=actor.user)
        audit_record(
            actor=actor.user,
            action="fund.payment_recorded",
            partnership_id=actor.partnership_id,
            target=locked,
            detail={"amount_pence": amount_pence},
        )
    return payment


def spend_report(*, actor: Membership, award: Award, spent_to_date_pence: int, note: str) -> SpendUpdate:
    same_partnership(actor, award)
    require_rule("fund.report_spend", actor, award)
    note = text_checked(
        note,
        field="note",
        max_length=REASON_MAX,
        required=_("Say what the money has been spent on."),
        too_long=_("The note must be %(max)d characters or fewer."),
    )
    if not isinstance(spent_to_date_pence, int) or spent_to_date_pence < 0 or spent_to_date_pence > MAX_PENCE:
        raise ServiceError(_("Enter the amount spent so far, like 120 or 120.50."), field="spent")
    with transaction.atomic(durable=True):
        locked = Award.objects.select_for_update().get(pk=award.pk)
        update = SpendUpdate.objects.create(
            award=locked, spent_to_date_pence=spent_to_date_pence, note=note, author=actor.user
        )
        audit_record(
            actor=actor.user,
            action="fund.spend_reported",
            partnership_id=actor.partnership_id,
            target=locked,
        )
    return update
