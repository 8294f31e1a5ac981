"""The service directory as an Open Referral UK API (``/services`` and ``/services/{id}``), for anyone, signed in
or not and with no key, once the partnership publishes open data."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from coproduce.partnerships.open_data import open_response, published_partnership
from coproduce.support import openreferral, selectors

VERSION = "3.0"  # the HSDS version the Open Referral UK profile builds on
PROFILE = "https://github.com/openreferral/uk-profile"
OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/openapi.json"
PER_PAGE = 50
MAX_PER_PAGE = 100
MAX_SEARCH = 200


def _json(data: object, status: int = 200) -> HttpResponseBase:
    return open_response(JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False}))


def _whole_number(request: HttpRequest, name: str, default: int) -> int | None:
    """The query parameter ``name`` as a whole number of at least 1 (``default`` when absent); None if not one."""
    raw = request.GET.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1 or len(raw) > 9:
        return None
    return int(raw)


@require_safe
def oruk_root(request: HttpRequest, slug: str) -> HttpResponseBase:
    published_partnership(slug)
    return _json(
        {
            "version": VERSION,
            "profile": PROFILE,
            "openapi_url": OPENAPI_URL,
            "services_url": request.build_absolute_uri(reverse("support:oruk-services", kwargs={"slug": slug})),
        }
    )


@require_safe
def oruk_services(request: HttpRequest, slug: str) -> HttpResponseBase:
    partnership = published_partnership(slug)
    page = _whole_number(request, "page", 1)
    per_page = _whole_number(request, "per_page", PER_PAGE)
    if page is None or per_page is None:
        name = "page" if page is None else "per_page"
        return _json({"error": _("%(name)s must be a whole number from 1.") % {"name": name}, "field": name}, 400)
    per_page = min(per_page, MAX_PER_PAGE)
    text = (request.GET.get("text") or request.GET.get("search") or "").strip()[:MAX_SEARCH]
    paginator = Paginator(selectors.open_services(partnership, text=text), per_page)
    total = paginator.count
    services = paginator.page(page).object_list if page <= paginator.num_pages else []
    return _json(openreferral.services_page(services, total_items=total, page=page, per_page=per_page))


@require_safe
def oruk_service(request: HttpRequest, slug: str, service_id: str) -> HttpResponseBase:
    partnership = published_partnership(slug)
    service = selectors.open_service(partnership, service_id)
    return _json(openreferral.service_to_oruk(service, public=True))
