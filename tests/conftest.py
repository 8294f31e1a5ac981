from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TypeVar

import pytest
from django.test import Client

from coproduce.accounts.models import User
from coproduce.partnerships.models import Membership, Partnership
from tests.factories import MembershipFactory, PartnershipFactory, staff_membership

T = TypeVar("T")

# A test asking for any of these uses the database.
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}


@pytest.fixture(autouse=True)
def _fresh_cache(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test starts with empty caches. The shared cache is a table in the database (allauth's rate-limit
    counters, authenticator codes already used): a test that uses the database has it emptied afterwards (a
    test in a transaction has its writes undone anyway); one that does not cannot reach it."""
    from django.core.cache import caches
    from django.core.cache.backends.db import DatabaseCache

    local = [backend for backend in caches.all() if not isinstance(backend, DatabaseCache)]
    shared = [backend for backend in caches.all() if isinstance(backend, DatabaseCache)]
    for backend in local:
        backend.clear()
    yield
    for backend in local:
        backend.clear()
    if shared and (request.node.get_closest_marker("django_db") or DATABASE_FIXTURES & set(request.fixturenames)):
        with request.getfixturevalue("django_db_blocker").unblock():
            for backend in shared:
                backend.clear()


@pytest.fixture(autouse=True)
def _empty_text_outbox() -> Iterator[None]:
    """The texts the tests' backend sent (``coproduce.core.sms.outbox``), emptied around every test."""
    from coproduce.core import sms

    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def partnership(db: None) -> Partnership:
    return PartnershipFactory(slug="riverside-test", name="Riverside Test Partnership")


@pytest.fixture
def member(partnership: Partnership) -> Membership:
    return MembershipFactory(partnership=partnership, is_member=True)


@pytest.fixture
def worker(partnership: Partnership) -> Membership:
    return staff_membership(partnership, role="worker")


@pytest.fixture
def coordinator(partnership: Partnership) -> Membership:
    return staff_membership(partnership, role="coordinator")


@pytest.fixture
def partner_lead(partnership: Partnership) -> Membership:
    return staff_membership(partnership, role="partner_lead")


@pytest.fixture
def observer(partnership: Partnership) -> Membership:
    return MembershipFactory(partnership=partnership, is_member=False, is_observer=True)


@pytest.fixture
def outsider(db: None) -> Membership:
    """A member of another partnership."""
    return MembershipFactory(partnership=PartnershipFactory(slug="elsewhere"), is_member=True)


def signed_in(user: User) -> Client:
    """A client signed in as the person, past two-factor sign-in."""
    client = Client()
    client.force_login(user, backend="coproduce.accounts.backends.AuthenticationBackend")
    return client


def present(value: T | None) -> T:
    """The value, which the test expects to be there (``.first()``, an optional field): for the type checker,
    and a clear failure where a missing value would otherwise raise an AttributeError further on."""
    assert value is not None, "expected a value, found None"
    return value


@pytest.fixture
def database_tasks(settings: Any) -> None:
    """Tasks stored in the database and run by a worker, as in production, instead of the tests' backend
    that runs each task at once (tests.core.workers runs them)."""
    from tests.core.workers import DATABASE_TASKS

    settings.TASKS = DATABASE_TASKS
