"""A member's ballot filled in with her by a worker or coordinator ("assisted"), or entered from the paper
form she filled in ("paper"). The same checks as her own ballot (the round's limits, the close read inside
the transaction, one ballot per person as a unique constraint) and, for paper, one entry per form number
(a unique constraint per round). An existing ballot is never replaced from here: the person entering is
told what is already recorded. Her own ballot, cast later, replaces one recorded with her."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from coproduce.core.audit import audit_record
from coproduce.core.exceptions import ServiceError
from coproduce.core.guards import same_partnership
from coproduce.core.permissions import require_rule
from coproduce.fund.models import PAPER_REF_MAX, Ballot, BallotChoice, Proposal, Round
from coproduce.fund.services.ballots import check_ballot, receipt_for
from coproduce.notifications.api import notices_done, notify
from coproduce.partnerships.assisted import (
    AssistedItem,
    Channel,
    assistance_check,
    assisted_notice,
    confirm_recorded,
    paper_ref_checked,
)
from coproduce.partnerships.models import Membership, Partnership


def recorded_words(ballot: Ballot, *, who: str) -> str:
    """How a ballot already there was recorded, without its choices: ballots stay secret."""
    when = formats.date_format(timezone.localtime(ballot.updated_at), "j F Y, H:i")
    if ballot.channel == Channel.PAPER:
        return _("%(who)s already has a ballot in this round, entered from paper form %(ref)s on %(when)s.") % {
            "who": who,
            "ref": ballot.paper_ref,
            "when": when,
        }
    if ballot.channel == Channel.ASSISTED:
        return _("%(who)s already has a ballot in this round, recorded with her on %(when)s.") % {
            "who": who,
            "when": when,
        }
    return _("%(who)s already has a ballot in this round, cast by herself on %(when)s. She can change it herself.") % {
        "who": who,
        "when": when,
    }


def ballot_record_with(
    *,
    actor: Membership,
    round_: Round,
    member: Membership,
    choices: Mapping[int, int],
    agreed: bool,
    channel: str = Channel.ASSISTED,
    paper_ref: str = "",
) -> Ballot:
    """Record ``member``'s ballot with her (``channel`` "assisted") or from her paper form ("paper", with
    the form's number). Refused when the actor is not a worker or coordinator here, the member turned
    assistance off or did not agree, the round is not open for voting, the ballot breaks the round's
    limits, she already has a ballot, or the form number was entered before."""
    same_partnership(actor, round_)
    require_rule("fund.record_with", actor, round_)
    if channel not in (Channel.ASSISTED, Channel.PAPER):
        raise ServiceError(_("Choose how the ballot was given."), field="channel")
    assistance_check(recorder=actor, member_membership=member, agreed=agreed)
    ref = paper_ref_checked(paper_ref, max_length=PAPER_REF_MAX) if channel == Channel.PAPER else ""
    choices = {int(pid): points for pid, points in choices.items()}
    costs = dict(
        Proposal.objects.filter(round_id=round_.pk, status=Proposal.Status.ON_BALLOT).values_list("pk", "cost_pence")
    )
    total_points, total_cost = check_ballot(round_, costs, choices)
    receipt = receipt_for(round_.pk, f"user:{member.user_id}", choices)
    who = member.user.name
    with transaction.atomic(durable=True):
        current = Round.objects.get(pk=round_.pk)  # the close, as it is now
        if current.phase != "voting":
            raise ServiceError(
                _("Voting in this round has closed.") if current.is_closed_for_voting else _("Voting has not opened."),
                code="closed",
            )
        _refuse_if_taken(current, member, ref, who)
        now = timezone.now()
        try:
            with transaction.atomic():
                ballot = Ballot.objects.create(
                    round_id=current.pk,
                    voter_id=member.user_id,
                    receipt=receipt,
                    total_points=total_points,
                    total_cost_pence=total_cost,
                    created_at=now,
                    updated_at=now,
                    channel=channel,
                    recorded_by_id=actor.user_id,
                    paper_ref=ref,
                )
        except IntegrityError:
            # Her own ballot, or the same form, got there first: say which.
            _refuse_if_taken(current, member, ref, who)
            raise
        BallotChoice.objects.bulk_create(
            [BallotChoice(ballot=ballot, proposal_id=pid, points=p) for pid, p in sorted(choices.items())]
        )
        audit_record(
            actor=actor.user,
            action="fund.ballot_recorded_with" if channel == Channel.ASSISTED else "fund.ballot_from_paper",
            partnership_id=actor.partnership_id,
            target=current,
            detail={"member": member.user_id, **({"form": ref} if ref else {})},
        )
        notify(
            **assisted_notice(
                member_membership=member,
                recorder=actor,
                what=(
                    _("your vote in “%(title)s”")
                    if channel == Channel.ASSISTED
                    else _("your paper ballot for “%(title)s”")
                )
                % {"title": current.title},
                subject_key=f"fund.ballot_with:{ballot.pk}",
            )
        )
    return ballot


def _refuse_if_taken(round_: Round, member: Membership, ref: str, who: str) -> None:
    existing = Ballot.objects.select_for_update().filter(round_id=round_.pk, voter_id=member.user_id).first()
    if existing is not None:
        raise ServiceError(recorded_words(existing, who=who), code="exists")
    if ref and Ballot.objects.filter(round_id=round_.pk, paper_ref=ref).exists():
        raise ServiceError(
            _("Paper form %(ref)s has already been entered in this round.") % {"ref": ref},
            field="paper_ref",
            code="paper_ref_used",
        )


def ballots_pending_for(membership: Membership) -> list[AssistedItem]:
    """The member's ballots recorded with her or from paper that she has not confirmed, in rounds still
    open for voting (so that she can still change them)."""
    now = timezone.now()
    found = (
        Ballot.objects.filter(
            voter_id=membership.user_id,
            round__partnership_id=membership.partnership_id,
            round__voting_from__lte=now,
            round__results_from__gt=now,
            channel__in=[Channel.ASSISTED, Channel.PAPER],
            confirmed_at__isnull=True,
        )
        .select_related("round", "recorded_by")
        .prefetch_related("choices")
        .order_by("created_at", "id")
    )
    ballots = list(found)
    titles = dict(
        Proposal.objects.filter(pk__in={c.proposal_id for b in ballots for c in b.choices.all()}).values_list(
            "pk", "title"
        )
    )
    slug = Partnership.objects.filter(pk=membership.partnership_id).values_list("slug", flat=True).first()
    items = []
    for ballot in ballots:
        chosen = ", ".join(
            f"{titles.get(c.proposal_id, '')} ({c.points})"
            if ballot.round.ballot_kind == Round.Kind.CUMULATIVE
            else titles.get(c.proposal_id, "")
            for c in ballot.choices.all()
        )
        summary = (
            _("Your ballot in “%(title)s”, from paper form %(ref)s: %(chosen)s")
            if ballot.channel == Channel.PAPER
            else _("Your ballot in “%(title)s”: %(chosen)s")
        ) % {"title": ballot.round.title, "ref": ballot.paper_ref, "chosen": chosen}
        items.append(
            AssistedItem(
                kind="fund.ballot",
                item_id=ballot.pk,
                summary=summary,
                recorded_by_name=ballot.recorded_by.name if ballot.recorded_by else _("a keyworker"),
                recorded_at=ballot.created_at,
                change_url=reverse("fund:ballot", kwargs={"slug": slug, "round_id": ballot.round_id}),
                channel=ballot.channel,
            )
        )
    return items


def ballot_confirm(*, member: Membership, item_id: int) -> None:
    """The member says the ballot recorded with her is right."""

    def confirmed(ballot: Ballot) -> None:
        audit_record(
            actor=member.user, action="fund.ballot_confirmed", partnership_id=member.partnership_id, target=ballot.round
        )
        notices_done(partnership_id=member.partnership_id, subject_key=f"fund.ballot_with:{ballot.pk}")

    confirm_recorded(
        Ballot.objects.filter(
            pk=item_id,
            voter_id=member.user_id,
            round__partnership_id=member.partnership_id,
            channel__in=[Channel.ASSISTED, Channel.PAPER],
        ).select_related("round"),
        then=confirmed,
    )
