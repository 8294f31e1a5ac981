"""Pol.is compatibility: a conversation as the three CSV files of a Pol.is export, and such an export
(uploaded files or one zip) imported as a conversation.

Pol.is's export convention is used throughout: agree = 1, disagree = -1, pass = 0; comment ids and
participant ids are the statements' and participants' ``number``; ``moderated`` is 1 (published),
0 (waiting) or -1 (taken out)."""

from __future__ import annotations

import csv
import io
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.conversations import report as report_data
from coproduce.conversations.models import (
    STATEMENT_MAX,
    TOPIC_MAX,
    Conversation,
    Participant,
    Statement,
    Vote,
    statement_key,
)
from coproduce.core.audit import audit_record
from coproduce.core.exceptions import ServiceError
from coproduce.core.permissions import require_rule
from coproduce.partnerships.models import Membership

EXPORT_FILES = ("comments", "votes", "participants-votes")
MODERATED: dict[str, int] = {
    Statement.Status.PUBLISHED: 1,
    Statement.Status.PENDING: 0,
    Statement.Status.MODERATED_OUT: -1,
}
STATUS_OF_MODERATED = {1: Statement.Status.PUBLISHED, 0: Statement.Status.PUBLISHED, -1: Statement.Status.MODERATED_OUT}
COMMENT_COLUMNS = [
    "timestamp",
    "datetime",
    "comment-id",
    "author-id",
    "agrees",
    "disagrees",
    "moderated",
    "comment-body",
]
VOTE_COLUMNS = ["timestamp", "datetime", "comment-id", "voter-id", "vote"]
PV_COLUMNS = ["participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"]


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _pretty(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%a %b %d %H:%M:%S UTC %Y")


def _csv(header: list[str], rows: Iterable[list[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def export_file(conversation: Conversation, name: str) -> str:
    """One file of the Pol.is export of ``conversation``: ``comments``, ``votes`` or ``participants-votes``."""
    statements = list(conversation.statements.order_by("number"))
    number_of_statement = {s.pk: s.number for s in statements}
    participants = dict(Participant.objects.filter(conversation=conversation).values_list("pk", "number"))
    votes = list(
        Vote.objects.filter(conversation=conversation)
        .order_by("updated_at", "pk")
        .values_list("participant_id", "statement_id", "value", "updated_at")
    )
    if name == "votes":
        return _csv(
            VOTE_COLUMNS,
            (
                [_ms(at), _pretty(at), number_of_statement[sid], participants[pid], value]
                for pid, sid, value, at in votes
            ),
        )
    if name == "comments":
        agrees: dict[int, int] = defaultdict(int)
        disagrees: dict[int, int] = defaultdict(int)
        for _pid, sid, value, _at in votes:
            if value == 1:
                agrees[sid] += 1
            elif value == -1:
                disagrees[sid] += 1
        author_numbers: dict[int | None, int | str] = dict(
            Participant.objects.filter(conversation=conversation, user__isnull=False).values_list("user_id", "number")
        )
        rows = []
        for s in sorted(statements, key=lambda s: s.created_at, reverse=True):
            author: int | str = (
                s.author_participant if s.author_participant is not None else author_numbers.get(s.author_id, "")
            )
            rows.append(
                [
                    _ms(s.created_at),
                    _pretty(s.created_at),
                    s.number,
                    author,
                    agrees[s.pk],
                    disagrees[s.pk],
                    MODERATED[s.status],
                    s.text,
                ]  # type: ignore[index]
            )
        return _csv(COMMENT_COLUMNS, rows)
    if name == "participants-votes":
        groups = report_data.participant_groups(conversation)
        by_participant: dict[int, dict[int, int]] = defaultdict(dict)
        for pid, sid, value, _at in votes:
            by_participant[pid][number_of_statement[sid]] = value
        authored: dict[Any, int] = defaultdict(int)
        for s in statements:
            authored[s.author_participant if s.author_participant is not None else ("user", s.author_id)] += (
                0 if s.is_seed else 1
            )
        user_of = dict(Participant.objects.filter(conversation=conversation).values_list("pk", "user_id"))
        numbers = [s.number for s in statements]
        rows = []
        for pid, number in sorted(participants.items(), key=lambda item: item[1]):
            cast = by_participant.get(pid, {})
            n_comments = authored.get(number, 0) + (authored.get(("user", user_of[pid]), 0) if user_of[pid] else 0)
            group = groups.get(pid)
            rows.append(
                [
                    number,
                    "" if group is None else group,
                    n_comments,
                    len(cast),
                    sum(1 for v in cast.values() if v == 1),
                    sum(1 for v in cast.values() if v == -1),
                    *(cast.get(n, "") for n in numbers),
                ]
            )
        return _csv([*PV_COLUMNS, *(str(n) for n in numbers)], rows)
    raise ValueError(name)


# --- Import -------------------------------------------------------------------------------------------


def _read_uploads(uploads: Iterable[Any]) -> dict[str, str]:
    """The uploaded files as {file name: text}; a zip is opened and its CSV files taken (from any folder)."""
    files: dict[str, str] = {}
    for upload in uploads:
        name = upload.name.rsplit("/", 1)[-1].lower()
        data = upload.read()
        if name.endswith(".zip"):
            try:
                with zipfile.ZipFile(io.BytesIO(data)) as archive:
                    for info in archive.infolist():
                        inner = info.filename.rsplit("/", 1)[-1].lower()
                        if inner.endswith(".csv") and not info.is_dir():
                            if info.file_size > 50 * 1024 * 1024:
                                raise ServiceError(
                                    _("“%(name)s” in the zip file is too large.") % {"name": inner}, field="upload"
                                )
                            files[inner] = _decode(archive.read(info), inner)
            except zipfile.BadZipFile as exc:
                raise ServiceError(
                    _("“%(name)s” is not a zip file that can be opened.") % {"name": upload.name}, field="upload"
                ) from exc
        else:
            files[name] = _decode(data, name)
    return files


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ServiceError(_("“%(name)s” is not a UTF-8 text file.") % {"name": name}, field="upload") from exc


def _rows(text: str, name: str, required: list[str]) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    missing = [column for column in required if column not in header]
    if missing:
        raise ServiceError(
            _("%(file)s has no column “%(column)s”.") % {"file": name, "column": "”, “".join(missing)}, field="upload"
        )
    return list(reader)


def _int(value: str, name: str, line: int, column: str) -> int:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        raise ServiceError(
            _("%(file)s, line %(line)d: “%(value)s” in column “%(column)s” is not a number.")
            % {"file": name, "line": line, "value": value, "column": column},
            field="upload",
        ) from None


def parse_export(files: dict[str, str]) -> dict[str, Any]:
    """Read a Pol.is export: the statements from comments.csv and the votes from votes.csv (latest vote
    per person and statement), or from participants-votes.csv when there is no votes.csv."""
    if "comments.csv" not in files:
        raise ServiceError(_("The export has no comments.csv file."), field="upload")
    if "votes.csv" not in files and "participants-votes.csv" not in files:
        raise ServiceError(_("The export has no votes.csv (or participants-votes.csv) file."), field="upload")
    comments = []
    for line, row in enumerate(_rows(files["comments.csv"], "comments.csv", ["comment-id", "comment-body"]), start=2):
        number = _int(row["comment-id"], "comments.csv", line, "comment-id")
        moderated = _int(row.get("moderated") or "0", "comments.csv", line, "moderated")
        author = row.get("author-id") or ""
        text = " ".join((row["comment-body"] or "").split())
        timestamp = row.get("timestamp") or ""
        comments.append(
            {
                "number": number,
                "text": text,
                "moderated": max(-1, min(1, moderated)),
                "author": _int(author, "comments.csv", line, "author-id") if author else None,
                "created": _int(timestamp, "comments.csv", line, "timestamp") if timestamp else None,
            }
        )
    known: set[int] = {int(c["number"]) for c in comments}  # type: ignore[call-overload]
    votes: dict[tuple[int, int], tuple[int, int]] = {}
    if "votes.csv" in files:
        for line, row in enumerate(_rows(files["votes.csv"], "votes.csv", ["comment-id", "voter-id", "vote"]), start=2):
            comment = _int(row["comment-id"], "votes.csv", line, "comment-id")
            voter = _int(row["voter-id"], "votes.csv", line, "voter-id")
            value = _int(row["vote"], "votes.csv", line, "vote")
            if value not in (-1, 0, 1):
                raise ServiceError(
                    _("votes.csv, line %(line)d: a vote must be 1, -1 or 0, not %(value)s.")
                    % {"line": line, "value": value},
                    field="upload",
                )
            if comment not in known:
                raise ServiceError(
                    _("votes.csv, line %(line)d: comment %(id)d is not in comments.csv.")
                    % {"line": line, "id": comment},
                    field="upload",
                )
            stamp = _int(row.get("timestamp") or "0", "votes.csv", line, "timestamp")
            previous = votes.get((voter, comment))
            if previous is None or stamp >= previous[1]:
                votes[(voter, comment)] = (value, stamp)
    else:
        name = "participants-votes.csv"
        for line, row in enumerate(_rows(files[name], name, ["participant"]), start=2):
            voter = _int(row["participant"], name, line, "participant")
            for comment in known:
                cell = (row.get(str(comment)) or "").strip()
                if cell:
                    value = _int(cell, name, line, str(comment))
                    if value in (-1, 0, 1):
                        votes[(voter, comment)] = (value, 0)
    return {"comments": comments, "votes": {key: value for key, (value, _stamp) in votes.items()}}


def _topic_from(files: dict[str, str]) -> str:
    summary = files.get("summary.csv", "")
    for row in csv.reader(io.StringIO(summary)):
        if len(row) >= 2 and row[0].strip() == "topic":
            return row[1].strip()
    return ""


def conversation_import(
    *, actor: Membership, topic: str, uploads: Iterable[Any], request: HttpRequest | None = None
) -> Conversation:
    """Import a Pol.is export as a closed conversation of this partnership, with its statements, its
    numbered participants (linked to nobody) and their votes. All or nothing."""
    require_rule("conversations.manage", actor)
    files = _read_uploads(uploads)
    data = parse_export(files)
    topic = " ".join((topic or _topic_from(files) or _("Imported Pol.is conversation")).split())[:TOPIC_MAX]
    now = timezone.now()
    seen: set[str] = set()
    statements: list[Statement] = []
    for comment in data["comments"]:
        text = comment["text"][:STATEMENT_MAX]
        key = statement_key(text)
        if not key:
            raise ServiceError(
                _("comments.csv: comment %(id)d has no words.") % {"id": comment["number"]}, field="upload"
            )
        if key in seen:  # Pol.is lets duplicates in; keep them apart here rather than lose their votes
            key = f"{key} #{comment['number']}"[:STATEMENT_MAX]
        seen.add(key)
        created = datetime.fromtimestamp(comment["created"] / 1000, tz=UTC) if comment["created"] else now
        statements.append(
            Statement(
                number=comment["number"],
                text=text,
                text_key=key,
                author_participant=comment["author"],
                author_kind=Statement.AuthorKind.SEED,
                status=STATUS_OF_MODERATED[comment["moderated"]],
                created_at=created,
            )
        )
    opens_at = min([*(s.created_at for s in statements), now - timedelta(seconds=1)])
    with transaction.atomic():
        conversation = Conversation.objects.create(
            partnership_id=actor.partnership_id,
            topic=topic,
            description="",
            participants_may_add=False,
            opens_at=opens_at,
            closes_at=now,
            created_by=actor.user,
            imported_from="Pol.is export",
        )
        for statement in statements:
            statement.conversation = conversation
        Statement.objects.bulk_create(statements, batch_size=1000)
        statement_pk = dict(Statement.objects.filter(conversation=conversation).values_list("number", "pk"))
        voters = sorted({voter for voter, _comment in data["votes"]})
        Participant.objects.bulk_create(
            [Participant(conversation=conversation, number=voter, created_at=now) for voter in voters], batch_size=1000
        )
        participant_pk = dict(Participant.objects.filter(conversation=conversation).values_list("number", "pk"))
        Vote.objects.bulk_create(
            [
                Vote(
                    participant_id=participant_pk[voter],
                    statement_id=statement_pk[comment],
                    conversation=conversation,
                    value=value,
                    created_at=now,
                    updated_at=now,
                )
                for (voter, comment), value in data["votes"].items()
            ],
            batch_size=2000,
        )
        audit_record(
            actor=actor.user,
            action="conversations.imported",
            partnership_id=actor.partnership_id,
            target=conversation,
            detail={"statements": len(statements), "participants": len(voters), "votes": len(data["votes"])},
            request=request,
        )
        from coproduce.conversations.services import snapshot_schedule

        snapshot_schedule(conversation)
    return conversation
