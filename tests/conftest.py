from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.factories import MembershipFactory, PartnershipFactory, staff_membership


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    """allauth keeps its rate-limit counters in the cache: start every test with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


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
