"""The roles of the API's access table and the rows most operations share (tests/api/test_api_access.py).

Each role holds a token for "here", except ``anonymous`` (no token) and ``outsider`` (a member's read and
write token for another partnership, "there"). ``read_only`` is the member's read token."""

from __future__ import annotations

ROLES = ["anonymous", "member", "observer", "worker", "partner_lead", "coordinator", "outsider", "read_only"]
IN_PARTNERSHIP = ["member", "observer", "worker", "partner_lead", "coordinator"]


def everyone(status: int, **overrides: int) -> dict[str, int]:
    return {role: overrides.get(role, status) for role in ROLES}


# A read under /partnerships/{slug}/: everyone with a token for it; another partnership's token finds nothing.
READ = everyone(200, anonymous=401, outsider=404)


# A write everyone in the partnership may make, answered with ``status`` on success. Observers hold only read
# tokens, so theirs and the member's read token are refused with 403 before anything is looked at; another
# partnership's token finds nothing (404).
def taking_part(status: int = 200, **overrides: int) -> dict[str, int]:
    return {**everyone(status, anonymous=401, observer=403, read_only=403, outsider=404), **overrides}


TAKING_PART = taking_part()


def only(*roles: str, status: int = 200, read_only: int = 404) -> dict[str, int]:
    """Reached only by these roles (a coordinator's list, an author's own thing)."""
    return {**everyone(404, anonymous=401, read_only=read_only), **dict.fromkeys(roles, status)}
