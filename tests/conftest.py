from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.factories import MembershipFactory, PartnershipFactory, staff_membership

# A test asking for any of these uses the database.
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}


@pytest.fixture(autouse=True)
def _fresh_cache(request: pytest.FixtureRequest) -> Any:
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


@pytest.fixture
def partnership(db: Any) -> Any:
    return PartnershipFactory(slug="riverside-test", name="Riverside Test Partnership")


@pytest.fixture
def member(partnership: Any) -> Any:
    return MembershipFactory(partnership=partnership, is_member=True)


@pytest.fixture
def worker(partnership: Any) -> Any:
    return staff_membership(partnership, role="worker")


@pytest.fixture
def coordinator(partnership: Any) -> Any:
    return staff_membership(partnership, role="coordinator")


@pytest.fixture
def partner_lead(partnership: Any) -> Any:
    return staff_membership(partnership, role="partner_lead")


@pytest.fixture
def observer(partnership: Any) -> Any:
    return MembershipFactory(partnership=partnership, is_member=False, is_observer=True)


@pytest.fixture
def outsider(db: Any) -> Any:
    """A member of another partnership."""
    return MembershipFactory(partnership=PartnershipFactory(slug="elsewhere"), is_member=True)


def signed_in(user: Any) -> Client:
    """A client signed in as the person, past two-factor sign-in."""
    client = Client()
    client.force_login(user, backend="coproduce.accounts.backends.AuthenticationBackend")
    return client


@pytest.fixture
def database_tasks(settings: Any) -> None:
    """Tasks stored in the database and run by a worker, as in production, instead of the tests' backend
    that runs each task at once (tests.core.workers runs them)."""
    from tests.core.workers import DATABASE_TASKS

    settings.TASKS = DATABASE_TASKS
