from __future__ import annotations

from typing import Literal, cast

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from coproduce.core.languages import is_offered, person_language_save


@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    partnerships = (
        request.user.memberships.select_related("partnership").order_by("partnership__name")
        if request.user.is_authenticated
        else []
    )  # type: ignore[union-attr]
    partnerships = list(partnerships)
    if len(partnerships) == 1 and not request.GET.get("all"):
        return redirect("partnerships:home", slug=partnerships[0].partnership.slug)
    return render(request, "core/landing.html", {"memberships": partnerships})


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


@require_POST
def language(request: HttpRequest) -> HttpResponse:
    """The language switcher on every page: remember the language chosen (a cookie for everyone, and the
    person's account when signed in) and go back to the page it was chosen on. A code that is not offered
    gives English, with a message saying so."""
    chosen = request.POST.get("language", "")
    if not is_offered(chosen):
        chosen = settings.LANGUAGE_CODE
        translation.activate(chosen)
        messages.warning(request, _("That language is not offered here, so pages are shown in English."))
    else:
        translation.activate(chosen)
    request.LANGUAGE_CODE = chosen
    if request.user.is_authenticated:
        person_language_save(person=request.user, language=chosen)
    next_url = request.POST.get("next", "")
    here = {request.get_host()}
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts=here, require_https=request.is_secure()):
        next_url = reverse("core:landing")
    response = redirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        chosen,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=cast(Literal["Lax", "Strict", "None"], settings.LANGUAGE_COOKIE_SAMESITE),
    )
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
