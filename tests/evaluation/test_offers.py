"""Offers to evaluate: the job syncs the subjects, offers each member at most one service a fortnight (her
oldest use first, within 60 days, never one she answered this month), posts a notice, and she may dismiss it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from coproduce.core.exceptions import NotPermitted
from coproduce.core.scheduler import periodic_jobs
from coproduce.evaluation import selectors, services
from coproduce.evaluation.models import Offer, Subject
from coproduce.evaluation.services.offers import answer_url
from coproduce.notifications.models import Notice
from coproduce.partnerships.models import Membership
from coproduce.partnerships.service_use import service_use_sources
from tests.evaluation.conftest import FakeSource, make_subject, scores
from tests.factories import MembershipFactory, PartnershipFactory

pytestmark = pytest.mark.django_db


def offered(member: Membership) -> list[tuple[str, str]]:
    rows = Offer.objects.filter(user=member.user).order_by("offered_at", "id")
    return list(rows.values_list("subject__name", "use_key"))


def test_the_job_is_registered_every_15_minutes() -> None:
    job = next(j for j in periodic_jobs() if j.key == "evaluation.offers")
    assert job.every == dt.timedelta(minutes=15)
    assert job.task == "coproduce.evaluation.tasks.make_offers"


def test_an_offer_after_a_use_with_a_notice(member_who_used: Membership, subject: Subject) -> None:
    assert services.offers_make() == 1
    offer = Offer.objects.get()
    assert (offer.user_id, offer.subject_id, offer.moment) == (member_who_used.user_id, subject.pk, "completed")
    notice = Notice.objects.get(user=member_who_used.user, kind="evaluation.offer")
    assert notice.text == f"Tell us about {subject.name}: it takes a minute."
    assert notice.url == answer_url(subject.partnership, subject.pk, offer.pk)
    assert notice.url.endswith(f"/evaluation/services/{subject.pk}/answer/?offer={offer.pk}")
    assert list(selectors.offers_waiting(member_who_used)) == [offer]
    # Safe to run again: nothing more.
    assert services.offers_make() == 0


def test_the_task_runs_the_service(member_who_used: Membership, subject: Subject) -> None:
    from coproduce.evaluation.tasks import make_offers

    make_offers.call()
    assert Offer.objects.count() == 1


def test_one_a_fortnight_oldest_use_first(
    member: Membership, partnership: Any, subject: Subject, fake_source: FakeSource
) -> None:
    second = make_subject(partnership, "Housing advice", fake=fake_source)
    third = make_subject(partnership, "Baby group", fake=fake_source)
    fake_source.use(member, second, days_ago=5)
    fake_source.use(member, subject, days_ago=10, moment="left")
    fake_source.use(member, third, days_ago=1, moment="attended")
    now = timezone.now()
    assert services.offers_make(now=now) == 1
    assert [name for name, _key in offered(member)] == [subject.name]
    assert Offer.objects.get().moment == "left"
    # Thirteen days on: still the same fortnight.
    assert services.offers_make(now=now + dt.timedelta(days=13)) == 0
    # A fortnight on: the next oldest.
    assert services.offers_make(now=now + dt.timedelta(days=14, minutes=1)) == 1
    assert [name for name, _key in offered(member)] == [subject.name, "Housing advice"]
    assert services.offers_make(now=now + dt.timedelta(days=29)) == 1
    assert [name for name, _key in offered(member)] == [subject.name, "Housing advice", "Baby group"]
    assert services.offers_make(now=now + dt.timedelta(days=45)) == 0


def test_a_use_older_than_60_days_is_not_offered(member: Membership, subject: Subject, fake_source: FakeSource) -> None:
    fake_source.use(member, subject, days_ago=61)
    assert services.offers_make() == 0
    fake_source.use(member, subject, days_ago=59)
    assert services.offers_make() == 1


def test_a_use_in_the_future_waits(member: Membership, subject: Subject, fake_source: FakeSource) -> None:
    fake_source.use(member, subject, days_ago=-1)
    assert services.offers_make() == 0


def test_never_for_a_service_answered_this_month(
    member_who_used: Membership, partnership: Any, subject: Subject, fake_source: FakeSource
) -> None:
    services.answer_give(actor=member_who_used, subject_id=subject.pk, scores=scores(4))
    assert services.offers_make() == 0
    other = make_subject(partnership, "Housing advice", fake=fake_source)
    fake_source.use(member_who_used, other, days_ago=2)
    assert services.offers_make() == 1
    assert offered(member_who_used)[0][0] == "Housing advice"


def test_each_person_is_counted_separately(partnership: Any, subject: Subject, fake_source: FakeSource) -> None:
    people = [MembershipFactory(partnership=partnership, is_member=True) for _ in range(5)]
    for person in people:
        fake_source.use(person, subject)
        fake_source.use(person, subject, days_ago=2)
    assert services.offers_make() == 5
    assert Notice.objects.filter(kind="evaluation.offer").count() == 5


def test_only_members_of_the_partnership_are_offered(
    partnership: Any, subject: Subject, fake_source: FakeSource, worker: Membership
) -> None:
    fake_source.use(worker, subject)  # staff who is not a member
    gone = MembershipFactory(partnership=partnership, is_member=True)
    fake_source.use(gone, subject)
    gone.delete()
    assert services.offers_make() == 0


def test_an_inactive_or_unknown_subject_is_not_offered(
    member: Membership, partnership: Any, fake_source: FakeSource
) -> None:
    closed = make_subject(partnership, "Closed", fake=fake_source, active=False)
    fake_source.use(member, closed)
    fake_source.use(member, "fake.service:999")
    assert services.offers_make() == 0


def test_the_fortnight_spans_partnerships(member: Membership, subject: Subject, fake_source: FakeSource) -> None:
    Offer.objects.create(
        partnership=PartnershipFactory(),
        user=member.user,
        subject=make_subject(PartnershipFactory(), "Elsewhere"),
        moment="completed",
        use_key="elsewhere:1",
        offered_at=timezone.now() - dt.timedelta(days=3),
    )
    fake_source.use(member, subject)
    assert services.offers_make() == 0


def test_the_job_brings_subjects_up_to_date(member: Membership, partnership: Any, fake_source: FakeSource) -> None:
    thing = fake_source.thing("Brand new service")
    fake_source.use(member, thing.key)
    assert services.offers_make() == 1
    assert Subject.objects.get(source_key=thing.key).name == "Brand new service"


# --- dismissing -------------------------------------------------------------------------------------------


def test_dismissing_hides_the_offer_and_clears_the_notice(member_who_used: Membership, subject: Subject) -> None:
    services.offers_make()
    offer = Offer.objects.get()
    services.offer_dismiss(actor=member_who_used, offer_id=offer.pk)
    offer.refresh_from_db()
    assert offer.dismissed_at is not None
    assert not selectors.offers_waiting(member_who_used).exists()
    assert Notice.objects.get(kind="evaluation.offer").done_at is not None
    # Twice is once.
    services.offer_dismiss(actor=member_who_used, offer_id=offer.pk)
    # She may still answer about it.
    services.answer_give(actor=member_who_used, subject_id=subject.pk, scores=scores(3), offer_id=offer.pk)


def test_a_dismissed_use_is_not_offered_again(member_who_used: Membership, subject: Subject) -> None:
    now = timezone.now()
    services.offers_make(now=now)
    services.offer_dismiss(actor=member_who_used, offer_id=Offer.objects.get().pk)
    assert services.offers_make(now=now + dt.timedelta(days=20)) == 0


def test_only_the_member_offered_dismisses(
    member_who_used: Membership, subject: Subject, coordinator: Membership, partnership: Any
) -> None:
    services.offers_make()
    offer = Offer.objects.get()
    for actor in (coordinator, MembershipFactory(partnership=partnership, is_member=True)):
        with pytest.raises(NotPermitted):
            services.offer_dismiss(actor=actor, offer_id=offer.pk)
    assert Offer.objects.get().dismissed_at is None


# --- subjects ---------------------------------------------------------------------------------------------


def test_subjects_sync_creates_updates_and_retires(
    partnership: Any, fake_source: FakeSource, worker: Membership, django_assert_max_num_queries: Any
) -> None:
    for i in range(20):
        fake_source.thing(f"Service {i}", organisation_id=worker.organisation_id)
    # A few queries of its own, and each registered source's (support's and learning's, one each), however many
    # things there are.
    most = 7 + len(service_use_sources())
    with django_assert_max_num_queries(most):
        assert services.subjects_sync(partnership_id=partnership.pk) == 20
    assert services.subjects_sync(partnership_id=partnership.pk) == 0
    fake_source.thing("Service 0 renamed", n=1, organisation_id=None)
    fake_source.thing("Service 1", n=2, organisation_id=worker.organisation_id, active=False)
    fake_source.thing("Events hosted by us", n=99, kind="events", organisation_id=worker.organisation_id)
    with django_assert_max_num_queries(most):
        assert services.subjects_sync(partnership_id=partnership.pk) == 3
    one = Subject.objects.get(source_key="fake.service:1")
    assert (one.name, one.organisation_id, one.active) == ("Service 0 renamed", None, True)
    assert Subject.objects.get(source_key="fake.service:2").active is False
    assert Subject.objects.get(source_key="fake.service:99").kind == "events"
    assert Subject.objects.count() == 21


def test_subjects_sync_keeps_organisations_of_the_partnership_only(partnership: Any, fake_source: FakeSource) -> None:
    from tests.factories import OrganisationFactory

    foreign = OrganisationFactory(partnership=PartnershipFactory())
    fake_source.thing("Odd", organisation_id=foreign.pk)
    services.subjects_sync(partnership_id=partnership.pk)
    assert Subject.objects.get().organisation_id is None
