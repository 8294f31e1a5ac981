"""Evaluation's open dataset: what parents said about the partnership's services, for the whole partnership,
quarter by quarter.

For each whole quarter with at least 5 answers: how many answered, and for each of the six statements the
mean score (1 to 5, when at least 5 answers scored it) and the share agreeing (when those agreeing and those
not are each 0 or at least 5), the rule of ``selectors/results.py`` and ``methods.suppression``. The quarter
under way is not published (its figures would move one answer at a time); a quarter with fewer than 5 answers
is left out.

Never published: any service's or organisation's own figures, anything a parent wrote, the coordinators'
own questions, who answered, or how (online, on paper, read out).

``open_results`` is the one read the page, the CSV and the JSON share: one query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy

from coproduce.evaluation.instrument import STATEMENT_BY_KEY
from coproduce.evaluation.models import Answer
from coproduce.evaluation.selectors.results import PartnershipQuarter, partnership_quarters, quarter_of
from coproduce.partnerships.models import Partnership
from coproduce.partnerships.open_data import Distribution, OpenDataset

KEY = "evaluation.results"
CSV_COLUMNS = (
    "quarter",
    "quarter_start",
    "quarter_end",
    "answers",
    "statement_key",
    "statement",
    "mean",
    "agree_percent",
)


@dataclass(frozen=True)
class OpenStatement:
    key: str
    text: str
    mean: Decimal | None
    agree_percent: int | None


@dataclass(frozen=True)
class OpenQuarter:
    code: str  # "2026-Q3"
    label: str  # "July to September 2026"
    start: date
    end: date
    answers: int
    statements: tuple[OpenStatement, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "quarter": self.code,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "answers": self.answers,
            "statements": [
                {
                    "key": s.key,
                    "statement": s.text,
                    "mean": str(s.mean) if s.mean is not None else None,
                    "agree_percent": s.agree_percent,
                }
                for s in self.statements
            ],
        }

    def csv_rows(self) -> list[dict[str, Any]]:
        """One row per statement."""
        return [
            {
                "quarter": self.code,
                "quarter_start": self.start.isoformat(),
                "quarter_end": self.end.isoformat(),
                "answers": self.answers,
                "statement_key": s.key,
                "statement": s.text,
                "mean": s.mean,
                "agree_percent": s.agree_percent,
            }
            for s in self.statements
        ]


def _published_before() -> date:
    """Only whole quarters: those that ended before the quarter under way began."""
    return quarter_of(timezone.localdate()).start


def _open_quarter(found: PartnershipQuarter) -> OpenQuarter:
    return OpenQuarter(
        code=found.quarter.code,
        label=found.quarter.label,
        start=found.quarter.start,
        end=found.quarter.end,
        answers=found.answers,
        statements=tuple(
            OpenStatement(s.key, str(STATEMENT_BY_KEY[s.key].text), s.mean, s.agree_share) for s in found.statements
        ),
    )


def open_results(partnership: Partnership) -> list[OpenQuarter]:
    """The published quarters, newest first (one query)."""
    return [_open_quarter(q) for q in partnership_quarters(partnership.pk, before=_published_before())]


def last_updated(partnership: Partnership) -> datetime | None:
    """When the newest answer in a published quarter was given (one query)."""
    found: datetime | None = Answer.objects.filter(
        partnership_id=partnership.pk, period__lt=_published_before()
    ).aggregate(newest=Max("created_at"))["newest"]
    return found


DATASET = OpenDataset(
    key=KEY,
    title=gettext_lazy("What parents said about the services"),
    description=gettext_lazy(
        "For the whole partnership, each quarter: how many parents answered and, for six statements such as "
        "“I was listened to”, the average score from 1 to 5 and the share who agreed. Quarters with fewer "
        "than 5 answers are left out."
    ),
    order=60,
    distributions=(
        Distribution(gettext_lazy("Web page"), "evaluation:open-results", "text/html"),
        Distribution("CSV", "evaluation:open-results-csv", "text/csv"),
        Distribution("JSON", "evaluation:open-results-json", "application/json"),
    ),
    last_updated=last_updated,
    keywords=("evaluation", "service user feedback", "experience"),
)
