from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET


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


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
