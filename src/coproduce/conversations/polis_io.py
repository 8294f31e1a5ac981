"""Pol.is files in and out, without the database: the zip of an export with its README, uploaded files
(one at a time or in a zip) read into {name: bytes}, and the reader's problems (:class:`PolisCsvError`,
which names the file, line, column and value) in translatable words for the import page.

The CSV files themselves are read and written by :mod:`coproduce.methods.polis_csv`. The conversation's
data is gathered for an export by ``selectors.polis_export`` and an export is saved as a conversation by
``services.conversation_import``.

Pol.is's export convention is used throughout: agree = 1, disagree = -1, pass = 0; comment ids and
participant ids are the statements' and participants' ``number``; ``moderated`` is 1 (published),
0 (waiting) or -1 (taken out). ``votes.csv`` holds every vote as it was cast (``VoteEvent``), oldest
first; a person's vote on a statement is their latest row, as in Pol.is."""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from coproduce.core.exceptions import ServiceError
from coproduce.methods.polis_csv import PolisCsvError, Problem

EXPORT_FILES = ("comments", "votes", "participants-votes", "summary")
MAX_ZIP_MEMBERS_BYTES = 50 * 1024 * 1024  # the CSV files inside one uploaded zip, together


def ms(at: datetime) -> int:
    """A moment as Pol.is writes it: milliseconds since 1970."""
    return int(at.timestamp() * 1000)


def moment(milliseconds: float) -> datetime:
    """Pol.is's milliseconds since 1970 as a moment."""
    return datetime.fromtimestamp(milliseconds / 1000, tz=UTC)


# --- Export ----------------------------------------------------------------------------------------


@dataclass
class Export:
    """The export of one conversation (``conversation_id`` and its ``topic``): the files' text (the three
    Pol.is CSV files and summary.csv), and where the ``group-id`` in participants-votes.csv comes from:
    ``"map"`` (the latest snapshot, computed at ``computed_at``), ``"imported"`` (Pol.is's, before any
    snapshot of ours) or ``"none"``. ``imported_groups`` is the text of imported-groups.csv for an imported
    conversation whose participants-votes.csv gives our groups instead ("" otherwise)."""

    conversation_id: int
    topic: str
    files: dict[str, str]
    groups_from: str
    computed_at: datetime | None = None
    imported_groups: str = ""


def zip_name(conversation_id: int, now: datetime) -> str:
    return f"conversation-{conversation_id}-polis-export-{now:%Y-%m-%d}.zip"


def _readme(export: Export, partnership: str, now: datetime) -> str:
    if export.groups_from == "map":
        groups = _("the groups of opinion of the map Coproduce worked out at %(when)s (blank: not in the map).") % {
            "when": f"{export.computed_at:%Y-%m-%d %H:%M:%S} UTC"
        }
    elif export.groups_from == "imported":
        groups = _("the groups as imported from Pol.is (Coproduce has not worked out its own map yet).")
    else:
        groups = _("blank: no map has been worked out yet.")
    lines = [
        _("Pol.is export of the conversation “%(topic)s”") % {"topic": export.topic},
        _("Partnership: %(name)s") % {"name": partnership},
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


def zip_bytes(export: Export, *, partnership: str, now: datetime) -> bytes:
    """All the export's files in one zip, in a folder named after the conversation, with a README.txt
    naming the conversation, its partnership and the time of the export."""
    files = dict(export.files)
    if export.imported_groups:
        files["imported-groups.csv"] = export.imported_groups
    files["README.txt"] = _readme(export, partnership, now)
    stamp = now.astimezone(UTC).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            info = zipfile.ZipInfo(f"conversation-{export.conversation_id}/{name}", date_time=stamp)
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


def read_uploads(uploads: Iterable[Any]) -> dict[str, bytes]:
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
