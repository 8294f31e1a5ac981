"""The ``coproduce`` command: Django's manage.py plus ``demo``, ``serve``, ``worker`` and ``load_demo``.

The method commands (``budget``, ``opinion``: ``coproduce.method_commands``) are run first, before anything of
Django is imported: they need no settings and no database, and start in a fraction of the time.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from coproduce import method_commands

OWN_COMMANDS = ("demo", "serve", "worker", "load_demo")

# The command that prints an authenticator code in the terminal, as the demo tells staff to run it.
TOTP_HINT = "uv run python -m coproduce.totp SECRET"


def _setup_django() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproduce.settings")
    django.setup()


def _manage(*args: str, **options: Any) -> None:
    from django.core.management import call_command

    call_command(*args, **options)


# Blocking threads per web worker. Requests are short and CPU-bound (heavy work runs in the background worker),
# and Python runs one thread of a process at a time: a second thread mostly waits for the first and adds
# switching (docs/performance.md, "Workers and threads").
DEFAULT_THREADS = 1


def _web_server_command(host: str, port: int, workers: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        os.environ.get("COPRODUCE_THREADS", str(DEFAULT_THREADS)),
        "--no-ws",
        "coproduce.wsgi:application",
    ]


def _worker_command() -> list[str]:
    return [sys.executable, "-m", "coproduce.cli", "worker"]


def _run_children(commands: list[list[str]], env: dict[str, str]) -> int:
    """Start the processes and wait; Ctrl-C (or SIGTERM) stops them all cleanly."""
    children = [subprocess.Popen(cmd, env=env) for cmd in commands]

    def stop(*_: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    code = 0
    try:
        while True:
            for child in children:
                if child.poll() is not None:
                    print(f"A process stopped (exit code {child.returncode}); stopping the rest.", file=sys.stderr)
                    code = child.returncode or 1
                    raise KeyboardInterrupt
            time.sleep(0.5)
    except KeyboardInterrupt:
        # A second Ctrl-C while stopping must not leave children behind.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        print("Stopping …", flush=True)
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGINT)
        deadline = time.monotonic() + 10
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
        print("Stopped.")
    return code


def demo(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="coproduce demo", description="Run Coproduce with a demo partnership.")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument(
        "--data-dir",
        default=os.environ.get("COPRODUCE_DATA_DIR", "var"),
        help="where the database and files are kept (default $COPRODUCE_DATA_DIR, or ./var)",
    )
    parser.add_argument("--debug", action="store_true", help="show Django's debug pages (never in production)")
    args = parser.parse_args(argv)
    data_dir = Path(args.data_dir).resolve()  # made, and checked, when the settings are read
    os.environ["COPRODUCE_DEMO"] = "1"
    os.environ["COPRODUCE_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("COPRODUCE_SITE_URL", f"http://127.0.0.1:{args.port}")
    if args.debug:
        os.environ["DEBUG"] = "1"
    _setup_django()
    print(f"Preparing the data folder {data_dir} …", flush=True)
    _manage("migrate", "--no-input", verbosity=0)
    _manage("collectstatic", "--no-input", verbosity=0)
    from coproduce.demo_data import load_demo, sign_in_lines

    load_demo(verbose=False)
    print()
    print(f"Coproduce is running at http://127.0.0.1:{args.port}/  (press Ctrl-C to stop)")
    print("Sign in as anyone in the demo partnership. Staff also need the code from an authenticator app")
    print(f"set up with the secret shown (or: {TOTP_HINT}).")
    print()
    for line in sign_in_lines():
        print(line)
    print(flush=True)
    env = dict(os.environ)
    return _run_children([_web_server_command("127.0.0.1", args.port, 1), _worker_command()], env)


def serve(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="coproduce serve", description="Run the production web server.")
    # A production server listens on all interfaces unless told otherwise (HOST or --host).
    all_interfaces = "0.0.0.0"  # noqa: S104  # nosec B104
    parser.add_argument("--host", default=os.environ.get("HOST", all_interfaces))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
    parser.add_argument("--with-worker", action="store_true", help="also run a background-task worker")
    args = parser.parse_args(argv)
    if os.environ.get("COPRODUCE_DEMO"):
        print("coproduce serve is for production: unset COPRODUCE_DEMO.", file=sys.stderr)
        return 2
    from django.core.exceptions import ImproperlyConfigured

    from coproduce.settings import check_production_settings

    try:
        check_production_settings()
    except ImproperlyConfigured as error:
        print(str(error), file=sys.stderr)
        return 2
    commands = [_web_server_command(args.host, args.port, args.workers)]
    if args.with_worker:
        commands.append(_worker_command())
    with _metrics_folder() as folder:
        return _run_children(commands, {**os.environ, "PROMETHEUS_MULTIPROC_DIR": folder})


@contextlib.contextmanager
def _metrics_folder() -> Iterator[str]:
    """Where the web worker processes keep their counts for /metrics to add up (prometheus_client's
    multiprocess mode): ``PROMETHEUS_MULTIPROC_DIR`` if set (emptied first: counts start again with the
    server), else a new folder removed when the server stops."""
    given = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
    if given:
        folder = Path(given)
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("*.db"):
            stale.unlink()
        yield str(folder)
        return
    with tempfile.TemporaryDirectory(prefix="coproduce-metrics-") as made:
        yield made


def worker(argv: list[str]) -> int:
    """Run background tasks (``task_worker``: django-tasks-db's worker that also runs again the tasks a
    stopped worker left, retries failures with back-off, see ``core.background``, and starts the periodic
    jobs once per period, see ``core.scheduler``)."""
    _setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["coproduce", "task_worker", *argv])
    return 0


def load_demo_command(argv: list[str]) -> int:
    _setup_django()
    from coproduce.demo_data import load_demo, sign_in_lines

    load_demo(verbose=True)
    for line in sign_in_lines():
        print(line)
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    command = argv[1] if len(argv) > 1 else ""
    try:
        if command in method_commands.NAMES:
            return method_commands.run(command, argv[2:])
        return _with_django(argv)
    except KeyboardInterrupt:
        # Ctrl-C before a command set up its own handling (a worker still importing, a migration under way):
        # stop quietly, with the shell's usual code for an interrupt, instead of printing a traceback.
        return 130


def _with_django(argv: list[str]) -> int:
    from django.core.exceptions import ImproperlyConfigured

    try:
        return _dispatch(argv)
    except ImproperlyConfigured as error:
        # The settings could not be read (e.g. a data folder that cannot be written): one line, no traceback.
        print(f"coproduce: {error}", file=sys.stderr)
        return 2


BLAS_THREAD_SETTINGS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def _one_blas_thread_by_default() -> None:
    """numpy's BLAS starts a thread per core by default; web workers, the task worker and the database
    share the cores, so one thread each is faster (docs/performance.md, the opinion map). Set before numpy
    is imported; an operator's own setting wins."""
    for name in BLAS_THREAD_SETTINGS:
        os.environ.setdefault(name, os.environ.get("COPRODUCE_BLAS_THREADS", "1"))


# Commands spelt with hyphens on the command line (Django's command modules are named with underscores).
DASHED_COMMANDS = {"check-counts": "check_counts", "generate-load-data": "generate_load_data"}


def _dispatch(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else ""
    if command in DASHED_COMMANDS:
        command = argv[1] = DASHED_COMMANDS[command]
    if command in ("demo", "serve", "worker"):
        _one_blas_thread_by_default()
    if command == "demo":
        return demo(argv[2:])
    if command == "serve":
        return serve(argv[2:])
    if command == "worker":
        return worker(argv[2:])
    if command == "load_demo":
        return load_demo_command(argv[2:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproduce.settings")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    if command not in ("", "help", "--help", "-h", "--version"):
        # Read the settings here, so that a problem with them stops the command with its message (caught in
        # main); Django would otherwise note it and carry on until a traceback.
        settings.INSTALLED_APPS  # noqa: B018
    execute_from_command_line(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
