"""What improvement offers the other apps, and the only module of improvement they import (an import-linter
contract). Another app (the learning log) links to tests of change by their id: it offers the person the
tests they may see and checks the one they chose. Tests cross as plain ``TestRef`` values, never as models."""

from __future__ import annotations

from dataclasses import dataclass

from coproduce.improvement import selectors, services
from coproduce.improvement.models import TestOfChange
from coproduce.partnerships.models import Membership

__all__ = ["TestRef", "test_start_linked", "test_visible_to", "tests_visible_to"]


@dataclass(frozen=True)
class TestRef:
    """A test of change as another app shows it: its id, its name and its stage ("Plan", "Do", ...)."""

    __test__ = False  # not a test case, whatever pytest thinks of the name

    id: int
    title: str
    stage: str


def _ref(test: TestOfChange) -> TestRef:
    return TestRef(id=test.pk, title=test.title, stage=str(test.get_stage_display()))


def tests_visible_to(actor: Membership) -> list[TestRef]:
    """Every test of change ``actor`` may see, most recently changed first."""
    return [_ref(t) for t in selectors.tests_visible_to(actor).only("id", "title", "stage").order_by("-updated_at")]


def test_visible_to(actor: Membership, test_id: int) -> TestRef | None:
    """The test of change with this id if ``actor`` may see it, else ``None``."""
    found = selectors.tests_visible_to(actor).filter(pk=test_id).only("id", "title", "stage").first()
    return _ref(found) if found else None


def test_start_linked(
    *,
    actor: Membership,
    title: str,
    aim_what: str,
    measure_name: str,
    source_key: str,
    ref: str,
    organisation_id: int | None = None,  # noqa: PT028 (not a pytest test)
) -> TestRef:
    """Start a test of change in one step, its one measure following the figures ``source_key`` keeps for
    ``ref`` (a ``partnerships.measures`` source): in the Plan stage, owned by ``actor``, three months from
    today; the rest is left for the team to agree on the test's page. Permission is improvement's own rule for
    starting a test (``NotPermitted`` otherwise); bad input raises ``ServiceError``. The caller sends the
    person to the test's page (``improvement:test`` with the returned id)."""
    return _ref(
        services.pdsa_start_linked(
            actor=actor,
            title=title,
            aim_what=aim_what,
            measure_name=measure_name,
            source_key=source_key,
            ref=ref,
            organisation_id=organisation_id,
        )
    )
