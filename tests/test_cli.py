from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest

from coproduce.core.models import AuditEvent
from coproduce.demo_data import load_demo, sign_in_lines
from coproduce.methods.totp import totp_code
from coproduce.partnerships.models import Membership, Organisation, Partnership


def test_demo_loader_is_idempotent_and_covers_every_role(db: Any) -> None:
    load_demo()
    counts = (Partnership.objects.count(), Organisation.objects.count(), Membership.objects.count())
    events = AuditEvent.objects.count()
    load_demo()
    assert (Partnership.objects.count(), Organisation.objects.count(), Membership.objects.count()) == counts
    assert AuditEvent.objects.count() == events
    riverside = Membership.objects.filter(partnership__slug="riverside")
    assert Organisation.objects.filter(partnership__slug="riverside").count() == 5
    assert riverside.filter(is_member=True).count() == 12
    assert (
        riverside.filter(is_worker=True).count()
        + riverside.filter(is_partner_lead=True).count()
        + riverside.filter(is_coordinator=True).count()
        >= 8
    )
    for flag in ["is_member", "is_worker", "is_coordinator", "is_partner_lead", "is_observer"]:
        assert riverside.filter(**{flag: True}).exists(), flag


def test_sign_in_lines_give_every_staff_person_a_working_secret(db: Any) -> None:
    import time

    load_demo()
    every_line = sign_in_lines()
    # One line per person, then (after a blank line) the demo's API tokens, apart.
    lines = every_line[1 : every_line.index("")]
    assert len(lines) == Membership.objects.filter(partnership__slug="riverside").count()
    tokens = every_line[every_line.index("") + 1 :]
    assert tokens[0].startswith("API tokens") and len(tokens) == 3
    staff_lines = [line for line in lines if any(r in line.split("  ")[0] for r in ("worker", "coordinator", "lead"))]
    assert staff_lines
    for line in staff_lines:
        secret = line.split()[-1]
        assert len(totp_code(secret, time.time())) == 6
    member_line = next(line for line in lines if "aisha@" in line)
    assert member_line.split()[0] == "member"
    assert member_line.split()[-1] == "riverside-demo-pass"


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_serve_refuses_to_start_without_production_settings(missing: str, tmp_path: Any) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COPRODUCE_", "DJANGO_SETTINGS"))}
    env.update(
        {
            "SECRET_KEY": "x" * 60,
            "ALLOWED_HOSTS": "coproduce.example",
            "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
            "COPRODUCE_DATA_DIR": str(tmp_path),
        }
    )
    env.pop(missing)
    result = subprocess.run(
        [sys.executable, "-m", "coproduce.cli", "serve", "--port", "0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert missing in result.stderr


def production_env(tmp_path: Any, **changes: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COPRODUCE_", "DJANGO_SETTINGS"))}
    env.update(
        {
            "SECRET_KEY": "x" * 60,
            "ALLOWED_HOSTS": "coproduce.example",
            "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
            "COPRODUCE_DATA_DIR": str(tmp_path / "data"),
        }
    )
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def coproduce(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603  (the test's own arguments)
        [sys.executable, "-m", "coproduce.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_fails_without_a_secret_key(tmp_path: Any) -> None:
    without = coproduce("check", "--deploy", env=production_env(tmp_path, SECRET_KEY=None))
    assert without.returncode != 0
    assert "coproduce.E001" in without.stderr and "SECRET_KEY is not set" in without.stderr
    with_key = coproduce("check", "--deploy", env=production_env(tmp_path, SECRET_KEY="k" * 64))
    assert "coproduce.E001" not in with_key.stdout + with_key.stderr


def one_line_saying_what_to_do(result: subprocess.CompletedProcess[str], where: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"coproduce: cannot write to {where}")
    assert "COPRODUCE_DATA_DIR" in lines[0]


def test_a_data_folder_that_cannot_be_made_is_one_line_not_a_traceback(tmp_path: Any) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    folder = str(blocker / "data")  # a folder inside a file cannot be made
    demo_env = production_env(tmp_path, DATABASE_URL=None, SECRET_KEY=None)
    one_line_saying_what_to_do(coproduce("demo", "--data-dir", folder, env=demo_env), folder)
    # The demo takes its data folder from COPRODUCE_DATA_DIR too, as the README says.
    one_line_saying_what_to_do(coproduce("demo", env={**demo_env, "COPRODUCE_DATA_DIR": folder}), folder)
    one_line_saying_what_to_do(
        coproduce("migrate", env={**demo_env, "COPRODUCE_DEMO": "1", "COPRODUCE_DATA_DIR": folder}), folder
    )
    one_line_saying_what_to_do(coproduce("demo", "--data-dir", "/proc/coproduce-data", env=demo_env), "/proc")


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write in a read-only folder")
def test_a_read_only_data_folder_is_one_line_not_a_traceback(tmp_path: Any) -> None:
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        result = coproduce("demo", "--data-dir", str(folder), env=production_env(tmp_path, DATABASE_URL=None))
        one_line_saying_what_to_do(result, str(folder))
    finally:
        folder.chmod(0o755)


def test_the_demo_secret_key_is_made_whole_and_kept(tmp_path: Any) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "secret_key").write_text("")  # as a full disk could have left it
    env = production_env(tmp_path, DATABASE_URL=None, SECRET_KEY=None, COPRODUCE_DEMO="1")
    env["COPRODUCE_DATA_DIR"] = str(folder)
    show = ("shell", "-c", "from django.conf import settings; print(settings.SECRET_KEY)")
    first = coproduce(*show, env=env)
    assert first.returncode == 0, first.stderr
    key = first.stdout.strip().splitlines()[-1]
    assert len(key) >= 50 and (folder / "secret_key").read_text() == key
    assert (folder / "secret_key").stat().st_mode & 0o077 == 0  # readable by its owner only
    assert coproduce(*show, env=env).stdout.strip().splitlines()[-1] == key
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []  # no leftovers


def test_ctrl_c_before_a_command_is_ready_stops_quietly(monkeypatch: Any, capsys: Any) -> None:
    from coproduce import cli

    def interrupted(argv: list[str]) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "worker", interrupted)
    assert cli.main(["coproduce", "worker"]) == 130
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err


@pytest.mark.parametrize("command", ["serve", "worker", "demo"])
def test_server_commands_give_numpy_one_thread_unless_the_operator_chose(monkeypatch: Any, command: str) -> None:
    from coproduce import cli

    seen: dict[str, str | None] = {}
    monkeypatch.setattr(os, "environ", dict(os.environ))  # nothing set here leaks into other tests

    def record(argv: list[str]) -> int:
        seen.update({name: os.environ.get(name) for name in cli.BLAS_THREAD_SETTINGS})
        return 0

    for name in cli.BLAS_THREAD_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("COPRODUCE_BLAS_THREADS", raising=False)
    monkeypatch.setenv("OMP_NUM_THREADS", "3")  # the operator's own choice wins
    monkeypatch.setattr(cli, command, record)
    assert cli.main(["coproduce", command]) == 0
    assert seen == {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "3", "MKL_NUM_THREADS": "1"}


def test_blas_threads_can_be_set_for_all_three(monkeypatch: Any) -> None:
    from coproduce import cli

    monkeypatch.setattr(os, "environ", dict(os.environ))  # nothing set here leaks into other tests
    for name in cli.BLAS_THREAD_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COPRODUCE_BLAS_THREADS", "2")
    monkeypatch.setattr(cli, "worker", lambda argv: 0)
    assert cli.main(["coproduce", "worker"]) == 0
    assert {name: os.environ[name] for name in cli.BLAS_THREAD_SETTINGS} == dict.fromkeys(cli.BLAS_THREAD_SETTINGS, "2")


def test_the_web_server_runs_one_blocking_thread_per_worker_unless_told(monkeypatch: Any) -> None:
    from coproduce.cli import _web_server_command

    def threads(command: list[str]) -> str:
        return command[command.index("--blocking-threads") + 1]

    monkeypatch.delenv("COPRODUCE_THREADS", raising=False)
    command = _web_server_command("127.0.0.1", 8000, 2)
    assert threads(command) == "1"
    assert command[command.index("--workers") + 1] == "2"
    monkeypatch.setenv("COPRODUCE_THREADS", "3")
    assert threads(_web_server_command("127.0.0.1", 8000, 2)) == "3"


def test_the_terminal_code_hint_is_a_command_that_runs() -> None:
    import subprocess
    import sys

    from coproduce.cli import TOTP_HINT

    assert TOTP_HINT == "uv run python -m coproduce.totp SECRET"
    usage = subprocess.run([sys.executable, "-m", "coproduce.totp"], capture_output=True, text=True, check=False)
    assert usage.returncode == 2 and "uv run python -m coproduce.totp" in usage.stderr
