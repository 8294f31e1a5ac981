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
    lines = sign_in_lines()[1:]
    assert len(lines) == Membership.objects.filter(partnership__slug="riverside").count()
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
