"""The limits' counts under real concurrency on PostgreSQL: simultaneous failures from many web processes
(threads, each with its own connection) are each counted once."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection, connections

from coproduce.accounts import limits, services
from coproduce.accounts.models import SignInFailures

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL"),
]

ATTEMPTS = 30


def test_simultaneous_wrong_codes_are_each_counted_once() -> None:
    def fail(_: int) -> Any:
        try:
            return limits.failure_record(limits.AUTHENTICATOR_CODE, account="person:1", address="192.0.2.9")
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=10) as pool:
        outcomes = list(pool.map(fail, range(ATTEMPTS)))
    assert sorted(outcome.failures for outcome in outcomes) == list(range(1, ATTEMPTS + 1))
    assert sorted(SignInFailures.objects.values_list("failures", flat=True)) == [ATTEMPTS, ATTEMPTS]
    assert sum(outcome.alert for outcome in outcomes) == 1  # one email, however the attempts interleave


def test_a_burst_of_simultaneous_codes_is_heard_no_further_than_the_limit() -> None:
    """Each attempt is checked with the account's row held (as the code forms do), so of many guesses sent
    at once only as many are checked as the limit allows; the rest are refused unchecked."""
    rule = limits.AUTHENTICATOR_CODE
    account = "person:2"
    heard: list[int] = []

    def attempt(number: int) -> None:
        try:
            with services.sign_in_step_held(rule=rule, account=account):
                if services.waiting(rule=rule, account=account, address=None) is not None:
                    return
                heard.append(number)
                time.sleep(0.02)  # checking the code takes a moment, during which others arrive
                limits.failure_record(rule, account=account, address=None)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=10) as pool:
        list(pool.map(attempt, range(ATTEMPTS)))
    assert len(heard) == rule.account_limit.failures_allowed
