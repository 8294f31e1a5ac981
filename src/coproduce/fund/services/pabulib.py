"""A Pabulib file (pabulib.org) imported as a round in its results phase, so that an election held elsewhere
can be counted here; the file is read by ``methods.pabulib`` and written in one transaction."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.audit import audit_record
from coproduce.core.exceptions import ServiceError
from coproduce.core.permissions import require_rule
from coproduce.fund.models import TITLE_MAX, Ballot, BallotChoice, Proposal, Round
from coproduce.fund.services.ballots import receipt_for
from coproduce.fund.services.results import results_request
from coproduce.methods.pabulib import PabulibError, parse_pb, to_instance
from coproduce.partnerships.models import Membership

# Importing takes about 0.3 ms a ballot on the project machine: 30 000 ballots keep a page under ~10 s.
MAX_BALLOTS = 30_000


def file_error(error: PabulibError) -> ServiceError:
    if error.line:
        message = _("Line %(line)d of the file: %(reason)s.") % {"line": error.line, "reason": error.reason}
    else:
        message = _("The file cannot be used: %(reason)s.") % {"reason": error.reason}
    return ServiceError(message, field="file", code="pabulib")


def round_import_pabulib(*, actor: Membership, text: str, filename: str) -> Round:
    """A ``.pb`` file as a round in its results phase, with its projects and (nameless) ballots. It holds
    no money from the fund. Malformed files are refused with the line at fault; nothing is half-saved."""
    require_rule("fund.manage_rounds", actor)
    try:
        pb = parse_pb(text, name="")
        instance = to_instance(pb)
    except PabulibError as error:
        raise file_error(error) from error
    except ValueError as error:  # the election itself is not one the method can take
        raise ServiceError(
            _("The file cannot be used: %(reason)s") % {"reason": error}, field="file", code="pabulib"
        ) from error
    long_ids = [pid for pid in instance.costs if len(pid) > 100]
    if long_ids:
        raise ServiceError(
            _("Project id %(id)s… is longer than 100 characters.") % {"id": long_ids[0][:20]},
            field="file",
            code="pabulib",
        )
    if instance.budget <= 0:
        raise ServiceError(_("The file's budget must be more than 0."), field="file", code="pabulib")
    if len(instance.ballots) > MAX_BALLOTS:
        raise ServiceError(
            _(
                "The file has %(n)s ballots: more than the %(max)s a page can import. Use the command "
                "“coproduce budget FILE.pb” to work out its results instead."
            )
            % {"n": f"{len(instance.ballots):,}", "max": f"{MAX_BALLOTS:,}"},
            field="file",
            code="too_big",
        )
    if not any(weight > 0 for ballot in instance.ballots for weight in ballot.values()):
        raise ServiceError(_("The file has no ballots."), field="file", code="pabulib")
    free = [pid for pid, cost in instance.costs.items() if cost <= 0]
    if free:
        raise ServiceError(
            _("Project %(id)s costs nothing: every project needs a cost of more than 0.") % {"id": free[0]},
            field="file",
            code="pabulib",
        )
    names = {p["project_id"]: (p.get("name") or p.get("title") or "").strip() for p in pb.projects}
    now = timezone.now()
    cumulative = instance.kind == "cumulative"
    lengths = [n for n in (sum(1 for w in ballot.values() if w > 0) for ballot in instance.ballots) if n]
    with transaction.atomic(durable=True):
        round_ = Round.objects.create(
            partnership_id=actor.partnership_id,
            title=(pb.meta.get("description") or filename)[:TITLE_MAX] or filename[:TITLE_MAX],
            description=_("Imported from the Pabulib file %(name)s.") % {"name": filename},
            budget_pence=instance.budget * 100,
            ballot_kind=Round.Kind.CUMULATIVE if cumulative else Round.Kind.APPROVAL,
            min_choices=1,
            max_choices=max(lengths),
            points=max(1, max((sum(b.values()) for b in instance.ballots), default=1)),
            voters=Round.Voters.MEMBERS,
            completion=Round.Completion.ADD1,
            proposals_from=now - timedelta(days=4),
            review_from=now - timedelta(days=3),
            voting_from=now - timedelta(days=2),
            results_from=now - timedelta(seconds=1),
            delivery_from=now + timedelta(days=3650),
            imported_from=filename[:200],
            created_by=actor.user,
        )
        proposals = Proposal.objects.bulk_create(
            [
                Proposal(
                    round=round_,
                    external_id=pid,
                    title=(names.get(pid) or _("Project %(id)s") % {"id": pid})[:TITLE_MAX],
                    description=_("Project %(id)s of the imported file.") % {"id": pid},
                    description_html="",
                    beneficiaries="—",
                    cost_pence=cost * 100,
                    proposed_cost_pence=cost * 100,
                    status=Proposal.Status.ON_BALLOT,
                    created_at=now,
                )
                for pid, cost in instance.costs.items()
            ]
        )
        by_external = {p.external_id: p.pk for p in Proposal.objects.filter(round=round_)}
        del proposals
        voter_ids = [v.get("voter_id", str(n)) for n, v in enumerate(pb.votes, start=1)]
        ballots = []
        kept = []
        for number, (voter_id, ballot) in enumerate(zip(voter_ids, instance.ballots, strict=True)):
            choices = {by_external[pid]: weight for pid, weight in ballot.items() if weight > 0}
            if not choices:  # backed nothing (no projects, or 0 points for each): not a ballot to count
                continue
            ballots.append(
                Ballot(
                    round=round_,
                    voter=None,
                    receipt=receipt_for(round_.pk, f"file:{number}:{voter_id}", choices),
                    total_points=sum(choices.values()),
                    total_cost_pence=0,
                    created_at=now,
                    updated_at=now,
                )
            )
            kept.append(choices)
        created = Ballot.objects.bulk_create(ballots, batch_size=2000)
        if any(b.pk is None for b in created):  # some databases do not return ids from bulk inserts
            created = list(Ballot.objects.filter(round=round_).order_by("pk"))
        BallotChoice.objects.bulk_create(
            [
                BallotChoice(ballot_id=ballot.pk, proposal_id=pid, points=points)
                for ballot, choices in zip(created, kept, strict=True)
                for pid, points in choices.items()
            ],
            batch_size=5000,
        )
        audit_record(
            actor=actor.user,
            action="fund.round_imported",
            partnership_id=actor.partnership_id,
            target=round_,
            detail={"file": filename[:200], "ballots": len(kept)},
        )
        transaction.on_commit(lambda: results_request(round_=Round.objects.get(pk=round_.pk)))
    return round_
