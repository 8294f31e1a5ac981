"""The one choke point for partnership pages: resolve the partnership and the person's membership,
make staff set up two-factor sign-in, and answer 404 for anything outside the person's reach."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

import rules
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from coproduce.core.exceptions import NotPermitted
from coproduce.partnerships.models import Membership
from coproduce.partnerships.selectors import membership_for

View = Callable[..., HttpResponse]


def mfa_required(user: Any, membership: Membership) -> bool:
    """Staff (in any partnership) and admins must have an authenticator app set up. Reads the
    ``staff_anywhere`` and ``has_totp`` that ``membership_for`` annotates, so it costs no query."""
    is_staff = membership.staff_anywhere or user.is_superuser  # type: ignore[attr-defined]
    return bool(is_staff and not membership.has_totp)  # type: ignore[attr-defined]


def partnership_view(permission: str = "partnerships.view") -> Callable[[View], View]:
    """Decorate a view taking ``(request, **kwargs)``; it is called with ``request.partnership`` and
    ``request.membership`` set. ``permission`` is a rule tested with the membership."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = membership_for(request.user, slug)
            if membership is None:
                raise NotPermitted()
            if mfa_required(request.user, membership):
                return redirect("accounts:mfa-required")
            if not rules.test_rule(permission, membership, membership.partnership):
                raise NotPermitted()
            request.partnership = membership.partnership  # type: ignore[attr-defined]
            request.membership = membership  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        wrapper.partnership_permission = permission  # type: ignore[attr-defined]
        return wrapper

    return decorator


def acting_membership(request: HttpRequest) -> Membership:
    """The membership that ``partnership_view`` put on the request: the person acting, in this partnership."""
    return request.membership  # type: ignore[attr-defined,no-any-return]


def partnership_slug(request: HttpRequest) -> str:
    return acting_membership(request).partnership.slug


def may(rule: str, membership: Membership, target: Any = None) -> bool:
    """Whether this person may do ``rule`` (to ``target``): for showing or hiding a button; the service
    checks again when the thing is done."""
    return bool(rules.test_rule(rule, membership, target))
