"""A round's results after a bad day: a computation that fails for good, one whose task was lost, one run
twice. The results page says what is true."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from coproduce.fund import results, services
from coproduce.fund.models import ResultSnapshot, Round
from coproduce.fund.tasks import compute_results
from tests.conftest import signed_in
from tests.fund.helpers import make_proposal, make_round, move_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_round(member: Any) -> Round:
    round_ = make_round(member.partnership, phase="voting", budget=3_000, max_choices=2)
    crèche = make_proposal(round_, cost=1_000, title="Crèche")
    make_proposal(round_, cost=1_500, title="Bus passes")
    services.ballot_submit(actor=member, round_=round_, choices={crèche.pk: 1})
    return move_to(round_, "results")


def results_page(person: Any, round_: Round) -> str:
    address = reverse("fund:results", kwargs={"slug": round_.partnership.slug, "round_id": round_.pk})
    return signed_in(person.user).get(address).content.decode()


def test_results_that_fail_for_good_are_shown_as_failed_and_asked_for_again_later(
    member: Any, closed_round: Round, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ValueError("the method failed")

    monkeypatch.setattr(results, "compute", broken)
    with django_capture_on_commit_callbacks(execute=True):
        results_page(member, closed_round)  # asks for them; the tests' backend runs the task now
    snapshot = ResultSnapshot.objects.get()
    assert snapshot.status == ResultSnapshot.Status.FAILED
    page = results_page(member, closed_round)
    assert "Something went wrong working out the results." in page
    assert "have been told" not in page
    monkeypatch.undo()
    ResultSnapshot.objects.filter(pk=snapshot.pk).update(computed_at=timezone.now() - timedelta(minutes=6))
    with django_capture_on_commit_callbacks(execute=True):
        results_page(member, closed_round)
    assert ResultSnapshot.objects.get().status == ResultSnapshot.Status.READY
    assert "Your share" in results_page(member, closed_round)


def test_results_whose_task_was_lost_say_so_and_are_asked_for_again(
    member: Any, closed_round: Round, database_tasks: None, django_capture_on_commit_callbacks: Any
) -> None:
    results_page(member, closed_round)  # asked for; its task is queued on commit, which never comes here
    snapshot = ResultSnapshot.objects.get()
    assert not DBTaskResult.objects.exists()
    ResultSnapshot.objects.filter(pk=snapshot.pk).update(requested_at=timezone.now() - timedelta(minutes=10))
    page = results_page(member, closed_round)
    assert "taking longer than it should" in page and 'hx-trigger="every 30s"' in page
    ResultSnapshot.objects.filter(pk=snapshot.pk).update(requested_at=timezone.now() - timedelta(minutes=40))
    with django_capture_on_commit_callbacks(execute=True):
        results_page(member, closed_round)
    assert DBTaskResult.objects.filter(task_path=compute_results.module_path).count() == 1
    assert "being worked out from 1 ballot" in results_page(member, closed_round)


def test_working_out_the_results_twice_keeps_one_result(
    member: Any, closed_round: Round, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    results_page(member, closed_round)
    snapshot = ResultSnapshot.objects.get()
    assert compute_results.call(snapshot.pk) == "ready"
    first = ResultSnapshot.objects.get().data
    monkeypatch.setattr(results, "compute", lambda *args: pytest.fail("computed a second time"))
    assert compute_results.call(snapshot.pk) == "ready"
    assert ResultSnapshot.objects.count() == 1 and ResultSnapshot.objects.get().data == first
