"""The measure evaluation offers to tests of change: what parents said about one service, statement by
statement, month by month (``partnerships.measures``). A reference is "<subject id>:<statement key>"; the
points are the same as the service's run chart (``selectors.results.monthly_series``): a month's mean only
where at least 5 answers scored the statement, and no counts."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from coproduce.evaluation.instrument import STATEMENT_BY_KEY
from coproduce.evaluation.models import Subject
from coproduce.evaluation.selectors.results import monthly_series
from coproduce.partnerships.measures import MeasurePoint, MeasureSource, register_measure_source

SOURCE_KEY = "evaluation.statement"


def _parse(ref: str) -> tuple[int, str] | None:
    subject_id, _sep, key = ref.partition(":")
    if not subject_id.isdigit() or key not in STATEMENT_BY_KEY:
        return None
    return int(subject_id), key


def points(partnership_id: int, ref: str) -> list[MeasurePoint]:
    """The months of one statement for one service in one partnership, oldest first (one query)."""
    parsed = _parse(ref)
    if parsed is None:
        return []
    subject_id, key = parsed
    return [MeasurePoint(on=month, value=mean) for month, mean in monthly_series(partnership_id, subject_id)[key]]


def describe(partnership_id: int, ref: str) -> str:
    """ "Money advice drop-in: I was listened to"; "" for a reference that names nothing here."""
    parsed = _parse(ref)
    if parsed is None:
        return ""
    subject_id, key = parsed
    name = Subject.objects.filter(partnership_id=partnership_id, pk=subject_id).values_list("name", flat=True).first()
    if name is None:
        return ""
    return f"{name}: {STATEMENT_BY_KEY[key].text}"


def register() -> None:
    register_measure_source(
        MeasureSource(
            key=SOURCE_KEY,
            label=_("What parents said about a service"),
            points=points,
            describe=describe,
        )
    )
