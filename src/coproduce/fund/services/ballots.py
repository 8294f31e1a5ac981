"""Ballots: checked against the round's limits, written with the ballot's row locked and the round's
close read inside the same transaction; one ballot per person is a unique constraint. Each ballot has a
receipt."""

from __future__ import annotations

import hashlib
import hmac
from base64 import b32encode
from collections.abc import Mapping

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coproduce.core.audit import audit_record
from coproduce.core.exceptions import ServiceError
from coproduce.core.guards import same_partnership
from coproduce.core.money import format_pence
from coproduce.core.permissions import require_rule
from coproduce.fund.models import Ballot, BallotChoice, Proposal, Round
from coproduce.notifications.api import notices_done
from coproduce.partnerships.assisted import Channel
from coproduce.partnerships.models import Membership


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
            raise ServiceError(
                ngettext("Choose at least %(n)d project.", "Choose at least %(n)d projects.", fewest) % {"n": fewest},
                field="choices",
                code="too_few",
            )
        if len(choices) > round_.max_choices:
            raise ServiceError(
                ngettext("Choose at most %(n)d project.", "Choose at most %(n)d projects.", round_.max_choices)
                % {"n": round_.max_choices},
                field="choices",
                code="too_many",
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
            ngettext(
                "You gave %(given)d points, but you have %(points)d to share.",
                "You gave %(given)d points, but you have %(points)d to share.",
                round_.points,
            )
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
        recorded_with = ballot.channel != Channel.SELF
        if ballot.receipt == receipt and not recorded_with:
            return ballot  # the same ballot again: nothing changes
        if recorded_with:
            # Her own ballot replaces one recorded with her or from her paper form (the form's number stays,
            # so the same form cannot be entered again).
            ballot.channel, ballot.recorded_by_id, ballot.confirmed_at = Channel.SELF, None, None
            notices_done(partnership_id=actor.partnership_id, subject_key=f"fund.ballot_with:{ballot.pk}")
        if ballot.receipt != receipt:
            ballot.choices.all().delete()
            BallotChoice.objects.bulk_create(
                [BallotChoice(ballot=ballot, proposal_id=pid, points=p) for pid, p in sorted(choices.items())]
            )
        ballot.receipt, ballot.total_points, ballot.total_cost_pence = receipt, total_points, total_cost
        ballot.version += 1
        ballot.updated_at = now
        ballot.save(
            update_fields=[
                "receipt",
                "total_points",
                "total_cost_pence",
                "version",
                "updated_at",
                "channel",
                "recorded_by",
                "confirmed_at",
            ]
        )
        audit_record(
            actor=actor.user,
            action="fund.ballot_changed",
            partnership_id=actor.partnership_id,
            target=current,
        )
    return ballot
