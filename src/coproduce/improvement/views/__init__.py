"""Pages for tests of change and the stop-doing register. Each view resolves what it needs through the
selectors (what is out of reach raises NotPermitted, a 404), calls one service for a write, and renders.
A ServiceError is shown next to its field (or at the top).

One module per part of the section; urls.py names the views through this package."""

from coproduce.improvement.views.board import board
from coproduce.improvement.views.checks import check
from coproduce.improvement.views.configuration import settings_page
from coproduce.improvement.views.decisions import cosign, decide
from coproduce.improvement.views.measures import (
    measure_new,
    observation_delete,
    observation_edit,
    observation_import,
    observation_new,
)
from coproduce.improvement.views.stopped import register, stopped, stopped_agree, stopped_new
from coproduce.improvement.views.tests_of_change import study, test_edit, test_new, test_page, test_stage

__all__ = [
    "board",
    "check",
    "cosign",
    "decide",
    "measure_new",
    "observation_delete",
    "observation_edit",
    "observation_import",
    "observation_new",
    "register",
    "settings_page",
    "stopped",
    "stopped_agree",
    "stopped_new",
    "study",
    "test_edit",
    "test_new",
    "test_page",
    "test_stage",
]
