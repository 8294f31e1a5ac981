"""Rate limits: counted per token (reads and writes apart) and per client address without a valid token, in
the database; a request over the limit is a 429 problem with Retry-After."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from coproduce.api.models import RequestCount
from coproduce.api.services import limits
from coproduce.api.services.limits import count_request
from coproduce.partnerships.models import Membership
from tests.api.conftest import ApiClient, make_token


@pytest.mark.django_db
def test_a_bucket_is_allowed_its_count_a_minute() -> None:
    minute = 60 * 1_000_000
    verdicts = [count_request("b", 3, now=minute + 5) for _ in range(4)]
    assert [verdict.allowed for verdict in verdicts] == [True, True, True, False]
    assert verdicts[-1].retry_after == 55
    assert count_request("other", 3, now=minute + 6).allowed
    assert count_request("b", 3, now=minute + 61).allowed  # the next minute starts again
    assert list(RequestCount.objects.filter(bucket="b").values_list("window", flat=True)) == [1_000_001]


@pytest.mark.django_db
def test_a_token_over_its_reads_gets_a_429_with_retry_after(
    member: Membership, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "READS_PER_MINUTE", 2)
    client = ApiClient(make_token(member))
    assert [client.get("/api/v1/me").status_code for _ in range(2)] == [200, 200]
    refused = client.get("/api/v1/me")
    assert refused.status_code == 429 and refused["Content-Type"] == "application/problem+json"
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert ApiClient(make_token(member)).get("/api/v1/me").status_code == 200  # each token counts its own


@pytest.mark.django_db
def test_an_address_without_a_valid_token_is_limited(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "ANONYMOUS_PER_MINUTE", 3)
    statuses = [ApiClient("cpt_guess").get("/api/v1/me").status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="counts from many connections at once: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_counts_from_many_processes_add_up() -> None:
    def count() -> None:
        try:
            for _ in range(10):
                count_request("shared", 1000, now=120.0)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=count) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert RequestCount.objects.get(bucket="shared").count == 80
