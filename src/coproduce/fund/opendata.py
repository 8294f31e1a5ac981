"""Awards from the pooled fund as open data in the 360Giving Data Standard (version 1.4).

The schema files are kept in ``standards/360giving/`` (CC BY 4.0, 360Giving; see the README there) and
:func:`validation_errors` checks a package against them. Identifiers use the prefix ``360G-coproduce-``
followed by the partnership's web address name: a partnership that publishes to 360Giving replaces it
with the prefix 360Giving gives it. Awards to people (not organisations) never name them."""

from __future__ import annotations

import json
import re
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from coproduce.fund.models import Award
from coproduce.fund.selectors import awards_for
from coproduce.partnerships.models import Membership, Partnership

STANDARD = Path(__file__).parent / "standards" / "360giving"
PACKAGE_SCHEMA = STANDARD / "360-giving-package-schema.json"
GRANT_SCHEMA = STANDARD / "360-giving-schema.json"
VERSION = "1.4"


def _prefix(partnership: Partnership) -> str:
    return f"360G-coproduce-{partnership.slug}"


def _pounds(pence: int) -> float | int:
    return pence // 100 if pence % 100 == 0 else round(pence / 100, 2)


def grant_for(award: Award, partnership: Partnership, *, site: str = "") -> dict[str, Any]:
    prefix = _prefix(partnership)
    proposal = award.proposal
    grant: dict[str, Any] = {
        "id": f"{prefix}-award-{award.pk}",
        "title": proposal.title[:140],
        "description": f"{proposal.description}\n\nWho benefits: {proposal.beneficiaries}",
        "currency": "GBP",
        "amountAppliedFor": _pounds(proposal.proposed_cost_pence),
        "amountAwarded": _pounds(award.amount_pence),
        "amountDisbursed": _pounds(int(getattr(award, "paid_pence", 0) or 0)),
        "awardDate": timezone.localtime(award.awarded_at).date().isoformat(),
        "fundingOrganization": [{"id": prefix, "name": partnership.name}],
        "grantProgramme": [{"code": f"{prefix}-round-{award.round_id}", "title": award.round.title}],
        "fromOpenCall": "Yes",
        "dateModified": timezone.localtime(award.awarded_at).isoformat(),
    }
    if site:
        grant["url"] = site + reverse("fund:award", kwargs={"slug": partnership.slug, "award_id": award.pk})
    if award.organisation is not None:
        grant["recipientOrganization"] = [
            {"id": f"{prefix}-organisation-{award.organisation_id}", "name": award.organisation.name}
        ]
    else:  # a member or worker who proposed it: never named in open data
        grant["recipientIndividual"] = {"id": f"{prefix}-individual-{award.pk}", "name": "Individual Recipient"}
    return grant


def grants_package(partnership: Partnership, *, request: HttpRequest | None = None) -> dict[str, Any]:
    """Every award of the partnership as a 360Giving data package."""
    site = request.build_absolute_uri("/").rstrip("/") if request is not None else ""
    viewer = Membership(partnership=partnership)  # awards are public within the partnership and in open data
    viewer.partnership_id = partnership.pk
    grants = [grant_for(award, partnership, site=site) for award in awards_for(viewer)]
    return {
        "grants": grants,
        "version": VERSION,
        "title": f"Awards from the pooled fund of {partnership.name}",
        "description": "Projects funded by participatory budgeting rounds decided by the Method of Equal Shares.",
        "issued": timezone.localdate().isoformat(),
        "publisher": {"name": partnership.name},
        "license": "https://creativecommons.org/licenses/by/4.0/",
    }


@lru_cache(maxsize=1)
def _validator() -> Any:
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    package = json.loads(PACKAGE_SCHEMA.read_text(encoding="utf-8"))
    grant = json.loads(GRANT_SCHEMA.read_text(encoding="utf-8"))
    # The files say "http://json-schema.org/draft/2020-12/schema" (not https), which the library does not
    # recognise by itself: name the draft.
    resource = Resource(contents=grant, specification=DRAFT202012)  # type: ignore[call-arg]
    # The package schema points at the grant schema of 1.4.2 by its web address; the copy here (1.4.3)
    # answers for both, so validation never goes to the network.
    registry = Registry().with_resources(
        [
            (grant["$id"], resource),
            (package["properties"]["grants"]["items"]["$ref"], resource),
        ]
    )
    return Draft202012Validator(package, registry=registry, format_checker=_format_checker())


_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def _format_checker() -> Any:
    """jsonschema's format checks, with "date-time" checked strictly (RFC 3339) without an extra package:
    the standard's dates are "a date, or a full date-time" (oneOf), which only works if a plain date
    fails the date-time check."""
    from jsonschema import FormatChecker

    checker = FormatChecker()

    @checker.checks("date-time")
    def is_date_time(value: object) -> bool:
        if not isinstance(value, str):
            return True
        if not _RFC3339.match(value):
            return False
        try:
            datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            return False
        return True

    return checker


def validation_errors(package: dict[str, Any]) -> list[str]:
    """Where ``package`` breaks the 360Giving schema (an empty list when it is valid)."""
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '(package)'}: {e.message}" for e in _validator().iter_errors(package)
    ]
