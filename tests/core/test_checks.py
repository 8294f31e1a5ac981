"""Coproduce's own system checks: ``coproduce check --deploy`` fails under production settings without a
SECRET_KEY (the one made up for commands that need none must never sign anything)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.checks import run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings


def secret_key_errors() -> list[str]:
    return [m.id for m in run_checks(include_deployment_checks=True) if m.id == "coproduce.E001"]


def test_production_settings_without_a_secret_key_fail_the_deploy_check() -> None:
    # What the settings make up when SECRET_KEY is unset outside the demo.
    with override_settings(DEMO=False, SECRET_KEY=settings.UNSET_SECRET_KEY_PREFIX + "made-up-at-start-0123456789"):
        assert secret_key_errors() == ["coproduce.E001"]
        with pytest.raises(SystemCheckError, match="SECRET_KEY is not set"):
            call_command("check", deploy=True, tags=["security"])


def test_a_real_key_or_the_demo_passes() -> None:
    with override_settings(DEMO=False, SECRET_KEY="k" * 64):
        assert secret_key_errors() == []
    with override_settings(DEMO=True, SECRET_KEY=settings.UNSET_SECRET_KEY_PREFIX + "x" * 50):
        assert secret_key_errors() == []


def test_the_check_runs_only_for_deployment() -> None:
    with override_settings(DEMO=False, SECRET_KEY=settings.UNSET_SECRET_KEY_PREFIX + "x" * 50):
        assert [m.id for m in run_checks() if m.id == "coproduce.E001"] == []


def test_a_periodic_job_naming_no_task_or_a_task_needing_arguments_fails_the_check(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from coproduce.core import scheduler
    from coproduce.core.scheduler import PeriodicJob

    assert [m.id for m in run_checks() if (m.id or "").startswith("coproduce.E02")] == []  # the platform's own jobs
    jobs = [
        PeriodicJob("test.typo", every=timedelta(hours=1), task="coproduce.voice.tasks.send_due_digest"),
        PeriodicJob("test.arguments", every=timedelta(hours=1), task="coproduce.voice.tasks.send_digest"),
    ]
    monkeypatch.setattr(scheduler, "periodic_jobs", lambda: jobs)
    assert sorted(m.id or "" for m in run_checks() if (m.id or "").startswith("coproduce.E02")) == [
        "coproduce.E020",
        "coproduce.E021",
    ]
