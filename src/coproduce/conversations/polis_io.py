"""Pol.is compatibility: a conversation as the files of a Pol.is export (one at a time, or all in one zip
with a README), and such an export (uploaded files or one zip) imported as a conversation.

The files are read and written by :mod:`coproduce.methods.polis_csv`; this module gathers the
conversation's data for it, saves what it reads, and puts its problems (:class:`PolisCsvError`, which
names the file, line, column and value) in translatable words for the import page.

Pol.is's export convention is used throughout: agree = 1, disagree = -1, pass = 0; comment ids and
participant ids are the statements' and participants' ``number``; ``moderated`` is 1 (published),
0 (waiting) or -1 (taken out). ``votes.csv`` holds every vote as it was cast (``VoteEvent``), oldest
first; a person's vote on a statement is their latest row, as in Pol.is."""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from coproduce.conversations import services
from coproduce.conversations.models import (
    DESCRIPTION_MAX,
    STATEMENT_MAX,
    TOPIC_MAX,
    Conversation,
    Participant,
    Snapshot,
    Statement,
    Vote,
    VoteEvent,
    statement_key,
)
from coproduce.core.audit import audit_record
from coproduce.core.exceptions import ServiceError
from coproduce.core.permissions import require_rule
from coproduce.core.richtext import render_markdown
from coproduce.methods import polis_csv
from coproduce.methods.polis_csv import PolisCsvError, Problem
from coproduce.partnerships.models import Membership

EXPORT_FILES = ("comments", "votes", "participants-votes", "summary")
MODERATED: dict[str, int] = {
    Statement.Status.PUBLISHED: 1,
    Statement.Status.PENDING: 0,
    Statement.Status.MODERATED_OUT: -1,
}
MAX_ZIP_MEMBERS_BYTES = 50 * 1024 * 1024  # the CSV files inside one uploaded zip, together


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _moment(ms: float) -> datetime:
    return datetime.fromtimestamp(ms / 1000, tz=UTC)


# --- Export ----------------------------------------------------------------------------------------


@dataclass
class Export:
    """The files' text (the three Pol.is CSV files and summary.csv), and where the ``group-id`` in
    participants-votes.csv comes from: ``"map"`` (the latest snapshot, computed at ``computed_at``),
    ``"imported"`` (Pol.is's, before any snapshot of ours) or ``"none"``. ``imported_groups`` is the text
    of imported-groups.csv for an imported conversation whose participants-votes.csv gives our groups
    instead ("" otherwise)."""

    files: dict[str, str]
    groups_from: str
    computed_at: datetime | None = None
    imported_groups: str = ""


def export_data(conversation: Conversation) -> Export:
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
            timestamp=_ms(s.created_at),
        )
        for s in statements
    ]
    history = [
        (number_of[pid], statement_number[sid], value, float(_ms(at)))
        for pid, sid, value, at in VoteEvent.objects.filter(conversation=conversation)
        .order_by("cast_at", "pk")
        .values_list("participant_id", "statement_id", "value", "cast_at")
    ]
    imported: dict[Hashable, int | None] = {}  # everyone, blank where Pol.is put them in no group
    if any(group is not None for *_p, group in participants):
        imported = {number: group for _pk, number, _u, group in participants}
    snapshot = Snapshot.objects.filter(conversation=conversation).values_list("result", "computed_at").first()
    groups: dict[Hashable, int | None] = {}
    export = Export(files={}, groups_from="none")
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


def export_file(conversation: Conversation, name: str) -> str:
    """One file of the Pol.is export of ``conversation``: ``comments``, ``votes``, ``participants-votes`` or
    ``summary``."""
    if name not in EXPORT_FILES:
        raise ValueError(name)
    return export_data(conversation).files[f"{name}.csv"]


def zip_name(conversation: Conversation, now: datetime) -> str:
    return f"conversation-{conversation.pk}-polis-export-{now:%Y-%m-%d}.zip"


def _readme(conversation: Conversation, export: Export, now: datetime) -> str:
    if export.groups_from == "map":
        groups = _("the groups of opinion of the map Coproduce worked out at %(when)s (blank: not in the map).") % {
            "when": f"{export.computed_at:%Y-%m-%d %H:%M:%S} UTC"
        }
    elif export.groups_from == "imported":
        groups = _("the groups as imported from Pol.is (Coproduce has not worked out its own map yet).")
    else:
        groups = _("blank: no map has been worked out yet.")
    lines = [
        _("Pol.is export of the conversation “%(topic)s”") % {"topic": conversation.topic},
        _("Partnership: %(name)s") % {"name": conversation.partnership.name},
        _("Exported: %(when)s UTC") % {"when": f"{now.astimezone(UTC):%Y-%m-%d %H:%M:%S}"},
        "",
        _(
            "comments.csv: the statements (comment-id), with their agree and disagree counts; moderated is 1 "
            "(published), 0 (waiting for a coordinator) or -1 (taken out)."
        ),
        _(
            "votes.csv: every vote as it was cast, oldest first (timestamp in milliseconds since 1970). A "
            "person's vote on a statement is their latest row. Agree = 1, disagree = -1, pass = 0."
        ),
        _("participants-votes.csv: one row per person with their latest vote on each statement; group-id is %(groups)s")
        % {"groups": groups},
        _(
            "summary.csv: the topic, how many people voted, how many people added statements, how many statements "
            "there are, how many groups the map has, and the description."
        ),
    ]
    if export.imported_groups:
        lines.append(_("imported-groups.csv: the groups as imported from Pol.is (participant, group-id)."))
    lines += ["", _("People are numbered, never named. The same files can be imported into Coproduce again.")]
    return "\n".join(lines) + "\n"


def export_zip(conversation: Conversation, now: datetime | None = None) -> bytes:
    """All the export's files in one zip, in a folder named after the conversation, with a README.txt
    naming the conversation and the time of the export."""
    now = now or timezone.now()
    export = export_data(conversation)
    files = dict(export.files)
    if export.imported_groups:
        files["imported-groups.csv"] = export.imported_groups
    files["README.txt"] = _readme(conversation, export, now)
    stamp = now.astimezone(UTC).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            info = zipfile.ZipInfo(f"conversation-{conversation.pk}/{name}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode())
    return buffer.getvalue()


# --- Import ----------------------------------------------------------------------------------------


# What is wrong with an uploaded export, by problem (and, where the words differ, by file or column).
MESSAGES: dict[Problem, Any] = {
    Problem.MISSING_FILE: gettext_lazy("The export has no %(file)s file."),
    Problem.UNREADABLE: gettext_lazy("%(file)s cannot be read."),
    Problem.NOT_UTF8: gettext_lazy("“%(file)s” is not a UTF-8 text file."),
    Problem.NOT_CSV: gettext_lazy("%(file)s, line %(line)d cannot be read as CSV."),
    Problem.EMPTY: gettext_lazy("%(file)s is empty: it has no header row."),
    Problem.MISSING_COLUMNS: ngettext_lazy(
        "%(file)s has no column “%(columns)s”.", "%(file)s has no columns “%(columns)s”.", "n"
    ),
    Problem.SHORT_ROW: gettext_lazy("%(file)s, line %(line)d has %(found)d values where the header has %(expected)d."),
    Problem.NOT_A_NUMBER: gettext_lazy(
        "%(file)s, line %(line)d: “%(value)s” in column “%(column)s” is not a whole number."
    ),
    Problem.OUT_OF_RANGE: gettext_lazy(
        "%(file)s, line %(line)d: %(value)s in column “%(column)s” is not between %(low)d and %(high)d."
    ),
    Problem.BAD_VOTE: gettext_lazy(
        "%(file)s, line %(line)d: a vote must be 1, -1 or 0, not %(value)s (column “%(column)s”)."
    ),
    Problem.DUPLICATE_ID: gettext_lazy("%(file)s, line %(line)d: %(column)s %(value)s appears twice."),
    Problem.UNKNOWN_COMMENT: gettext_lazy(
        "%(file)s: column “%(column)s” is for comment %(value)s, which is not in comments.csv."
    ),
}
MESSAGES_FOR: dict[tuple[Problem, str], Any] = {
    (Problem.MISSING_FILE, "votes.csv"): gettext_lazy("The export has no votes.csv (or participants-votes.csv) file."),
    (Problem.UNKNOWN_COMMENT, "votes.csv"): gettext_lazy(
        "%(file)s, line %(line)d: comment %(value)s is not in comments.csv."
    ),
    (Problem.OUT_OF_RANGE, "timestamp"): gettext_lazy(
        "%(file)s, line %(line)d: %(value)s in column “timestamp” is not a time (milliseconds since 1970)."
    ),
}


def error_message(error: PolisCsvError) -> str:
    """The problem with an uploaded export in the words of the import page (translatable)."""
    template = (
        MESSAGES_FOR.get((error.problem, error.file))
        or MESSAGES_FOR.get((error.problem, error.column))
        or MESSAGES.get(error.problem, MESSAGES[Problem.UNREADABLE])
    )
    # A lazy plural picks its form from the "n" in the values, so the values go in before str().
    return str(
        template
        % {
            "file": error.file,
            "line": error.line or 1,
            "column": error.column,
            "value": error.value,
            "columns": "”, “".join(error.columns),
            "n": len(error.columns),
            "found": error.found or 0,
            "expected": error.expected or 0,
            "low": error.low or 0,
            "high": error.high or 0,
        }
    )


def _read_uploads(uploads: Iterable[Any]) -> dict[str, bytes]:
    """The uploaded files as {file name: bytes}; a zip is opened and its CSV files taken (from any folder)."""
    files: dict[str, bytes] = {}

    def add(name: str, data: bytes) -> None:
        if name in files:
            raise ServiceError(
                _("There are two files called “%(name)s”: upload one export at a time.") % {"name": name},
                field="upload",
            )
        files[name] = data

    for upload in uploads:
        name = upload.name.rsplit("/", 1)[-1].lower()
        data = upload.read()
        if not name.endswith(".zip"):
            add(name, data)
            continue
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                members = [
                    info
                    for info in archive.infolist()
                    if not info.is_dir() and info.filename.rsplit("/", 1)[-1].lower().endswith(".csv")
                ]
                if sum(info.file_size for info in members) > MAX_ZIP_MEMBERS_BYTES:
                    raise ServiceError(
                        _("The CSV files in “%(name)s” are too large.") % {"name": upload.name}, field="upload"
                    )
                for info in members:
                    add(info.filename.rsplit("/", 1)[-1].lower(), archive.read(info))
        except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError, OSError) as exc:
            raise ServiceError(
                _("“%(name)s” is not a zip file that can be opened.") % {"name": upload.name}, field="upload"
            ) from exc
    return files


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
                created_at=_moment(comment.timestamp) if comment.timestamp else now,
            )
        )
    return statements


def conversation_import(*, actor: Membership, topic: str, uploads: Iterable[Any]) -> Conversation:
    """Import a Pol.is export as a closed conversation of this partnership: its statements, its numbered
    participants (linked to nobody, each with the group-id Pol.is gave them), every vote in its history
    and the current votes (each person's latest on each statement). All or nothing."""
    require_rule("conversations.manage", actor)
    try:
        export = polis_csv.read_files(_read_uploads(uploads), integer_ids=True)
    except PolisCsvError as error:
        raise ServiceError(error_message(error), field="upload", code=str(error.problem)) from error
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
        (cast(int, pid), sid, value, _moment(ts) if export.timed else now) for pid, sid, value, ts in export.votes
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
        services.snapshot_schedule(conversation)
    return conversation
