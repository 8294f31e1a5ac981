"""The first README command, run for real: `coproduce demo` serves pages and stops cleanly on Ctrl-C."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="the demo runs on SQLite; run once")
def test_demo_serves_the_partnership_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COPRODUCE_", "DJANGO_", "DATABASE_URL"))}
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "coproduce.cli", "demo", "--port", str(port), "--data-dir", str(tmp_path / "var")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        status, body = None, ""
        while time.monotonic() < deadline and status is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5) as response:
                    status = response.status
                    body = response.read().decode()
            except urllib.error.HTTPError as error:
                status, body = error.code, error.read().decode()
            except OSError:
                time.sleep(0.5)
        assert status == 200, body
        assert "Sign in" in body
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/vendor/htmx/htmx.min.js", timeout=5) as static:
            assert static.status == 200
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    assert "morag@riverside.example" in output
    assert "aisha@riverside.example" in output
    assert "Traceback" not in output, output
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        pass  # nothing is left listening
