"""This capability's rows of the URL × role table in tests/test_url_access.py (see that file): evaluation (entry).

Keyworkers (workers and coordinators) print paper forms and enter answers given on paper or read out; nobody
else reaches these pages (the same 404 as a missing page). In the world below there is one service, run by the
worker's organisation, to print a form for."""

from __future__ import annotations

from typing import Any

from tests.test_url_access import only

KEYWORKERS = only("worker", "coordinator")

ROWS: dict[str, dict[str, int]] = {
    "evaluation:paper": KEYWORKERS,
    "evaluation:paper-form": KEYWORKERS,
    "evaluation:enter": KEYWORKERS,
}


def build(world: dict[str, Any]) -> dict[str, dict[str, Any]]:
    from coproduce.evaluation.models import Subject

    subject, _created = Subject.objects.get_or_create(
        partnership=world["partnership"],
        source_key="support.service:entry",
        defaults={
            "kind": Subject.Kind.SERVICE,
            "name": "Job club",
            "organisation": world["people"]["worker"].organisation,
        },
    )
    return {"evaluation:paper-form": {"subject_id": subject.pk}}
