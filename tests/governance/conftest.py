from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from coproduce.governance import services
from tests.factories import OrganisationFactory, staff_membership


@pytest.fixture
def group(coordinator: Any) -> Any:
    return services.group_create(actor=coordinator, name="Steering group", purpose="Agrees the budget.")


@pytest.fixture
def member_seat(coordinator: Any, group: Any) -> Any:
    return services.seat_create(actor=coordinator, group=group, title="Parent representative", kind="member")


@pytest.fixture
def college(partnership: Any) -> Any:
    return OrganisationFactory(partnership=partnership, name="Riverside College")


@pytest.fixture
def college_seat(coordinator: Any, group: Any, college: Any) -> Any:
    return services.seat_create(
        actor=coordinator, group=group, title="Riverside College", kind="organisation", organisation=college
    )


@pytest.fixture
def college_worker(partnership: Any, college: Any) -> Any:
    return staff_membership(partnership, role="worker", organisation=college)


@pytest.fixture
def today() -> Any:
    return timezone.localdate()
