"""The reports app's tables: employability outcomes (outcomes.py) and saved reports (definitions.py)."""

from coproduce.reports.models.definitions import *  # noqa: F403
from coproduce.reports.models.outcomes import *  # noqa: F403
