"""Reading a conversation for its Pol.is export (coordinators only: it holds every numbered person's
votes and the history of their votes, as Pol.is's own exports do). The files are written by
``methods.polis_csv``, the zip by ``polis_io``."""

from __future__ import annotations

from collections.abc import Hashable
from datetime import datetime

from django.utils import timezone

from coproduce.conversations import polis_io
from coproduce.conversations.models import Conversation, Participant, Snapshot, Statement, VoteEvent
from coproduce.methods import polis_csv

MODERATED: dict[str, int] = {
    Statement.Status.PUBLISHED: 1,
    Statement.Status.PENDING: 0,
    Statement.Status.MODERATED_OUT: -1,
}


def polis_export(conversation: Conversation) -> polis_io.Export:
    """The conversation as a Pol.is export (every vote in the history; group ids from our latest map,
    or, before one, those imported from Pol.is)."""
    participants = list(
        Participant.objects.filter(conversation=conversation)
        .order_by("number")
        .values_list("pk", "number", "user_id", "imported_group")
    )
    number_of = {pk: number for pk, number, _user, _group in participants}
    number_of_user: dict[int | None, int] = {user: number for _pk, number, user, _group in participants if user}
    statements = list(conversation.statements.order_by("number"))
    statement_number = {s.pk: s.number for s in statements}
    rows = [
        polis_csv.Statement(
            id=s.number,
            text=s.text,
            author=s.author_participant if s.author_participant is not None else number_of_user.get(s.author_id),
            moderated=MODERATED[s.status],
            timestamp=polis_io.ms(s.created_at),
        )
        for s in statements
    ]
    history = [
        (number_of[pid], statement_number[sid], value, float(polis_io.ms(at)))
        for pid, sid, value, at in VoteEvent.objects.filter(conversation=conversation)
        .order_by("cast_at", "pk")
        .values_list("participant_id", "statement_id", "value", "cast_at")
    ]
    imported: dict[Hashable, int | None] = {}  # everyone, blank where Pol.is put them in no group
    if any(group is not None for *_p, group in participants):
        imported = {number: group for _pk, number, _u, group in participants}
    snapshot = Snapshot.objects.filter(conversation=conversation).values_list("result", "computed_at").first()
    groups: dict[Hashable, int | None] = {}
    export = polis_io.Export(
        conversation_id=conversation.pk,
        topic=conversation.topic,
        files={},
        groups_from="none",
    )
    if snapshot is not None:
        result, export.computed_at = snapshot
        ours = (result or {}).get("participants") or {}
        groups = {number_of[int(pk)]: group for pk, group in ours.items() if int(pk) in number_of}
        export.groups_from = "map"
        if imported:
            export.imported_groups = polis_csv.groups_text(imported)
    elif imported:
        groups, export.groups_from = imported, "imported"
    export.files = polis_csv.export_texts(rows, history, groups, [number for _pk, number, _u, _g in participants])
    export.files[polis_csv.SUMMARY] = polis_csv.summary_text(
        conversation.topic,
        conversation.description,
        voters=len({number for number, *_rest in history}),
        commenters=len({row.author for row in rows if row.author is not None}),
        comments=len(rows),
        groups=len({group for group in groups.values() if group is not None}) if export.groups_from != "none" else None,
    )
    return export


def polis_export_file(conversation: Conversation, name: str) -> str:
    """One file of the Pol.is export of ``conversation``: ``comments``, ``votes``, ``participants-votes`` or
    ``summary``."""
    if name not in polis_io.EXPORT_FILES:
        raise ValueError(name)
    return polis_export(conversation).files[f"{name}.csv"]


def polis_export_zip(conversation: Conversation, now: datetime | None = None) -> bytes:
    """All the export's files in one zip, in a folder named after the conversation, with a README.txt
    naming the conversation and the time of the export."""
    return polis_io.zip_bytes(
        polis_export(conversation), partnership=conversation.partnership.name, now=now or timezone.now()
    )
