"""Each capability's commitments, as the board reads them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from coproduce.fund.commitments import items as fund_items
from coproduce.improvement.commitments import adopted_items, stopped_items
from coproduce.improvement.models import StoppedPractice
from coproduce.partnerships.commitments import commitment_sources
from coproduce.voice.commitments import items as voice_items
from tests.commitments.conftest import adopted_test, award, idea_we_will_do, stopped_practice
from tests.factories import UserFactory


def test_every_source_is_registered() -> None:
    keys = {source.key for source in commitment_sources()}
    assert {"voice.response", "improvement.adopted", "improvement.stopped", "fund.award"} <= keys


def test_an_idea_answered_we_will_is_a_commitment_owned_by_the_responders_organisation(coordinator: Any) -> None:
    idea = idea_we_will_do(coordinator)
    [item] = voice_items(coordinator)
    assert item.object_id == idea.pk
    assert item.what == idea.title
    assert item.owner == coordinator.organisation.name
    assert item.owner_user_id is None
    assert not item.done
    assert item.url.endswith(f"/ideas/{idea.pk}/")


def test_an_idea_marked_done_is_a_done_commitment(coordinator: Any) -> None:
    idea_we_will_do(coordinator, done=True)
    [item] = voice_items(coordinator)
    assert item.done


def test_an_idea_only_being_considered_or_hidden_is_not_a_commitment(coordinator: Any) -> None:
    from coproduce.voice.services import idea_respond
    from tests.voice.factories import IdeaFactory

    considered = IdeaFactory(partnership=coordinator.partnership)
    idea_respond(actor=coordinator, idea=considered, status="considering", text="We are looking at it.")
    hidden = idea_we_will_do(coordinator, title="Hidden later")
    hidden.hidden_at = timezone.now()
    hidden.save(update_fields=["hidden_at"])
    withdrawn_promise = idea_we_will_do(coordinator, title="Not after all")
    idea_respond(actor=coordinator, idea=withdrawn_promise, status="not_taken_forward", text="No money left.")
    assert voice_items(coordinator) == []


def test_a_responder_without_an_organisation_owns_it_by_name(partnership: Any, coordinator: Any) -> None:
    idea = idea_we_will_do(coordinator)
    responder = UserFactory(display_name="Morag Bell")
    idea.responses.update(created_by=responder)
    [item] = voice_items(coordinator)
    assert item.owner == "Morag Bell"
    assert item.owner_user_id == responder.pk


def test_an_adopted_test_is_owned_by_who_runs_it_and_reviewed_on_the_decisions_date(worker: Any) -> None:
    test = adopted_test(worker, review_in_days=45)
    [item] = adopted_items(worker)
    assert (item.object_id, item.what) == (test.pk, test.title)
    assert item.owner == worker.user.name
    assert item.owner_user_id == worker.user_id
    assert item.review_on == timezone.localdate() + timedelta(days=45)
    assert item.due_on is None
    assert not item.done


def test_a_test_still_running_or_abandoned_is_not_an_adopted_commitment(worker: Any) -> None:
    from coproduce.improvement import services
    from tests.improvement.conftest import fields

    services.pdsa_create(actor=worker, fields=fields(title="Still running"))
    abandoned = services.pdsa_create(actor=worker, fields=fields(title="Given up"))
    services.decision_record(
        actor=worker,
        test=abandoned,
        kind="abandon",
        reasons="Nobody came.",
        review_on=timezone.localdate() + timedelta(days=10),
    )
    assert adopted_items(worker) == []
    # Abandoning what we tried stops it: the register lists it, with the decision's review date.
    [stopped] = stopped_items(worker)
    assert stopped.review_on == timezone.localdate() + timedelta(days=10)


def test_a_stopped_practice_is_a_commitment_with_its_review_date(worker: Any) -> None:
    review_on = timezone.localdate() + timedelta(days=60)
    entry = stopped_practice(worker, review_on=review_on)
    [item] = stopped_items(worker)
    assert item.object_id == entry.pk
    assert item.review_on == review_on
    assert item.owner == entry.decided_by


def test_a_practice_waiting_for_agreement_is_not_yet_a_commitment(worker: Any) -> None:
    entry = stopped_practice(worker)
    StoppedPractice.objects.filter(pk=entry.pk).update(status=StoppedPractice.Status.PROPOSED)
    assert stopped_items(worker) == []


def test_adopting_a_test_of_stopping_is_listed_once(worker: Any) -> None:
    from coproduce.improvement import services
    from tests.improvement.conftest import fields

    test = services.pdsa_create(actor=worker, fields=fields(change_kind="stop", change="The weekly paper sign-in"))
    services.decision_record(
        actor=worker,
        test=test,
        kind="adopt",
        reasons="Nobody missed it.",
        review_on=timezone.localdate() + timedelta(1),
    )
    assert StoppedPractice.objects.filter(test=test).exists()
    assert [i.object_id for i in adopted_items(worker)] == [test.pk]
    assert stopped_items(worker) == []


def test_an_award_is_owned_by_the_delivering_organisation_due_at_delivery_and_done_when_paid(
    partnership: Any, worker: Any
) -> None:
    made = award(partnership, delivery_in_days=-3)
    [item] = fund_items(worker)
    assert item.object_id == made.pk
    assert item.owner == "Riverside Sports"
    assert item.due_on == timezone.localdate(made.round.delivery_from)
    assert not item.done
    from coproduce.fund.models import AwardPayment

    AwardPayment.objects.create(award=made, amount_pence=made.amount_pence - 1)
    assert not fund_items(worker)[0].done
    AwardPayment.objects.create(award=made, amount_pence=1)
    assert fund_items(worker)[0].done


def test_sources_list_only_the_actors_partnership(one_of_each: Any, outsider: Any) -> None:
    for source in commitment_sources():
        assert source.items(outsider) == []
