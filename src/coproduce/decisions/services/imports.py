"""Raising a ranked or STV decision from a ballot file (BLT): the candidates become its options and the
ballots anonymous answers, marked as imported (no one is named, and no one's group is known)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.exceptions import ServiceError
from coproduce.core.permissions import require_rule
from coproduce.decisions.models import RANKED_METHODS, TITLE_MAX, Decision, OptionValue, Participation
from coproduce.decisions.services._common import audit
from coproduce.decisions.services.decisions import raise_in_transaction
from coproduce.methods.blt import BltError, parse_blt
from coproduce.partnerships.models import Membership

MAX_BYTES = 5_000_000
MAX_PAPERS = 100_000


def decision_import_blt(
    *,
    actor: Membership,
    kind: str,
    method: str,
    data: bytes,
    closes_at: datetime,
    title: str = "",
    seats: int | None = None,
) -> Decision:
    """A coordinator raises a ranked or STV decision from a BLT file: its candidates (withdrawn ones left
    out) and its ballots, counted with anything answered later. ``seats`` defaults to the file's."""
    require_rule("decisions.import", actor)
    if method not in RANKED_METHODS:
        raise ServiceError(_("Only a ranked choice or STV decision can be raised from a ballot file."), field="method")
    if len(data) > MAX_BYTES:
        raise ServiceError(_("The file is too large (at most 5 MB)."), field="file")
    try:
        election = parse_blt(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ServiceError(_("The file is not plain text (UTF-8)."), field="file") from None
    except BltError as error:
        raise ServiceError(str(error), field="file") from None
    papers = sum(b.weight for b in election.ballots)
    if papers > MAX_PAPERS:
        raise ServiceError(_("The file has more than 100 000 ballots."), field="file")
    standing = [n for n in range(1, len(election.candidates) + 1) if n not in election.withdrawn]
    with transaction.atomic(durable=True):
        decision = raise_in_transaction(
            actor=actor,
            kind=kind,
            method=method,
            title=(title or election.title or _("Imported ballots"))[:TITLE_MAX],
            background="",
            options=[election.name(n) for n in standing],
            closes_at=closes_at,
            participants=Decision.Participants.EVERYONE,
            anonymous=True,
            seats=(seats or election.seats) if method == "stv" else None,
        )
        Decision.objects.filter(pk=decision.pk).update(imported=True)
        option_of = dict(zip(standing, decision.options.order_by("position").values_list("pk", flat=True), strict=True))
        now = timezone.now()
        rows: list[Participation] = []
        rankings: list[tuple[int, ...]] = []
        for ballot in election.ballots:
            ranking = tuple(option_of[n] for n in ballot.ranking if n in option_of)
            for _copy in range(ballot.weight):
                rows.append(Participation(decision=decision, imported=True, created_at=now, updated_at=now))
                rankings.append(ranking)
        Participation.objects.bulk_create(rows, batch_size=2000)
        OptionValue.objects.bulk_create(
            [
                OptionValue(participation=row, option_id=option, value=rank, is_rank=True)
                for row, ranking in zip(rows, rankings, strict=True)
                for rank, option in enumerate(ranking, start=1)
            ],
            batch_size=5000,
        )
        audit(actor, "imported", decision, papers=papers)
    decision.refresh_from_db()
    return decision
