"""The fund's open data: its 360Giving file for anyone, signed in or not, once the partnership publishes."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.views.decorators.http import require_safe

from coproduce.fund.opendata import grants_package
from coproduce.partnerships.open_data import open_response, published_partnership


@require_safe
def open_grants(request: HttpRequest, slug: str) -> HttpResponseBase:
    partnership = published_partnership(slug)
    package = grants_package(partnership, request=request, public=True)
    response = HttpResponse(json.dumps(package, indent=2, ensure_ascii=False), content_type="application/json")
    response["Content-Disposition"] = f'inline; filename="{partnership.slug}-360giving.json"'
    return open_response(response)
