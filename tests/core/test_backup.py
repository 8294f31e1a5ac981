"""`coproduce backup` and `coproduce restore`: a round trip of the demo's data while a writer keeps writing,
on SQLite (the real command, in a fresh data folder) and on PostgreSQL; and every kind of bad input refused
with a clear message, leaving nothing half-done."""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from coproduce.core import backup
from coproduce.core.backup import BackupError, Database

ON_POSTGRESQL = bool(os.environ.get("DATABASE_URL"))
sqlite_only = pytest.mark.skipif(ON_POSTGRESQL, reason="the SQLite files are tested once, in the SQLite run")

# Rows the writer adds while a backup is taken: two per transaction, so a consistent copy holds an even number.
PROBE_TABLE = "backup_probe"


def _run_cli(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COPRODUCE_", "DJANGO_", "DATABASE_URL"))}
    env.update(COPRODUCE_DEMO="1", COPRODUCE_DATA_DIR=str(data_dir))
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "coproduce.cli", *args], env=env, capture_output=True, text=True, timeout=900
    )


def _digest_rows(rows: Iterator[tuple[Any, ...]]) -> tuple[int, str]:
    digest, count = hashlib.sha256(), 0
    for row in rows:
        digest.update(repr(row).encode())
        digest.update(b"\n")
        count += 1
    return count, digest.hexdigest()


def sqlite_contents(path: Path, *, leave_out_probes: bool = False) -> dict[str, tuple[int, str]]:
    """Every table's row count and sha256 over its rows in a fixed order (all columns, left to right); the
    writer's table left out if asked."""
    db = sqlite3.connect(path)
    try:
        tables = [
            row[0]
            for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        ]
        result = {}
        for table in tables:
            width = len(db.execute(f'PRAGMA table_info("{table}")').fetchall())
            order = ", ".join(str(i) for i in range(1, width + 1))
            if leave_out_probes and table == PROBE_TABLE:
                continue
            result[table] = _digest_rows(db.execute(f'SELECT * FROM "{table}" ORDER BY {order}'))  # noqa: S608
        return result
    finally:
        db.close()


class Writer(threading.Thread):
    """Adds rows to a table of its own, two per transaction, until stopped; counts what it committed."""

    def __init__(self, insert_pair: Callable[[int], None]) -> None:
        super().__init__(daemon=True)
        self.insert_pair = insert_pair
        self.committed = 0
        self.stop = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                self.insert_pair(self.committed)
                self.committed += 2
                time.sleep(0.005)
        except BaseException as error:
            self.error = error

    def wait_for(self, rows: int) -> None:
        deadline = time.monotonic() + 60
        while self.committed < rows and time.monotonic() < deadline and self.error is None:
            time.sleep(0.01)
        assert self.error is None, self.error
        assert self.committed >= rows

    def finish(self) -> int:
        self.stop.set()
        self.join(timeout=60)
        assert self.error is None, self.error
        return self.committed


def _sqlite_pair_writer(path: Path) -> Writer:
    db = sqlite3.connect(path, timeout=30, check_same_thread=False)
    db.execute("PRAGMA busy_timeout=30000")
    with db:
        db.execute(f"CREATE TABLE {PROBE_TABLE} (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")

    def insert_pair(n: int) -> None:
        with db:
            db.executemany(f"INSERT INTO {PROBE_TABLE} (id, body) VALUES (?, ?)", [(n, "x" * 200), (n + 1, "y")])  # noqa: S608

    return Writer(insert_pair)


def _probes_in(contents_path: Path) -> int:
    db = sqlite3.connect(contents_path)
    try:
        return int(db.execute(f"SELECT count(*) FROM {PROBE_TABLE}").fetchone()[0])  # noqa: S608
    finally:
        db.close()


# --- SQLite: the real commands on the demo's data ---------------------------------------------------------------


@pytest.fixture
def demo_folder(transactional_db: None, tmp_path: Path) -> Path:
    """A data folder whose SQLite database holds the demo's data: loaded into the test database, then copied
    into a file of its own (the site's settings: WAL)."""
    from coproduce.demo_data import load_demo

    load_demo()
    folder = tmp_path / "site"
    folder.mkdir()
    copy = sqlite3.connect(folder / "coproduce.sqlite3")
    connection.ensure_connection()
    connection.connection.backup(copy)
    copy.execute("PRAGMA journal_mode=WAL")
    copy.close()
    return folder


@sqlite_only
def test_sqlite_round_trip_of_the_demo_while_a_writer_writes(demo_folder: Path, tmp_path: Path) -> None:
    source = demo_folder / "coproduce.sqlite3"
    archive = tmp_path / "backups" / "nightly.coproduce-backup"
    archive.parent.mkdir()
    writer = _sqlite_pair_writer(source)
    writer.start()
    writer.wait_for(10)
    made = _run_cli("backup", str(archive), data_dir=demo_folder)
    writer.wait_for(writer.committed + 10)  # it went on writing after the copy was taken
    written = writer.finish()
    assert made.returncode == 0, made.stderr
    assert "written" in made.stdout

    # A second backup to the same name is refused and leaves the first untouched.
    first = backup.sha256_of(archive)
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(archive))
    assert backup.sha256_of(archive) == first
    assert sorted(p.name for p in archive.parent.iterdir()) == [archive.name]  # no temporary file left behind
    assert backup.verify_backup(archive) == backup.read_manifest(archive)

    empty = tmp_path / "restored"
    restored = _run_cli("restore", str(archive), data_dir=empty)
    assert restored.returncode == 0, restored.stderr
    manifest = backup.read_manifest(archive)
    after = sqlite_contents(empty / "coproduce.sqlite3")
    before = sqlite_contents(source, leave_out_probes=True)
    restored_probes = _probes_in(empty / "coproduce.sqlite3")
    # The copy is one moment of the writer's work: whole transactions, some before it and some after.
    assert 10 <= restored_probes < written
    assert restored_probes % 2 == 0
    assert {table: count for table, (count, _) in after.items()} == manifest["row_counts"]
    assert f"{sum(manifest['row_counts'].values())} rows" in restored.stdout
    after_without_probes = sqlite_contents(empty / "coproduce.sqlite3", leave_out_probes=True)
    assert after_without_probes == before  # every table, row for row
    assert len(before) > 100
    assert sum(count for count, _ in before.values()) > 1000  # the demo's data is really there

    # A restore over a database that is not empty is refused; with --force the old file is kept aside.
    with pytest.raises(BackupError, match="not empty"):
        backup.restore_backup(archive, Database(engine="sqlite", name=str(empty / "coproduce.sqlite3")))
    backup.restore_backup(archive, Database(engine="sqlite", name=str(source)), force=True)
    aside = list(demo_folder.glob("coproduce.sqlite3.before-restore-*"))
    assert len(aside) == 1
    assert _probes_in(aside[0]) == written
    assert _probes_in(source) == restored_probes


# --- Bad input (in process, on small SQLite files) ------------------------------------------------------------


def _small_site(folder: Path) -> Database:
    """A SQLite database with this code's migrations recorded and a few rows."""
    path = folder / "site.sqlite3"
    db = sqlite3.connect(path)
    with db:
        db.execute("CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, app TEXT, name TEXT, applied TEXT)")
        db.executemany(
            "INSERT INTO django_migrations (app, name, applied) VALUES (?, ?, '2026-01-01')",
            sorted(backup.code_migrations()),
        )
        db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        db.executemany("INSERT INTO notes (body) VALUES (?)", [(f"note {i}",) for i in range(50)])
    db.close()
    return Database(engine="sqlite", name=str(path))


Change = Callable[[dict[str, Any], bytes], tuple[dict[str, Any], bytes]]


def _rewrite(archive: Path, target: Path, change: Change) -> None:
    """A copy of a backup with its manifest and database changed (a damaged or foreign backup)."""
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile(backup.MANIFEST).read())  # type: ignore[union-attr]
        member_name = backup.MEMBERS[manifest["engine"]]
        data = tar.extractfile(member_name).read()  # type: ignore[union-attr]
    manifest, data = change(manifest, data)
    with tarfile.open(target, "w") as tar:
        for name, content in ((backup.MANIFEST, json.dumps(manifest).encode()), (member_name, data)):
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))


@pytest.fixture
def small_backup(tmp_path: Path) -> Path:
    archive = tmp_path / "small.backup"
    backup.create_backup(archive, _small_site(tmp_path))
    return archive


@sqlite_only
def test_a_backup_of_a_small_site_verifies_and_restores_into_a_new_file(small_backup: Path, tmp_path: Path) -> None:
    assert backup.verify_backup(small_backup)["row_counts"]["notes"] == 50
    target = Database(engine="sqlite", name=str(tmp_path / "new" / "db.sqlite3"))
    (tmp_path / "new").mkdir()
    restored = backup.restore_backup(small_backup, target)
    assert restored.row_counts["notes"] == 50
    assert restored.pending_migrations == []
    assert sqlite_contents(tmp_path / "new" / "db.sqlite3") == sqlite_contents(tmp_path / "site.sqlite3")


@sqlite_only
def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="No backup file"):
        backup.verify_backup(tmp_path / "absent.backup")
    with pytest.raises(BackupError, match="No backup file"):
        backup.restore_backup(tmp_path / "absent.backup", Database(engine="sqlite", name=str(tmp_path / "x.db")))
    assert not (tmp_path / "x.db").exists()


@sqlite_only
def test_a_missing_database_is_not_created_by_a_backup(tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="No SQLite database"):
        backup.create_backup(tmp_path / "b.backup", Database(engine="sqlite", name=str(tmp_path / "none.db")))
    assert sorted(p.name for p in tmp_path.iterdir()) == []


@sqlite_only
def test_a_file_that_is_not_a_backup_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a tar file at all" * 100)
    with pytest.raises(BackupError, match="not a Coproduce backup"):
        backup.verify_backup(junk)


@sqlite_only
def test_a_corrupt_database_fails_its_checksum_and_changes_nothing(small_backup: Path, tmp_path: Path) -> None:
    corrupt = tmp_path / "corrupt.backup"

    def flip_a_byte(manifest: dict[str, Any], data: bytes) -> tuple[dict[str, Any], bytes]:
        middle = len(data) // 2
        return manifest, data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :]

    _rewrite(small_backup, corrupt, flip_a_byte)
    with pytest.raises(BackupError, match="checksum"):
        backup.verify_backup(corrupt)
    site = tmp_path / "live"
    site.mkdir()
    target = site / "db.sqlite3"
    with pytest.raises(BackupError, match="checksum"):
        backup.restore_backup(corrupt, Database(engine="sqlite", name=str(target)))
    assert sorted(p.name for p in site.iterdir()) == []  # no database, no temporary folder left


@sqlite_only
def test_a_backup_of_another_engine_is_refused(small_backup: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.backup"

    def as_postgresql(manifest: dict[str, Any], data: bytes) -> tuple[dict[str, Any], bytes]:
        return {**manifest, "engine": "postgresql", "sha256": hashlib.sha256(data).hexdigest()}, data

    _rewrite(small_backup, other, as_postgresql)
    with pytest.raises(BackupError, match="backup of a postgresql database; this site uses sqlite"):
        backup.restore_backup(other, Database(engine="sqlite", name=str(tmp_path / "db.sqlite3")))
    assert not (tmp_path / "db.sqlite3").exists()


@sqlite_only
def test_a_newer_schema_is_not_restored_into_older_code(small_backup: Path, tmp_path: Path) -> None:
    newer = tmp_path / "newer.backup"

    def with_a_future_migration(manifest: dict[str, Any], data: bytes) -> tuple[dict[str, Any], bytes]:
        return {**manifest, "migrations": [*manifest["migrations"], ["voice", "9999_from_the_future"]]}, data

    _rewrite(small_backup, newer, with_a_future_migration)
    with pytest.raises(BackupError, match=r"newer than this code.*voice\.9999_from_the_future"):
        backup.restore_backup(newer, Database(engine="sqlite", name=str(tmp_path / "db.sqlite3")))
    assert not (tmp_path / "db.sqlite3").exists()


@sqlite_only
def test_an_older_schema_restores_and_says_to_migrate(small_backup: Path, tmp_path: Path) -> None:
    older = tmp_path / "older.backup"

    def without_the_last_migration(manifest: dict[str, Any], data: bytes) -> tuple[dict[str, Any], bytes]:
        return {**manifest, "migrations": manifest["migrations"][:-1]}, data

    _rewrite(small_backup, older, without_the_last_migration)
    restored = backup.restore_backup(older, Database(engine="sqlite", name=str(tmp_path / "db.sqlite3")))
    assert len(restored.pending_migrations) == 1


@sqlite_only
def test_an_existing_file_is_not_replaced_without_overwrite(small_backup: Path, tmp_path: Path) -> None:
    site = Database(engine="sqlite", name=str(tmp_path / "site.sqlite3"))
    original = backup.sha256_of(small_backup)
    with pytest.raises(BackupError, match="already exists"):
        backup.create_backup(small_backup, site)
    assert backup.sha256_of(small_backup) == original
    replaced = backup.create_backup(small_backup, site, overwrite=True)
    assert backup.verify_backup(small_backup)["created"] == replaced["created"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site.sqlite3", "small.backup"]


@sqlite_only
def test_the_commands_exit_with_a_message(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No backup file"):
        call_command("restore", str(tmp_path / "absent.backup"))
    with pytest.raises(CommandError, match="No backup file"):
        call_command("backup", "--verify", str(tmp_path / "absent.backup"))


# --- PostgreSQL -------------------------------------------------------------------------------------------------


def _pg_database(name: str) -> Database:
    return Database.from_settings({**connection.settings_dict, "NAME": name})


def pg_contents(database: Database) -> dict[str, tuple[int, str]]:
    from psycopg import sql

    with database.connect() as db:
        tables = [
            row[0]
            for row in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
            )
        ]
        result = {}
        for table in tables:
            width = len(db.execute(sql.SQL("SELECT * FROM {} LIMIT 0").format(sql.Identifier(table))).description or [])
            order = sql.SQL(", ").join(sql.Literal(i) for i in range(1, width + 1))
            cursor = db.execute(sql.SQL("SELECT * FROM {} ORDER BY {}").format(sql.Identifier(table), order))
            result[table] = _digest_rows(iter(cursor.fetchall()))
        return result


@pytest.fixture
def pg_scratch() -> Iterator[Callable[[str], Database]]:
    """Empty databases named after the test database, dropped afterwards (only the ones made here)."""
    made: list[str] = []
    admin = _pg_database("postgres")

    def create(suffix: str) -> Database:
        name = f"{connection.settings_dict['NAME']}_{suffix}"[:63]
        with admin.connect() as db:
            db.autocommit = True
            db.execute(f'DROP DATABASE IF EXISTS "{name}"')
            db.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        return _pg_database(name)

    yield create
    with admin.connect() as db:
        db.autocommit = True
        for name in made:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump and pg_restore are tested on PostgreSQL")
def test_postgresql_round_trip_of_the_demo_while_a_writer_writes(
    tmp_path: Path, pg_scratch: Callable[[str], Database]
) -> None:
    from coproduce.demo_data import load_demo

    load_demo()
    site = _pg_database(connection.settings_dict["NAME"])
    writer_connection = site.connect()
    writer_connection.autocommit = True
    writer_connection.execute(f"CREATE TABLE {PROBE_TABLE} (id integer PRIMARY KEY, body text NOT NULL)")

    def insert_pair(n: int) -> None:
        with writer_connection.transaction():
            writer_connection.execute(
                f"INSERT INTO {PROBE_TABLE} (id, body) VALUES (%s, %s), (%s, %s)",  # noqa: S608
                (n, "x" * 200, n + 1, "y"),
            )

    writer = Writer(insert_pair)
    writer.start()
    writer.wait_for(10)
    archive = tmp_path / "nightly.coproduce-backup"
    try:
        manifest = backup.create_backup(archive, site)
        writer.wait_for(writer.committed + 10)
        written = writer.finish()
    finally:
        writer.stop.set()
        writer.join(timeout=60)
        writer_connection.close()
    assert backup.verify_backup(archive)["sha256"] == manifest["sha256"]

    with pytest.raises(BackupError, match="already exists"):
        backup.create_backup(archive, site)

    empty = pg_scratch("bk_restore")
    restored = backup.restore_backup(archive, empty)
    assert restored.row_counts == manifest["row_counts"]
    with empty.connect() as db:
        probes = int(db.execute(f"SELECT count(*) FROM {PROBE_TABLE}").fetchone()[0])  # noqa: S608
    assert 10 <= probes < written
    assert probes % 2 == 0
    before, after = pg_contents(site), pg_contents(empty)
    before.pop(PROBE_TABLE)
    after.pop(PROBE_TABLE)
    assert after == before  # every table, row for row
    with site.connect() as db:
        db.execute(f"DROP TABLE {PROBE_TABLE}")
        db.commit()
    assert sum(count for count, _ in before.values()) > 1000

    # Not empty now: refused without --force; with it, replaced in one transaction.
    with pytest.raises(BackupError, match="not empty"):
        backup.restore_backup(archive, empty)
    with empty.connect() as db:
        db.execute("DELETE FROM voice_support")
        db.commit()
    again = backup.restore_backup(archive, empty, force=True)
    assert again.row_counts == manifest["row_counts"]

    # A SQLite backup is refused by a PostgreSQL site.
    sqlite_site = _small_site(tmp_path)
    other = tmp_path / "sqlite.backup"
    backup.create_backup(other, sqlite_site)
    with pytest.raises(BackupError, match="backup of a sqlite database; this site uses postgresql"):
        backup.restore_backup(other, empty)


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump and pg_restore are tested on PostgreSQL")
def test_postgresql_tools_older_than_the_server_are_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(backup, "tool_major_version", lambda name: 9)
    with pytest.raises(BackupError, match="pg_dump is version 9 but the server is version"):
        backup.create_backup(tmp_path / "b.backup", _pg_database(connection.settings_dict["NAME"]))
    assert list(tmp_path.iterdir()) == []
