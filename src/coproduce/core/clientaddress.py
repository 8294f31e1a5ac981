"""The one rule for a request's client address, used by every sign-in limit and by the audit log.

Without a proxy (``COPRODUCE_PROXY_COUNT`` 0, the default) the address is the connection's, ``REMOTE_ADDR``, and
``X-Forwarded-For`` is ignored: anyone can write that header. Behind N proxies (``COPRODUCE_PROXY_COUNT=N``, or
``COPRODUCE_BEHIND_PROXY=1`` alone for one) each proxy appends the address it received the request from, so
the client's is the N-th entry from the right; entries further left are whatever the client sent, and are
never read. A header with fewer entries than proxies, or an entry that is not an IP address, means the
request did not come through the proxies as configured: the connection's address is used then.

Limits count an IPv6 client by its /64 network (``address_for_limits``): one home or phone holds a whole /64
and could otherwise take a fresh address for every attempt. The audit log keeps the full address.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

IPV6_LIMIT_PREFIX = 64


def _valid(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest | None) -> str | None:
    """The address of the person making the request, by the rule above; None when there is none."""
    if request is None:
        return None
    remote = _valid(request.META.get("REMOTE_ADDR"))
    proxies = int(getattr(settings, "COPRODUCE_PROXY_COUNT", 0) or 0)
    if proxies <= 0:
        return remote
    forwarded = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [entry for entry in forwarded if entry]
    if len(forwarded) < proxies:
        return remote
    return _valid(forwarded[-proxies]) or remote


def address_for_limits(address: str | None) -> str | None:
    """The key a limit counts an address under: an IPv4 address itself, an IPv6 address's /64 network."""
    if address is None:
        return None
    parsed = ipaddress.ip_address(address)
    if isinstance(parsed, ipaddress.IPv4Address):
        return str(parsed)
    if parsed.ipv4_mapped is not None:  # ::ffff:192.0.2.1 is 192.0.2.1
        return str(parsed.ipv4_mapped)
    return str(ipaddress.IPv6Network(f"{parsed}/{IPV6_LIMIT_PREFIX}", strict=False).network_address)


def client_address_for_limits(request: HttpRequest | None) -> str | None:
    """The client's address as every limit counts it (django-axes is given this one)."""
    return address_for_limits(client_address(request))
