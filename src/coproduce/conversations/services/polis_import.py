"""Importing a Pol.is export (uploaded files or one zip) as a closed conversation of the partnership:
its statements, its numbered participants, every vote in its history and the current votes. The files are
read by ``polis_io`` and ``methods.polis_csv``; this saves what they hold, all or nothing."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, cast

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.conversations import polis_io
from coproduce.conversations.models import (
    DESCRIPTION_MAX,
    STATEMENT_MAX,
    TOPIC_MAX,
    Conversation,
    Participant,
    Statement,
    Vote,
    VoteEvent,
    statement_key,
)
from coproduce.conversations.services.snapshots import snapshot_schedule
from coproduce.core.audit import audit_record
from coproduce.core.exceptions import ServiceError
from coproduce.core.permissions import require_rule
from coproduce.core.richtext import render_markdown
from coproduce.methods import polis_csv
from coproduce.methods.polis_csv import PolisCsvError
from coproduce.partnerships.models import Membership


def _statements(export: polis_csv.PolisExport, now: datetime) -> list[Statement]:
    """The export's comments as statements: words trimmed to fit, duplicates told apart by their id."""
    seen: set[str] = set()
    statements: list[Statement] = []
    for comment in export.statements:
        text = " ".join(comment.text.split())[:STATEMENT_MAX].strip()
        key = statement_key(text)
        if not key:
            raise ServiceError(_("comments.csv: comment %(id)d has no words.") % {"id": comment.id}, field="upload")
        if key in seen:  # Pol.is lets duplicates in; keep them apart here rather than lose their votes
            suffix = f" #{comment.id}"
            key = key[: STATEMENT_MAX - len(suffix)] + suffix
            if key in seen:
                raise ServiceError(
                    _("comments.csv: comment %(id)d repeats another one.") % {"id": comment.id}, field="upload"
                )
        seen.add(key)
        statements.append(
            Statement(
                number=comment.id,
                text=text,
                text_key=key,
                author_participant=cast(int | None, comment.author),
                author_kind=Statement.AuthorKind.SEED,
                status=Statement.Status.MODERATED_OUT if comment.moderated < 0 else Statement.Status.PUBLISHED,
                created_at=polis_io.moment(comment.timestamp) if comment.timestamp else now,
            )
        )
    return statements


def conversation_import(*, actor: Membership, topic: str, uploads: Iterable[Any]) -> Conversation:
    """Import a Pol.is export as a closed conversation of this partnership: its statements, its numbered
    participants (linked to nobody, each with the group-id Pol.is gave them), every vote in its history
    and the current votes (each person's latest on each statement). All or nothing."""
    require_rule("conversations.manage", actor)
    try:
        export = polis_csv.read_files(polis_io.read_uploads(uploads), integer_ids=True)
    except PolisCsvError as error:
        raise ServiceError(polis_io.error_message(error), field="upload", code=str(error.problem)) from error
    topic = (
        " ".join((topic or "").split()) or " ".join((export.topic or "").split()) or _("Imported Pol.is conversation")
    )
    description = (export.description or "")[:DESCRIPTION_MAX]
    now = timezone.now()
    statements = _statements(export, now)
    groups = {cast(int, pid): group for pid, group in (export.groups or {}).items()}
    numbers = sorted({cast(int, pid) for pid, *_rest in export.votes} | set(groups))
    # Oldest first; equal times keep the file's order, and the later row is the latest (as the method reads it).
    history = [
        (cast(int, pid), sid, value, polis_io.moment(ts) if export.timed else now)
        for pid, sid, value, ts in export.votes
    ]
    history.sort(key=lambda vote: vote[3])
    opens_at = min([*(s.created_at for s in statements), *(at for *_v, at in history[:1]), now - timedelta(seconds=1)])
    with transaction.atomic(durable=True):
        conversation = Conversation.objects.create(
            partnership_id=actor.partnership_id,
            topic=topic[:TOPIC_MAX],
            description=description,
            description_html=render_markdown(description),
            participants_may_add=False,
            opens_at=opens_at,
            closes_at=now,
            created_by=actor.user,
            imported_from="Pol.is export",
            published_count=sum(1 for s in statements if s.status == Statement.Status.PUBLISHED),
        )
        for statement in statements:
            statement.conversation = conversation
        Statement.objects.bulk_create(statements, batch_size=1000)
        statement_pk = dict(Statement.objects.filter(conversation=conversation).values_list("number", "pk"))
        voted_on: dict[int, set[int]] = {number: set() for number in numbers}  # each participant's statements
        for voter, sid, _value, _at in history:
            voted_on[voter].add(sid)
        Participant.objects.bulk_create(
            [
                Participant(
                    conversation=conversation,
                    number=number,
                    imported_group=groups.get(number),
                    created_at=now,
                    votes_cast=len(voted_on[number]),
                )
                for number in numbers
            ],
            batch_size=1000,
        )
        participant_pk = dict(Participant.objects.filter(conversation=conversation).values_list("number", "pk"))
        events: list[VoteEvent] = []
        current: dict[tuple[int, int], Vote] = {}
        for voter, sid, value, at in history:
            key = (participant_pk[voter], statement_pk[sid])
            events.append(
                VoteEvent(
                    participant_id=key[0], statement_id=key[1], conversation=conversation, value=value, cast_at=at
                )
            )
            vote = current.setdefault(
                key, Vote(participant_id=key[0], statement_id=key[1], conversation=conversation, created_at=at)
            )
            vote.value, vote.updated_at = value, at
        Vote.objects.bulk_create(current.values(), batch_size=2000)
        VoteEvent.objects.bulk_create(events, batch_size=2000)
        audit_record(
            actor=actor.user,
            action="conversations.imported",
            partnership_id=actor.partnership_id,
            target=conversation,
            detail={
                "statements": len(statements),
                "participants": len(numbers),
                "votes": len(current),
                "votes_cast": len(events),
                "groups_imported": sum(1 for group in groups.values() if group is not None),
            },
        )
        snapshot_schedule(conversation)
    return conversation
