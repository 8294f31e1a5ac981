"""Backups that restore: ``coproduce backup FILE`` and ``coproduce restore FILE`` (docs/backups.md).

A backup is one tar file holding ``manifest.json`` and the database: a copy made with SQLite's online backup
API, or a ``pg_dump --format=custom`` dump. Both are taken from one consistent snapshot while the site runs
(WAL on SQLite; an exported snapshot on PostgreSQL, which the row counts in the manifest are read from too).

The manifest records the format version, the engine, the migrations applied, the time, the row count of every
table and the sha256 of the database member. ``restore`` checks all of it before it touches the site's
database: the checksum, the engine, and that every migration in the backup is known to this code (a newer
schema is never restored into older code). Nothing is left half-done: a backup is written beside FILE under
another name and renamed into place; a restore replaces the database in one step (SQLite's backup API into
the live file, or ``pg_restore --single-transaction``), and on SQLite the previous file is kept aside.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the person running it."""


@dataclass(frozen=True)
class Database:
    """Where the site's database is: the engine and how to reach it (from ``settings.DATABASES``)."""

    engine: str  # "sqlite" or "postgresql"
    name: str
    host: str = ""
    port: str = ""
    user: str = ""
    password: str = ""
    sslmode: str = ""

    @classmethod
    def from_settings(cls, database: Mapping[str, Any]) -> Database:
        engine_path = str(database.get("ENGINE", ""))
        if "sqlite3" in engine_path:
            engine = "sqlite"
        elif "postgresql" in engine_path or "postgis" in engine_path:
            engine = "postgresql"
        else:
            raise BackupError(f"Backups support SQLite and PostgreSQL; the database engine is {engine_path}.")
        options = database.get("OPTIONS") or {}
        return cls(
            engine=engine,
            name=str(database.get("NAME", "")),
            host=str(database.get("HOST") or ""),
            port=str(database.get("PORT") or ""),
            user=str(database.get("USER") or ""),
            password=str(database.get("PASSWORD") or ""),
            sslmode=str(options.get("sslmode") or ""),
        )

    def libpq_environment(self) -> dict[str, str]:
        """The environment for pg_dump and pg_restore: the password travels here, never on a command line."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        for key, value in (
            ("PGHOST", self.host),
            ("PGPORT", self.port),
            ("PGUSER", self.user),
            ("PGPASSWORD", self.password),
            ("PGDATABASE", self.name),
            ("PGSSLMODE", self.sslmode),
        ):
            if value:
                env[key] = value
        return env

    def connect(self) -> Any:
        import psycopg
        from psycopg.conninfo import make_conninfo

        params = {"dbname": self.name, "host": self.host, "port": self.port, "user": self.user}
        params = {k: v for k, v in params.items() if v}
        if self.password:
            params["password"] = self.password
        if self.sslmode:
            params["sslmode"] = self.sslmode
        try:
            return psycopg.connect(make_conninfo("", **params), connect_timeout=10)
        except psycopg.OperationalError as error:
            raise BackupError(f"Cannot connect to the PostgreSQL database {self.name}: {error}".strip()) from None


# --- Migrations --------------------------------------------------------------------------------------------


def code_migrations() -> set[tuple[str, str]]:
    """Every migration this code has, as (app label, name)."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for key, migration in loader.disk_migrations.items():
        known.add(key)
        known.update(getattr(migration, "replaces", []) or [])
    return known


def check_migrations(manifest: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Refuse a backup whose schema is newer than this code; return the migrations the code has beyond it."""
    recorded = {(app, name) for app, name in manifest["migrations"]}
    code = code_migrations()
    unknown = sorted(recorded - code)
    if unknown:
        listed = ", ".join(f"{app}.{name}" for app, name in unknown[:5])
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        raise BackupError(
            f"The backup's schema is newer than this code: it has migrations this code does not know "
            f"({listed}{more}). Restore it with the version of Coproduce that made it, or a later one."
        )
    return sorted(code - recorded)


# --- Files -------------------------------------------------------------------------------------------------


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")


def _fsync_directory(folder: Path) -> None:
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _write_archive(target: Path, manifest: dict[str, Any], member: Path, *, overwrite: bool) -> None:
    """Write the tar beside ``target`` and move it into place in one step (refusing to replace a file unless
    ``overwrite``): a failure at any point leaves no file at ``target``."""
    handle, temporary_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".partial")
    temporary = Path(temporary_name)
    try:
        with os.fdopen(handle, "wb") as raw, tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(datetime.datetime.now(datetime.UTC).timestamp())
            info.mode = 0o600
            tar.addfile(info, io.BytesIO(data))
            tar.add(member, arcname=MEMBERS[manifest["engine"]], recursive=False)
        with temporary.open("rb+") as flushed:
            os.fsync(flushed.fileno())
        if overwrite:
            os.replace(temporary, target)
        else:
            try:
                os.link(temporary, target)  # fails if a file appeared at target meanwhile
            except FileExistsError:
                raise BackupError(f"{target} already exists; choose another name or add --overwrite.") from None
            temporary.unlink()
        _fsync_directory(target.parent)
    finally:
        temporary.unlink(missing_ok=True)


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest of the backup at ``path``, checked for form (not yet for its checksum)."""
    if not path.is_file():
        raise BackupError(f"No backup file at {path}.")
    try:
        with tarfile.open(path, mode="r:") as tar:
            member = tar.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            manifest = json.loads(member.read())
    except (tarfile.TarError, KeyError, ValueError, OSError, EOFError):
        raise BackupError(f"{path} is not a Coproduce backup (no readable manifest in it).") from None
    if not isinstance(manifest, dict) or manifest.get("format") != "coproduce-backup":
        raise BackupError(f"{path} is not a Coproduce backup (its manifest is of another kind).")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{path} is a backup of format version {manifest.get('format_version')}; "
            f"this code reads version {FORMAT_VERSION}."
        )
    if manifest.get("engine") not in MEMBERS:
        raise BackupError(f"{path} names an unknown database engine: {manifest.get('engine')!r}.")
    for key in ("sha256", "migrations", "row_counts", "created"):
        if key not in manifest:
            raise BackupError(f"{path} has an incomplete manifest (no {key}).")
    return manifest


@contextlib.contextmanager
def extracted(path: Path, manifest: Mapping[str, Any], folder: Path) -> Iterator[Path]:
    """Copy the database member out of the backup into ``folder`` (by name, never by a path the archive
    gives) and check its sha256 against the manifest. The copy is removed afterwards."""
    destination = folder / MEMBERS[manifest["engine"]]
    digest = hashlib.sha256()
    try:
        with tarfile.open(path, mode="r:") as tar:
            source = tar.extractfile(MEMBERS[manifest["engine"]])
            if source is None:
                raise KeyError(MEMBERS[manifest["engine"]])
            with destination.open("wb") as out:
                while chunk := source.read(_CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
    except (tarfile.TarError, KeyError, OSError, EOFError) as error:
        destination.unlink(missing_ok=True)
        raise BackupError(f"{path} is damaged: its database cannot be read ({error}).") from None
    try:
        if digest.hexdigest() != manifest["sha256"]:
            raise BackupError(f"{path} is damaged: its database does not match the checksum in its manifest.")
        yield destination
    finally:
        destination.unlink(missing_ok=True)


# --- SQLite ------------------------------------------------------------------------------------------------


def _sqlite_tables(connection: sqlite3.Connection) -> list[str]:
    rows = connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
    ).fetchall()
    return [row[0] for row in rows]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite_facts(connection: sqlite3.Connection) -> tuple[dict[str, int], list[list[str]]]:
    counts = {
        table: int(connection.execute(f"SELECT count(*) FROM {_quote(table)}").fetchone()[0])  # noqa: S608  # nosec B608
        for table in _sqlite_tables(connection)
    }
    migrations: list[list[str]] = []
    if "django_migrations" in counts:
        migrations = [
            [app, name]
            for app, name in connection.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        ]
    return counts, migrations


def _sqlite_integrity(connection: sqlite3.Connection, what: str) -> None:
    result = [row[0] for row in connection.execute("PRAGMA integrity_check").fetchall()]
    if result != ["ok"]:
        raise BackupError(f"{what} failed SQLite's integrity check: {'; '.join(result[:5])}")


def _sqlite_open_existing(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise BackupError(f"No SQLite database at {path}.")
    connection = sqlite3.connect(path, timeout=30)
    connection.execute("PRAGMA busy_timeout=30000")
    return connection


def _backup_sqlite(database: Database, work: Path) -> tuple[Path, dict[str, Any]]:
    copy = work / MEMBERS["sqlite"]
    source = _sqlite_open_existing(Path(database.name))
    try:
        target = sqlite3.connect(copy)
        try:
            # One step (pages=-1): the copy is one read transaction of the source, a consistent snapshot;
            # the site's writers go on meanwhile (WAL).
            source.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            _sqlite_integrity(target, "The copy")
            counts, migrations = _sqlite_facts(target)
        finally:
            target.close()
    finally:
        source.close()
    return copy, {"row_counts": counts, "migrations": migrations, "sqlite_version": sqlite3.sqlite_version}


def _restore_sqlite(database: Database, backup: Path, manifest: Mapping[str, Any], *, force: bool) -> dict[str, int]:
    live = Path(database.name)
    with (
        tempfile.TemporaryDirectory(dir=live.parent, prefix=".restore-") as folder,
        extracted(backup, manifest, Path(folder)) as copy,
    ):
        restored = sqlite3.connect(copy)
        try:
            _sqlite_integrity(restored, "The backup's database")
            counts, _ = _sqlite_facts(restored)
            if counts != manifest["row_counts"]:
                raise BackupError(f"{backup} is damaged: its tables do not hold the rows its manifest lists.")
            if not live.exists():
                restored.close()
                os.replace(copy, live)
                _fsync_directory(live.parent)
                return sqlite_row_counts(live)
            current = _sqlite_open_existing(live)
            try:
                if _sqlite_tables(current) and not force:
                    raise BackupError(
                        f"The database at {live} is not empty. Restore into an empty database, "
                        "or add --force to replace it (the current one is kept aside)."
                    )
                stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
                aside = live.with_name(f"{live.name}.before-restore-{stamp}")
                kept = sqlite3.connect(aside)
                try:
                    current.backup(kept)
                    kept.execute("PRAGMA journal_mode=DELETE")
                finally:
                    kept.close()
                # Into the live file in one step: other connections see the old database or the new one.
                try:
                    restored.backup(current)
                except sqlite3.Error as error:
                    raise BackupError(
                        f"Could not replace the database at {live} ({error}); it is unchanged "
                        f"and a copy of it is at {aside}."
                    ) from None
            finally:
                current.close()
        finally:
            restored.close()
    return sqlite_row_counts(live)


def sqlite_row_counts(path: Path) -> dict[str, int]:
    connection = sqlite3.connect(path)
    try:
        return _sqlite_facts(connection)[0]
    finally:
        connection.close()


# --- PostgreSQL --------------------------------------------------------------------------------------------


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} was not found. Install PostgreSQL's client programs (Debian: apt install postgresql-client) "
            "of the server's major version or later."
        )
    return found


def tool_major_version(name: str) -> int:
    program = _tool(name)
    output = subprocess.run(  # noqa: S603  # nosec B603
        [program, "--version"], capture_output=True, text=True, check=False, timeout=30
    ).stdout
    match = re.search(r"(\d+)(?:\.\d+)?", output)
    if not match:
        raise BackupError(f"Could not read the version of {program} (it printed {output.strip()!r}).")
    return int(match.group(1))


def _server_major(connection: Any) -> int:
    return int(connection.execute("SHOW server_version_num").fetchone()[0]) // 10000


def _check_tool_against_server(name: str, server_major: int) -> int:
    major = tool_major_version(name)
    if major < server_major:
        raise BackupError(
            f"{name} is version {major} but the server is version {server_major}: install PostgreSQL's "
            f"client programs of version {server_major} or later."
        )
    return major


def _pg_tables(connection: Any) -> list[str]:
    rows = connection.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY c.relname"
    ).fetchall()
    return [row[0] for row in rows]


def _pg_facts(connection: Any) -> tuple[dict[str, int], list[list[str]]]:
    from psycopg import sql

    counts = {
        table: int(connection.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))).fetchone()[0])
        for table in _pg_tables(connection)
    }
    migrations: list[list[str]] = []
    if "django_migrations" in counts:
        migrations = [
            [app, name]
            for app, name in connection.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        ]
    return counts, migrations


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603  # nosec B603
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise BackupError(f"{what} failed: {' '.join(detail[-5:]) or f'exit code {result.returncode}'}")


def _backup_postgresql(database: Database, work: Path) -> tuple[Path, dict[str, Any]]:
    dump = work / MEMBERS["postgresql"]
    connection = database.connect()
    try:
        server_major = _server_major(connection)
        dump_major = _check_tool_against_server("pg_dump", server_major)
        # One snapshot for the counts, the migrations and the dump: they describe the same moment.
        connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = connection.execute("SELECT pg_export_snapshot()").fetchone()[0]
        counts, migrations = _pg_facts(connection)
        _run(
            [
                _tool("pg_dump"),
                "--format=custom",
                "--no-password",
                f"--snapshot={snapshot}",
                f"--file={dump}",
                database.name,
            ],
            database.libpq_environment(),
            "pg_dump",
        )
        connection.execute("COMMIT")
    finally:
        connection.close()
    facts = {"row_counts": counts, "migrations": migrations, "server_major": server_major, "pg_dump_major": dump_major}
    return dump, facts


def _restore_postgresql(
    database: Database, backup: Path, manifest: Mapping[str, Any], *, force: bool
) -> dict[str, int]:
    connection = database.connect()
    try:
        server_major = _server_major(connection)
        restore_major = _check_tool_against_server("pg_restore", server_major)
        made_with = int(manifest.get("pg_dump_major") or 0)
        if restore_major < made_with:
            raise BackupError(
                f"The backup was made with pg_dump {made_with}; pg_restore is version {restore_major}. "
                f"Install PostgreSQL's client programs of version {made_with} or later."
            )
        present = _pg_tables(connection)
    finally:
        connection.close()
    if present and not force:
        raise BackupError(
            f"The database {database.name} is not empty. Restore into an empty database "
            "(createdb, then point DATABASE_URL at it), or add --force to replace this one."
        )
    extra = sorted(set(present) - set(manifest["row_counts"]))
    if extra:
        listed = ", ".join(extra[:5]) + (f" and {len(extra) - 5} more" if len(extra) > 5 else "")
        raise BackupError(
            f"The database {database.name} has tables the backup does not ({listed}); restoring over it would "
            "leave them behind. Restore into an empty database instead."
        )
    with (
        tempfile.TemporaryDirectory(prefix="coproduce-restore-") as folder,
        extracted(backup, manifest, Path(folder)) as dump,
    ):
        _run(
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                "--no-password",
                f"--dbname={database.name}",
                str(dump),
            ],
            database.libpq_environment(),
            "pg_restore (nothing was changed)",
        )
    connection = database.connect()
    try:
        with connection.transaction():
            counts, _ = _pg_facts(connection)
        connection.execute("ANALYZE")  # fresh statistics for the planner on the restored tables
    finally:
        connection.close()
    return counts


def _verify_postgresql(dump: Path) -> None:
    _run([_tool("pg_restore"), "--list", str(dump)], dict(os.environ), "pg_restore --list")


# --- The commands ------------------------------------------------------------------------------------------


def create_backup(target: Path, database: Database, *, overwrite: bool = False) -> dict[str, Any]:
    """Back up ``database`` into ``target``; return the manifest."""
    target = target.absolute()
    if target.exists() and not overwrite:
        raise BackupError(f"{target} already exists; choose another name or add --overwrite.")
    if target.is_dir():
        raise BackupError(f"{target} is a folder; give a file name.")
    if not target.parent.is_dir():
        raise BackupError(f"The folder {target.parent} does not exist.")
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=f".{target.name}.") as folder:
        work = Path(folder)
        if database.engine == "sqlite":
            member, facts = _backup_sqlite(database, work)
        else:
            member, facts = _backup_postgresql(database, work)
        manifest: dict[str, Any] = {
            "format": "coproduce-backup",
            "format_version": FORMAT_VERSION,
            "engine": database.engine,
            "created": _now(),
            "sha256": sha256_of(member),
            "size": member.stat().st_size,
            **facts,
        }
        _write_archive(target, manifest, member, overwrite=overwrite)
    return manifest


def verify_backup(path: Path) -> dict[str, Any]:
    """Check a backup without restoring it: its manifest, its checksum, and that its database reads (SQLite's
    integrity check and row counts; ``pg_restore --list``). Returns the manifest."""
    path = path.absolute()
    manifest = read_manifest(path)
    with (
        tempfile.TemporaryDirectory(prefix="coproduce-verify-") as folder,
        extracted(path, manifest, Path(folder)) as member,
    ):
        if manifest["engine"] == "sqlite":
            connection = sqlite3.connect(member)
            try:
                _sqlite_integrity(connection, "The backup's database")
                counts, _ = _sqlite_facts(connection)
            finally:
                connection.close()
            if counts != manifest["row_counts"]:
                raise BackupError(f"{path} is damaged: its tables do not hold the rows its manifest lists.")
        else:
            _verify_postgresql(member)
    return manifest


@dataclass(frozen=True)
class Restored:
    manifest: dict[str, Any]
    row_counts: dict[str, int]
    pending_migrations: list[tuple[str, str]]  # the code's migrations the backup had not applied


def restore_backup(path: Path, database: Database, *, force: bool = False) -> Restored:
    """Restore the backup at ``path`` into ``database``; return its manifest and the row counts after."""
    path = path.absolute()
    manifest = read_manifest(path)
    if manifest["engine"] != database.engine:
        raise BackupError(
            f"{path} is a backup of a {manifest['engine']} database; this site uses {database.engine}. "
            "(To move between engines, use dumpdata and loaddata.)"
        )
    pending = check_migrations(manifest)
    if database.engine == "sqlite":
        counts = _restore_sqlite(database, path, manifest, force=force)
    else:
        counts = _restore_postgresql(database, path, manifest, force=force)
    return Restored(manifest=manifest, row_counts=counts, pending_migrations=pending)
