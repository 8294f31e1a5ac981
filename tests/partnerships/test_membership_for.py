"""``membership_for`` runs on every partnership page in SQL written once per database; these tests hold it
to the same query written in the ORM, field by field, for every kind of person."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Exists, Model, OuterRef
from django.test.utils import CaptureQueriesContext

from coproduce.partnerships.models import Membership
from coproduce.partnerships.roles import staff_q
from coproduce.partnerships.selectors import membership_for
from tests.conftest import present
from tests.factories import MembershipFactory, OrganisationFactory, PartnershipFactory, UserFactory, staff_membership

pytestmark = pytest.mark.django_db


def orm_membership_for(user: Any, slug: str) -> Membership | None:
    return (
        Membership.objects.select_related("partnership", "organisation")
        .filter(user=user, partnership__slug=slug)
        .annotate(
            staff_anywhere=Exists(Membership.objects.filter(staff_q(), user_id=OuterRef("user_id"))),
            has_totp=Exists(Authenticator.objects.filter(user_id=OuterRef("user_id"), type=Authenticator.Type.TOTP)),
        )
        .first()
    )


def columns(obj: Model | None) -> dict[str, Any] | None:
    if obj is None:
        return None
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def described(membership: Membership | None) -> Any:
    if membership is None:
        return None
    return (
        columns(membership),
        columns(membership.partnership),
        columns(membership.organisation),
        bool(membership.staff_anywhere),  # type: ignore[attr-defined]
        bool(membership.has_totp),  # type: ignore[attr-defined]
    )


def test_every_kind_of_person_gets_what_the_orm_gives() -> None:
    here, elsewhere = PartnershipFactory(), PartnershipFactory()
    organisation = OrganisationFactory(partnership=here)
    member = MembershipFactory(partnership=here)
    worker = staff_membership(here, organisation=organisation)
    worker_without_app = staff_membership(here, organisation=organisation, mfa=False)
    coordinator = staff_membership(here, role="coordinator", organisation=organisation)
    observer = MembershipFactory(partnership=here, is_member=False, is_observer=True)
    # A member here who is staff in another partnership: staff_anywhere must say so.
    member_here_staff_there = MembershipFactory(partnership=here)
    staff_membership(elsewhere, user=member_here_staff_there.user, mfa=False)
    outsider = MembershipFactory(partnership=elsewhere)
    people = [member, worker, worker_without_app, coordinator, observer, member_here_staff_there, outsider]

    for person in people:
        for slug in (here.slug, elsewhere.slug, "no-such-partnership"):
            assert described(membership_for(person.user, slug)) == described(orm_membership_for(person.user, slug))

    found = membership_for(member_here_staff_there.user, here.slug)
    assert found is not None and found.staff_anywhere and not found.has_totp  # type: ignore[attr-defined]
    found = membership_for(worker.user, here.slug)
    assert found is not None and found.organisation == organisation and found.has_totp  # type: ignore[attr-defined]
    assert membership_for(outsider.user, here.slug) is None
    assert membership_for(AnonymousUser(), here.slug) is None
    assert membership_for(None, here.slug) is None


def test_one_query_and_the_partnership_and_organisation_come_with_it() -> None:
    worker = staff_membership(PartnershipFactory())
    user = UserFactory()
    with CaptureQueriesContext(connection) as queries:
        found = membership_for(worker.user, worker.partnership.slug)
        assert found is not None
        assert found.partnership.slug == worker.partnership.slug
        assert found.organisation is not None and found.organisation.name == present(worker.organisation).name
        assert isinstance(found.joined_at, type(worker.joined_at)) and found.joined_at == worker.joined_at
        assert found.is_worker is True and found.is_member is False
        assert membership_for(user, worker.partnership.slug) is None
    assert len(queries) == 2
