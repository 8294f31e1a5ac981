"""The service directory in Open Referral UK (HSDS 3) JSON: export, validation and import.

Every service is validated against the standard's own schema (``schemas/openreferral-uk/service.json``, CC BY-SA
4.0, see the README beside it) on the way out and on the way in. Identifiers are UUIDs derived from the
partnership and the row, so an export is stable and an import of our own export changes nothing."""

from __future__ import annotations

import json
import uuid
from functools import cache
from pathlib import Path
from typing import Any

from django.db import transaction
from jsonschema import Draft202012Validator, FormatChecker

from coproduce.partnerships.models import Organisation, Partnership
from coproduce.support.models import NeedTag, Service, ServiceLocation

SCHEMA_PATH = Path(__file__).parent / "schemas" / "openreferral-uk" / "service.json"
NAMESPACE = uuid.UUID("7f1f0c9e-2b0a-4d55-9a43-6b1d1f0b7c11")


class DirectoryImportError(ValueError):
    """The file is not a valid Open Referral UK directory; ``problems`` says where."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems[:5]))
        self.problems = problems


@cache
def validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")), format_checker=FormatChecker())


def _id(*parts: Any) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


def service_problems(data: dict[str, Any]) -> list[str]:
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(service)'}: {error.message}"
        for error in validator().iter_errors(data)
    ]


def service_to_oruk(service: Service) -> dict[str, Any]:
    slug = service.partnership.slug if hasattr(service, "partnership") else ""
    sid = service.external_id or _id(slug, "service", service.pk)
    org = service.organisation
    org_id = _id(slug, "organisation", org.pk)
    data: dict[str, Any] = {
        "id": sid,
        "organization_id": org_id,
        "name": service.name,
        "description": service.description,
        "status": "active" if service.active else "inactive",
        "organization": {"id": org_id, "name": org.name, "description": org.description or org.name},
        "service_at_locations": [],
        "languages": [],
        "contacts": [],
        "attributes": [],
        "cost_options": [],
        "schedules": [],
    }
    if service.url:
        data["url"] = service.url
    if service.email:
        data["email"] = service.email
    if service.who_for:
        data["eligibility_description"] = service.who_for
    if service.how_to_get:
        data["application_process"] = service.how_to_get
    data["fees"] = "" if service.is_free else service.cost
    data["cost_options"].append(
        {
            "id": _id(sid, "cost"),
            "service_id": sid,
            "option": "Free" if service.is_free else service.cost or "Ask",
            "amount_description": service.cost or "Free",
        }
    )
    for language in service.language_list:
        data["languages"].append({"id": _id(sid, "language", language), "service_id": sid, "name": language})
    if service.contact_name:
        contact: dict[str, Any] = {"id": _id(sid, "contact"), "service_id": sid, "name": service.contact_name}
        if service.email:
            contact["email"] = service.email
        if service.phone:
            contact["phones"] = [{"id": _id(sid, "phone"), "number": service.phone}]
        data["contacts"].append(contact)
    for location in service.locations.all():
        lid = _id(sid, "location", location.pk)
        sal_id = _id(sid, "service-at-location", location.pk)
        entry: dict[str, Any] = {"id": lid, "location_type": "physical", "name": location.name}
        if location.address or location.postcode:
            entry["addresses"] = [
                {
                    "id": _id(lid, "address"),
                    "location_id": lid,
                    "address_1": location.address or location.name,
                    "city": "",
                    "state_province": "",
                    "postal_code": location.postcode,
                    "country": "GB",
                    "address_type": "physical",
                }
            ]
        data["service_at_locations"].append({"id": sal_id, "service_id": sid, "location_id": lid, "location": entry})
        if location.opening_times:
            data["schedules"].append(
                {
                    "id": _id(sal_id, "schedule"),
                    "service_id": sid,
                    "service_at_location_id": sal_id,
                    "description": location.opening_times,
                }
            )
    for tag in service.needs.all():
        term_id = _id(slug, "need", tag.key)
        data["attributes"].append(
            {
                "id": _id(sid, "need", tag.key),
                "link_id": sid,
                "taxonomy_term_id": term_id,
                "link_type": "service",
                "taxonomy_term": {
                    "id": term_id,
                    "name": tag.name,
                    "description": tag.name,
                    "term": tag.key,
                    "taxonomy": "coproduce-needs",
                },
            }
        )
    return data


def export_services(services: Any) -> dict[str, Any]:
    """A page of services in the shape of the Open Referral UK API's /services answer. Each is validated."""
    contents = [service_to_oruk(s) for s in services]
    for item in contents:
        problems = service_problems(item)
        if problems:  # our own export must always be valid; a failure here is a bug worth stopping for
            raise ValueError(f"export of {item['name']!r} is not valid Open Referral UK: {problems[:3]}")
    return {
        "total_items": len(contents),
        "total_pages": 1,
        "page_number": 1,
        "size": len(contents),
        "first_page": True,
        "last_page": True,
        "empty": not contents,
        "contents": contents,
    }


def import_services(partnership: Partnership, document: dict[str, Any]) -> list[Service]:
    """Create or update the services in ``document`` (an export page, or a single service). Organisations
    are matched by name and must already be in the partnership. All or nothing."""
    items = document.get("contents") if isinstance(document, dict) and "contents" in document else [document]
    if not isinstance(items, list):
        raise DirectoryImportError(["contents: must be a list of services"])
    problems = []
    organisations = {o.name: o for o in Organisation.objects.filter(partnership=partnership)}
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            problems.append(f"service {index + 1}: not an object")
            continue
        problems += [f"service {index + 1} ({item.get('name', '?')}): {p}" for p in service_problems(item)]
        org_name = (item.get("organization") or {}).get("name", "")
        if org_name not in organisations:
            problems.append(f"service {index + 1}: organisation {org_name!r} is not in this partnership")
    if problems:
        raise DirectoryImportError(problems)
    saved = []
    tags = {t.key: t for t in NeedTag.objects.filter(partnership=partnership)}
    with transaction.atomic():
        for item in items:
            org = organisations[item["organization"]["name"]]
            cost = next(
                (c.get("amount_description") or c.get("option") or "" for c in item.get("cost_options") or []), ""
            )
            fields = {
                "description": item.get("description") or "",
                "who_for": item.get("eligibility_description") or "",
                "how_to_get": item.get("application_process") or "",
                "cost": cost,
                "is_free": not item.get("fees") and cost.lower() in ("", "free"),
                "languages": ", ".join(
                    lang.get("name", "") for lang in item.get("languages") or [] if lang.get("name")
                ),
                "url": item.get("url") or "",
                "email": item.get("email") or "",
                "active": item.get("status") == "active",
                "external_id": item["id"],
            }
            contacts = item.get("contacts") or []
            if contacts:
                fields["contact_name"] = contacts[0].get("name") or ""
                phones = contacts[0].get("phones") or []
                fields["phone"] = phones[0].get("number", "") if phones else ""
            service, _created = Service.objects.update_or_create(
                partnership=partnership, organisation=org, name=item["name"], defaults=fields
            )
            schedules = {s.get("service_at_location_id"): s.get("description", "") for s in item.get("schedules") or []}
            service.locations.all().delete()
            for sal in item.get("service_at_locations") or []:
                loc = sal.get("location") or {}
                address = (loc.get("addresses") or [{}])[0]
                ServiceLocation.objects.create(
                    service=service,
                    name=loc.get("name") or address.get("address_1") or "Location",
                    address=address.get("address_1", ""),
                    postcode=address.get("postal_code", "")[:12],
                    opening_times=(schedules.get(sal.get("id")) or "")[:200],
                )
            keys = []
            for attribute in item.get("attributes") or []:
                term = attribute.get("taxonomy_term") or {}
                key = (term.get("term") or "").strip()
                if key:
                    if key not in tags:
                        tags[key] = NeedTag.objects.create(
                            partnership=partnership, key=key[:40], name=(term.get("name") or key)[:80]
                        )
                    keys.append(tags[key])
            service.needs.set(keys)
            saved.append(service)
    return saved
