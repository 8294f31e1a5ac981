"""The token pages: a person's own tokens (made, shown once, revoked) and their recent uses."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from coproduce.api.forms.tokens import TokenForm
from coproduce.api.selectors import tokens as selectors
from coproduce.api.services import tokens as services
from coproduce.core.exceptions import ServiceError
from coproduce.partnerships.access import acting_membership, may, partnership_slug, partnership_view


@partnership_view("api.make_token")
@require_http_methods(["GET", "POST"])
@never_cache
def tokens(request: HttpRequest) -> HttpResponse:
    """The person's tokens, and the form to make one. A new token's secret is shown once, on the answer to the
    POST itself (never stored, so never shown again)."""
    actor = acting_membership(request)
    writes = may("api.make_write_token", actor)
    form = TokenForm(request.POST or None, writes=writes)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created = services.token_create(
                actor=actor,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                days=form.cleaned_data["days"],
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            form = TokenForm(writes=writes)
    return render(
        request,
        "api/tokens.html",
        {"form": form, "created": created, "tokens": list(selectors.tokens_of(actor)), "nav_section": "api"},
    )


@partnership_view("api.make_token")
@never_cache
def token(request: HttpRequest, token_id: int) -> HttpResponse:
    """One of the person's tokens: what it may do, until when, and its recent uses."""
    item = selectors.own_token(acting_membership(request), token_id)
    return render(request, "api/token.html", {"token": item, "uses": selectors.recent_uses(item), "nav_section": "api"})


@partnership_view("api.make_token")
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    actor = acting_membership(request)
    services.token_revoke(actor=actor, token=selectors.own_token(actor, token_id))
    messages.success(request, _("The token is revoked: it no longer works."))
    return redirect("api:tokens", slug=partnership_slug(request))
