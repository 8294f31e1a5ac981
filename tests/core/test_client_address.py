"""The one client-address rule (core/clientaddress.py) that every limit and the audit log use."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory

from coproduce.core.clientaddress import address_for_limits, client_address, client_address_for_limits


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "192.0.2.1", None, "192.0.2.1"),
        (0, "192.0.2.1", "203.0.113.5", "192.0.2.1"),  # no proxy: anyone can write the header
        (1, "10.0.0.1", "203.0.113.5", "203.0.113.5"),
        (1, "10.0.0.1", "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # the left entry is the client's own claim
        (2, "10.0.0.2", "6.6.6.6, 203.0.113.5, 10.0.0.1", "203.0.113.5"),
        (2, "10.0.0.2", "203.0.113.5", "10.0.0.2"),  # fewer entries than proxies: not through them
        (1, "10.0.0.1", None, "10.0.0.1"),
        (1, "10.0.0.1", "not an address", "10.0.0.1"),
        (1, "10.0.0.1", "2001:db8::7", "2001:db8::7"),
        (0, "not an address", None, None),
    ],
)
def test_the_client_is_the_entry_the_nearest_trusted_proxy_wrote(
    proxies: int, remote: str, forwarded: str | None, expected: str | None, settings: Any
) -> None:
    settings.COPRODUCE_PROXY_COUNT = proxies
    headers: dict[str, Any] = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    request = RequestFactory().get("/", REMOTE_ADDR=remote, **headers)
    assert client_address(request) == expected


def test_limits_count_an_ipv6_client_by_its_network() -> None:
    assert address_for_limits("2001:db8:1:2:aaaa::1") == address_for_limits("2001:db8:1:2:bbbb::9") == "2001:db8:1:2::"
    assert address_for_limits("2001:db8:1:3::1") != address_for_limits("2001:db8:1:2::1")
    assert address_for_limits("::ffff:192.0.2.1") == "192.0.2.1"
    assert address_for_limits("192.0.2.1") == "192.0.2.1"
    assert address_for_limits(None) is None


def test_there_is_no_address_without_a_request() -> None:
    assert client_address(None) is None
    assert client_address_for_limits(None) is None


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, 0),
        ({"COPRODUCE_BEHIND_PROXY": "1"}, 1),
        ({"COPRODUCE_BEHIND_PROXY": "1", "COPRODUCE_PROXY_COUNT": "2"}, 2),
        ({"COPRODUCE_BEHIND_PROXY": "1", "COPRODUCE_PROXY_COUNT": "0"}, 0),
        ({"COPRODUCE_PROXY_COUNT": "1"}, 1),
    ],
)
def test_the_number_of_proxies_comes_from_the_environment(
    environment: dict[str, str], expected: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coproduce.settings import _proxy_count

    for name in ("COPRODUCE_BEHIND_PROXY", "COPRODUCE_PROXY_COUNT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert _proxy_count() == expected


def test_a_number_of_proxies_that_is_not_a_number_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from coproduce.settings import _proxy_count

    monkeypatch.setenv("COPRODUCE_PROXY_COUNT", "two")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        _proxy_count()
