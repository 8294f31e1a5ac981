"""What support offers the other apps, and the only module of support they import (an import-linter contract).

Learning together tells a parent paid for her time that payments can affect benefits, and points her to
the partnership's money-advice services in the directory."""

from __future__ import annotations

from dataclasses import dataclass

from coproduce.partnerships.models import Membership
from coproduce.support.selectors import services_visible_to

__all__ = ["DirectoryService", "directory_services", "services_in_category"]


@dataclass(frozen=True)
class DirectoryService:
    """A service in the partnership's directory, as another page names it (linked to ``support:service``)."""

    id: int
    name: str
    organisation: str
    phone: str


def services_in_category(*, actor: Membership, keyword: str, limit: int = 3) -> list[DirectoryService]:
    """The directory's active services tagged with the need ``keyword`` (e.g. "money"), as ``actor`` sees
    them: at most ``limit``, by name (one query)."""
    found = services_visible_to(actor, need=keyword).prefetch_related(None)[:limit]
    return [DirectoryService(s.pk, s.name, s.organisation.name, s.phone) for s in found]


def directory_services(*, actor: Membership) -> list[DirectoryService]:
    """Every active service of the directory, as ``actor`` sees it, by name (one query): the report builder
    offers them as a report's scope."""
    found = services_visible_to(actor).prefetch_related(None)
    return [DirectoryService(s.pk, s.name, s.organisation.name, s.phone) for s in found]
