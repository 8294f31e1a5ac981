"""What the open data page of a partnership lists: each registered dataset (``partnerships.open_data``) with its
licence, its last update and its addresses, and the same as a schema.org / DCAT ``DataCatalog`` in JSON-LD."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.http import HttpRequest

from coproduce.core.reversing import cached_reverse
from coproduce.partnerships.models import Partnership
from coproduce.partnerships.open_data import LICENCE_NAMES, LICENCE_URLS, OpenDataset, open_datasets


@dataclass(frozen=True)
class Link:
    label: Any
    url: str  # absolute
    media_type: str
    is_api: bool


@dataclass(frozen=True)
class ListedDataset:
    key: str
    title: Any
    description: Any
    last_updated: datetime | None
    links: tuple[Link, ...]
    keywords: tuple[str, ...]
    conforms_to: str


@dataclass(frozen=True)
class Catalogue:
    partnership: Partnership
    licence_name: Any
    licence_url: str
    datasets: tuple[ListedDataset, ...]
    page_url: str

    @property
    def last_updated(self) -> datetime | None:
        found = [d.last_updated for d in self.datasets if d.last_updated is not None]
        return max(found) if found else None


def _listed(dataset: OpenDataset, partnership: Partnership, request: HttpRequest) -> ListedDataset:
    links = tuple(
        Link(
            label=d.label,
            url=request.build_absolute_uri(
                cached_reverse(d.url_name, kwargs={"slug": partnership.slug, **d.url_kwargs})
            ),
            media_type=d.media_type,
            is_api=d.is_api,
        )
        for d in dataset.distributions
    )
    return ListedDataset(
        key=dataset.key,
        title=dataset.title,
        description=dataset.description,
        last_updated=dataset.last_updated(partnership),
        links=links,
        keywords=dataset.keywords,
        conforms_to=dataset.conforms_to,
    )


def catalogue(partnership: Partnership, request: HttpRequest) -> Catalogue:
    """Every dataset the partnership publishes (the caller has checked it publishes: ``published_partnership``).
    One or two queries a dataset, for its last update."""
    licence = partnership.open_data_licence
    return Catalogue(
        partnership=partnership,
        licence_name=LICENCE_NAMES.get(licence, licence),
        licence_url=LICENCE_URLS.get(licence, ""),
        datasets=tuple(_listed(d, partnership, request) for d in open_datasets()),
        page_url=request.build_absolute_uri(cached_reverse("reports:open", kwargs={"slug": partnership.slug})),
    )


def json_ld(found: Catalogue) -> dict[str, Any]:
    """The catalogue as a schema.org ``DataCatalog`` of ``Dataset`` entries, with DCAT's ``dct:conformsTo``."""
    publisher = {"@type": "Organization", "name": found.partnership.name}
    if found.partnership.website:
        publisher["url"] = found.partnership.website
    datasets = []
    for dataset in found.datasets:
        entry: dict[str, Any] = {
            "@type": "Dataset",
            "@id": f"{found.page_url}#{dataset.key}",
            "name": str(dataset.title),
            "description": str(dataset.description),
            "license": found.licence_url,
            "isAccessibleForFree": True,
            "publisher": publisher,
            "keywords": list(dataset.keywords),
            "distribution": [
                {
                    "@type": "DataDownload",
                    "name": str(link.label),
                    "contentUrl": link.url,
                    "encodingFormat": link.media_type,
                }
                for link in dataset.links
            ],
        }
        if dataset.last_updated is not None:
            entry["dateModified"] = dataset.last_updated.isoformat()
        if dataset.conforms_to:
            entry["dct:conformsTo"] = {"@id": dataset.conforms_to}
        datasets.append(entry)
    return {
        "@context": {"@vocab": "https://schema.org/", "dct": "http://purl.org/dc/terms/"},
        "@type": "DataCatalog",
        "@id": found.page_url,
        "name": f"Open data of {found.partnership.name}",
        "url": found.page_url,
        "license": found.licence_url,
        "publisher": publisher,
        "dataset": datasets,
    }
