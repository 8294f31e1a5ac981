"""Proposals: put forward, revised by their proposer, and reviewed in public by staff."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.audit import audit_record
from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.guards import same_partnership, text_checked
from coproduce.core.money import format_pence
from coproduce.core.permissions import require_rule
from coproduce.core.richtext import render_markdown
from coproduce.fund.models import REASON_MAX, TEXT_MAX, TITLE_MAX, Proposal, ProposalReview, Round
from coproduce.fund.services._common import amount
from coproduce.notifications import api as notices
from coproduce.partnerships.models import Membership, Organisation
from coproduce.voice import api as voice_api
from coproduce.voice.api import Idea


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
    cost_pence = amount(cost_pence, field="cost", message=_("Enter a cost of more than £0."))
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
    cost_pence = amount(cost_pence, field="cost", message=_("Enter a cost of more than £0."))
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
        if locked.proposer_id is not None:
            outcome = (
                _("Your proposal “%(title)s” is on the ballot, at %(cost)s.")
                if feasible
                else _("Your proposal “%(title)s” cannot go on the ballot. The reason is on its page.")
            )
            notices.notify(
                partnership_id=round_.partnership_id,
                user_ids=[locked.proposer_id],
                kind="fund.proposal_reviewed",
                text=outcome % {"title": locked.title, "cost": format_pence(cost_pence)},
                url=reverse("fund:proposal", kwargs={"slug": actor.partnership.slug, "proposal_id": locked.pk}),
                subject_key=f"fund.proposal:{locked.pk}",
            )
        audit_record(
            actor=actor.user,
            action="fund.proposal_reviewed",
            partnership_id=actor.partnership_id,
            target=locked,
            detail={"feasible": feasible, "cost_pence": cost_pence},
        )
    return review
