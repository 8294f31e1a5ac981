"""Open data: what a partnership publishes for anyone, signed in or not, once a coordinator has turned it on.

Each capability keeps its own datasets (the fund's 360Giving file, the directory's Open Referral UK API, "you
said, we did", decisions, the commitments board, evaluation results) and registers an ``OpenDataset`` here in
its AppConfig.ready; the page ``/open/<slug>/`` lists them with their licence, their last update and a
schema.org/DCAT ``Dataset`` description. No capability imports another to publish.

The rules every open address keeps, written once:

* ``published_partnership(slug)`` answers 404 unless the partnership exists and publishes open data, the same
  answer as for a partnership that does not exist;
* ``open_response(response)`` lets any site read the answer (CORS ``Access-Control-Allow-Origin: *``; no
  cookies are read or set) and lets caches keep it for five minutes;
* nothing personal is ever published: no name, email address or text a member wrote; awards to people are
  aggregated; counts of fewer than five are suppressed (``coproduce.methods.suppression``). A test sweeps every
  registered dataset for these.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.http import Http404, HttpResponseBase

from coproduce.partnerships.models import OPEN_DATA_LICENCES, Partnership

LICENCE_URLS = {
    "OGL-UK-3.0": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
    "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
}
LICENCE_NAMES = dict(OPEN_DATA_LICENCES)

# How long a cache (a browser, a proxy) may keep an open answer.
OPEN_MAX_AGE_SECONDS = 300


@dataclass(frozen=True)
class Distribution:
    """One way to get a dataset: a URL name (reversed with ``slug=``) and its media type."""

    label: Any  # "CSV", "JSON", "Web page", "360Giving JSON", "Open Referral UK API"
    url_name: str  # "voice:open-responses-csv"
    media_type: str  # "text/csv", "application/json", "text/html"
    # The address is an API whose list is at this URL name (ORUK: "support:oruk-services"): listed as an API.
    is_api: bool = False
    # Further keyword arguments the URL needs besides the slug (none for most).
    url_kwargs: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class OpenDataset:
    key: str  # "fund.grants"
    title: Any  # lazily translated
    description: Any
    order: int  # its place on the /open/<slug>/ page, smallest first
    distributions: tuple[Distribution, ...]
    # When its contents last changed for this partnership (None: nothing published yet); one or two queries.
    last_updated: Callable[[Partnership], datetime | None]
    # schema.org / DCAT keywords
    keywords: tuple[str, ...] = ()
    # The standard it conforms to (a web address), e.g. 360Giving's or Open Referral UK's.
    conforms_to: str = ""


_DATASETS: dict[str, OpenDataset] = {}


def register_open_dataset(dataset: OpenDataset) -> None:
    _DATASETS[dataset.key] = dataset


def open_datasets() -> list[OpenDataset]:
    return sorted(_DATASETS.values(), key=lambda d: (d.order, d.key))


def published_partnership(slug: str) -> Partnership:
    """The partnership at ``slug`` if it publishes open data; otherwise 404 (as for one that does not exist)."""
    partnership = Partnership.objects.filter(slug=slug, open_data=True).first()
    if partnership is None:
        raise Http404
    return partnership


def open_response(response: HttpResponseBase) -> HttpResponseBase:
    """Mark an answer as open data: any site may read it, and caches may keep it a short while."""
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = f"public, max-age={OPEN_MAX_AGE_SECONDS}"
    return response
