"""The pooled fund as open data in the 360Giving Data Standard (version 1.4): what went in and what went out.

* **Contributions** are grants *to* the fund: each partner organisation's money or help in kind is a grant from
  that organisation (``fundingOrganization``) to the partnership's pooled fund (``recipientOrganization``).
* **Awards** are grants *from* the fund to the project a round chose.
* **Payments to individuals** (participation payments: parents paid for their time and costs) and, in the open
  file, awards to people rather than organisations are never listed one by one. As 360Giving's guidance on
  grants to individuals asks, they are published as aggregated grants, one a month, to a generic
  ``recipientIndividual`` ("Individual Recipients"), with how many payments each holds. Only complete months
  are published, and a month with fewer than five payments (``methods.suppression.MINIMUM_GROUP``) is carried
  into the next until there are at least five; the months still short of five are not published yet. So no
  published grant is about fewer than five people, and a published grant never changes afterwards (nothing
  can be learnt by difference).

The open file (``public=True``, at ``/open/<slug>/360giving.json``) holds nothing a member wrote: an award's
title and description are made from the round (written by staff), never from the proposal. The file for people
in the partnership (``fund:grants-json``) also gives each proposal's own title and description, which they
already see on the fund's pages.

The schema files are kept in ``standards/360giving/`` (CC BY 4.0, 360Giving; see the README there) and
:func:`validation_errors` checks a package against them. Identifiers use the prefix ``360G-coproduce-``
followed by the partnership's web address name: a partnership that publishes to 360Giving replaces it
with the prefix 360Giving gives it. An organisation is named by its org-id identifier (``partnerships.orgid``)
when it has one."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from coproduce.fund.models import Award, Contribution
from coproduce.fund.selectors import (
    awards_for,
    open_contributions,
    open_grants_changed_at,
    open_payments_to_individuals,
)
from coproduce.methods.suppression import MINIMUM_GROUP
from coproduce.partnerships.models import Membership, Organisation, Partnership
from coproduce.partnerships.open_data import LICENCE_URLS

STANDARD = Path(__file__).parent / "standards" / "360giving"
PACKAGE_SCHEMA = STANDARD / "360-giving-package-schema.json"
GRANT_SCHEMA = STANDARD / "360-giving-schema.json"
VERSION = "1.4"
INDIVIDUALS = "Individual Recipients"  # 360Giving's generic name for people not named


def _prefix(partnership: Partnership) -> str:
    return f"360G-coproduce-{partnership.slug}"


def _pounds(pence: int) -> float | int:
    return pence // 100 if pence % 100 == 0 else round(pence / 100, 2)


def _organisation(organisation: Organisation, prefix: str) -> dict[str, str]:
    return {"id": organisation.org_id or f"{prefix}-organisation-{organisation.pk}", "name": organisation.name}


def _fund(partnership: Partnership) -> dict[str, str]:
    """The pooled fund: the funder of every award and the recipient of every contribution."""
    return {"id": _prefix(partnership), "name": partnership.name}


def grant_for(award: Award, partnership: Partnership, *, site: str = "", public: bool = False) -> dict[str, Any]:
    """One award as a 360Giving grant. ``public``: nothing the proposer wrote (the open file)."""
    prefix = _prefix(partnership)
    proposal = award.proposal
    round_title = award.round.title
    grant: dict[str, Any] = {
        "id": f"{prefix}-award-{award.pk}",
        "title": f"Award from the round “{round_title}”"[:140] if public else proposal.title[:140],
        "description": (
            f"A project chosen by the partnership's members in the participatory budgeting round “{round_title}”, "
            "decided by the Method of Equal Shares and paid from the pooled fund."
            if public
            else f"{proposal.description}\n\nWho benefits: {proposal.beneficiaries}"
        ),
        "currency": "GBP",
        "amountAwarded": _pounds(award.amount_pence),
        "amountDisbursed": _pounds(int(getattr(award, "paid_pence", 0) or 0)),
        "awardDate": timezone.localtime(award.awarded_at).date().isoformat(),
        "fundingOrganization": [_fund(partnership)],
        "grantProgramme": [{"code": f"{prefix}-round-{award.round_id}", "title": round_title}],
        "fromOpenCall": "Yes",
        "dateModified": timezone.localtime(award.awarded_at).isoformat(),
    }
    if not public:
        grant["amountAppliedFor"] = _pounds(proposal.proposed_cost_pence)
    if site and not public:
        grant["url"] = site + reverse("fund:award", kwargs={"slug": partnership.slug, "award_id": award.pk})
    if award.organisation is not None:
        grant["recipientOrganization"] = [_organisation(award.organisation, prefix)]
    else:  # a member or worker who proposed it: never named
        grant["recipientIndividual"] = {"id": f"{prefix}-individual-{award.pk}", "name": "Individual Recipient"}
    return grant


def contribution_grant(contribution: Contribution, partnership: Partnership) -> dict[str, Any]:
    """A partner's contribution as a grant from the organisation to the pooled fund. Its description is what
    the staff who recorded it wrote ("Family worker time, two days a week")."""
    prefix = _prefix(partnership)
    in_kind = contribution.kind == Contribution.Kind.IN_KIND
    what = "Help in kind" if in_kind else "Money"
    changed = contribution.received_at or contribution.pledged_at
    return {
        "id": f"{prefix}-contribution-{contribution.pk}",
        "title": f"{what} for the pooled fund of {partnership.name}"[:140],
        "description": contribution.description,
        "currency": "GBP",
        "amountAwarded": _pounds(contribution.value_pence),
        "amountDisbursed": _pounds(contribution.value_pence if contribution.received_at else 0),
        "awardDate": timezone.localtime(contribution.pledged_at).date().isoformat(),
        "fundingOrganization": [_organisation(contribution.organisation, prefix)],
        "recipientOrganization": [_fund(partnership)],
        "grantProgramme": [{"code": f"{prefix}-contributions", "title": "Contributions to the pooled fund"}],
        "fromOpenCall": "No",
        "dateModified": timezone.localtime(changed).isoformat(),
    }


@dataclass(frozen=True)
class Batch:
    """Payments to individuals published together: at least ``MINIMUM_GROUP`` of them, in whole months."""

    first_month: date  # the first day of the first month it covers
    last_month: date  # the first day of the last month it covers
    count: int
    total_pence: int


def _month(moment: datetime) -> date:
    return timezone.localtime(moment).date().replace(day=1)


def individual_batches(
    payments: list[tuple[datetime, int]], *, before: date, minimum: int = MINIMUM_GROUP
) -> list[Batch]:
    """The payments of whole months before ``before`` (a month's first day), in batches of at least ``minimum``
    payments: a month with fewer is carried into the next; the months still short at the end are left out.
    ``payments`` are (paid at, pence), oldest first."""
    by_month: dict[date, list[int]] = {}
    for paid_at, pence in payments:
        month = _month(paid_at)
        if month < before:
            by_month.setdefault(month, []).append(pence)
    batches: list[Batch] = []
    start: date | None = None
    count = total = 0
    for month in sorted(by_month):
        start = start or month
        count += len(by_month[month])
        total += sum(by_month[month])
        if count >= minimum:
            batches.append(Batch(first_month=start, last_month=month, count=count, total_pence=total))
            start, count, total = None, 0, 0
    return batches


def _month_end(month: date) -> date:
    following = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def batch_grant(batch: Batch, partnership: Partnership, *, kind: str, title: str, description: str) -> dict[str, Any]:
    prefix = _prefix(partnership)
    key = f"{batch.first_month:%Y-%m}" + ("" if batch.first_month == batch.last_month else f"-{batch.last_month:%Y-%m}")
    end = _month_end(batch.last_month)
    return {
        "id": f"{prefix}-{kind}-{key}",
        "title": title[:140],
        "description": f"{description} {batch.count} payments from {batch.first_month:%B %Y} to the end of "
        f"{end:%B %Y}, published together so that no one is identified.",
        "currency": "GBP",
        "amountAwarded": _pounds(batch.total_pence),
        "amountDisbursed": _pounds(batch.total_pence),
        "awardDate": end.isoformat(),
        "plannedDates": [{"startDate": batch.first_month.isoformat(), "endDate": end.isoformat()}],
        "fundingOrganization": [_fund(partnership)],
        "recipientIndividual": {"id": f"{prefix}-{kind}-{key}-recipients", "name": INDIVIDUALS},
        "grantProgramme": [{"code": f"{prefix}-{kind}", "title": title}],
        "fromOpenCall": "No",
        "dateModified": timezone.make_aware(datetime.combine(end, time(23, 59, 59))).isoformat(),
    }


def grants_package(
    partnership: Partnership, *, request: HttpRequest | None = None, public: bool = False
) -> dict[str, Any]:
    """The fund as a 360Giving data package: every contribution, every award and the payments to individuals
    (aggregated). ``public``: the open file, with nothing a member wrote and awards to people aggregated too."""
    site = request.build_absolute_uri("/").rstrip("/") if request is not None else ""
    viewer = Membership(partnership=partnership)  # the fund's awards are public within the partnership
    viewer.partnership_id = partnership.pk
    this_month = timezone.localdate().replace(day=1)
    grants = [contribution_grant(c, partnership) for c in open_contributions(partnership.pk)]
    to_people: list[tuple[datetime, int]] = []
    for award in awards_for(viewer).order_by("awarded_at", "id"):
        if public and award.organisation_id is None:
            to_people.append((award.awarded_at, award.amount_pence))
        else:
            grants.append(grant_for(award, partnership, site=site, public=public))
    for batch in individual_batches(to_people, before=this_month):
        grants.append(
            batch_grant(
                batch,
                partnership,
                kind="awards-to-individuals",
                title="Awards to individuals from the pooled fund",
                description="Projects proposed by people rather than organisations, chosen in the fund's rounds.",
            )
        )
    for batch in individual_batches(open_payments_to_individuals(partnership.pk), before=this_month):
        grants.append(
            batch_grant(
                batch,
                partnership,
                kind="payments-to-individuals",
                title="Payments to individuals for their time and costs",
                description="Parents paid for their time at co-design sessions and for their travel and childcare.",
            )
        )
    return {
        "grants": grants,
        "version": VERSION,
        "title": f"The pooled fund of {partnership.name}: contributions and awards",
        "description": "What partner organisations put into the pooled fund, the projects it funded through "
        "participatory budgeting rounds decided by the Method of Equal Shares, and what it paid people for "
        "their time, in aggregate.",
        "issued": timezone.localdate().isoformat(),
        "publisher": {"name": partnership.name},
        "license": LICENCE_URLS.get(partnership.open_data_licence, LICENCE_URLS["OGL-UK-3.0"]),
    }


def last_updated(partnership: Partnership) -> datetime | None:
    """When the fund's open data last changed (for the open data page)."""
    return open_grants_changed_at(partnership.pk)


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
