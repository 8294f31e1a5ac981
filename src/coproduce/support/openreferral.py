"""The service directory in Open Referral UK (HSDS 3) JSON: the format alone, no queries and no writes. Services
become a page of the standard's JSON; a file becomes checked ``ServiceRecord`` objects. The directory is read
for export by ``selectors.directory_export`` and written by ``services.directory_import``.

Every service is validated against the standard's own schema (``schemas/openreferral-uk/service.json``, CC BY-SA
4.0, see the README beside it) on the way out and on the way in. Identifiers are UUIDs derived from the
partnership and the row, so an export is stable and an import of our own export changes nothing."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db.models import Field, Model
from jsonschema import Draft202012Validator, FormatChecker

from coproduce.core.links import link_target
from coproduce.support.models import NeedTag, Service, ServiceLocation

SCHEMA_PATH = Path(__file__).parent / "schemas" / "openreferral-uk" / "service.json"
NAMESPACE = uuid.UUID("7f1f0c9e-2b0a-4d55-9a43-6b1d1f0b7c11")
MAX_FILE_BYTES = 20_000_000  # the demo's export: 3.7 KB a service, so a thousand services is under 4 MB
MAX_DEPTH = 32  # the demo's export: a service nests 6 levels deep, a page of them 8
_STRINGS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?')  # an unclosed string runs to the end, in one pass
_BRACKETS = re.compile(r"[\[\]{}]")


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


def service_id(service: Service, slug: str) -> str:
    """The service's Open Referral UK id: the id it was imported with, else one derived from the partnership."""
    return service.external_id or _id(slug, "service", service.pk)


def service_to_oruk(service: Service, *, public: bool = False) -> dict[str, Any]:
    """A service in full (``/services/{id}``). ``public`` (open data): the contact's own name is left out, so
    that no person is named; the service's email address and telephone number stay."""
    slug = service.partnership.slug if hasattr(service, "partnership") else ""
    sid = service_id(service, slug)
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
    if public and service.phone:
        data["contacts"].append(
            {
                "id": _id(sid, "contact"),
                "service_id": sid,
                "phones": [{"id": _id(sid, "phone"), "number": service.phone}],
            }
        )
    elif service.contact_name and not public:
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


# The fields of a service in a list (``/services``): its one-to-one fields and its organisation
# (the standard's ``service_list.json``); the rest is at ``/services/{id}``.
LIST_FIELDS = ("id", "organization_id", "name", "description", "url", "email", "status", "fees", "organization")
LIST_SCHEMA_PATH = SCHEMA_PATH.with_name("service_list.json")


@cache
def list_validator() -> Draft202012Validator:
    return Draft202012Validator(
        json.loads(LIST_SCHEMA_PATH.read_text(encoding="utf-8")), format_checker=FormatChecker()
    )


def list_item_problems(data: dict[str, Any]) -> list[str]:
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(service)'}: {error.message}"
        for error in list_validator().iter_errors(data)
    ]


def services_page(services: Any, *, total_items: int, page: int, per_page: int) -> dict[str, Any]:
    """One page of the Open Referral UK API's ``/services``: the standard's page fields and, in ``contents``, each
    service's one-to-one fields (``service_list.json``). Open data: no contact's name."""
    contents = [
        {key: value for key, value in service_to_oruk(s, public=True).items() if key in LIST_FIELDS} for s in services
    ]
    total_pages = max(1, -(-total_items // per_page))
    return {
        "total_items": total_items,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": not contents,
        "contents": contents,
    }


@dataclass
class ServiceRecord:
    """One service read from a directory file, as the fields of our models (checked against them)."""

    organisation: str
    fields: dict[str, Any]
    locations: list[dict[str, str]]
    needs: list[tuple[str, str]]  # (key, name)


def _too_deep(text: str) -> bool:
    """Whether the JSON ``text`` nests arrays and objects more than :data:`MAX_DEPTH` deep (brackets inside
    strings do not count). Checked before parsing, which would otherwise recurse that deep."""
    depth = 0
    for bracket in _BRACKETS.findall(_STRINGS.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        if depth > MAX_DEPTH:
            return True
    return False


def load_document(data: bytes | str) -> Any:
    """The JSON in ``data``; DirectoryImportError when it is too large, not UTF-8, nested too deep or not JSON."""
    if len(data) > MAX_FILE_BYTES:
        raise DirectoryImportError([f"the file is larger than {MAX_FILE_BYTES // 1_000_000} MB"])
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise DirectoryImportError([f"the file is not UTF-8 text (byte {error.start + 1})"]) from None
    if _too_deep(data):
        raise DirectoryImportError([f"the JSON is nested more than {MAX_DEPTH} levels deep"])
    try:
        return json.loads(data)
    except ValueError as error:  # a JSONDecodeError names the line; a huge integer is a ValueError too
        raise DirectoryImportError([f"the file is not JSON: {_short(str(error))}"]) from None


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _field_problems(model: type[Model], values: dict[str, Any]) -> list[str]:
    """What is wrong with ``values`` for the fields of ``model``: too long, or refused by the field's own
    validation (an email that is not one, a name that is empty)."""
    problems = []
    for name, value in values.items():
        field = cast(Field, model._meta.get_field(name))
        if isinstance(value, str) and field.max_length is not None and len(value) > field.max_length:
            problems.append(f"{name}: {len(value):,} characters, more than the {field.max_length} it may have")
            continue
        try:
            field.clean(value, None)
        except ValidationError as error:
            problems.append(f"{name}: {' '.join(error.messages)}")
    return problems


class _ShapeError(ValueError):
    """A part of a service the schema lets through that is not the shape the import reads (``str()``: where)."""


def _object(value: Any, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if isinstance(value, dict):
        return value
    raise _ShapeError(where)


def _objects(value: Any, where: str) -> list[dict[str, Any]]:
    if value is None:
        return []
    if isinstance(value, list) and all(isinstance(item, dict) for item in value):
        return value
    raise _ShapeError(where)


def _text(value: Any, where: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    raise _ShapeError(where)


def _record(item: dict[str, Any]) -> ServiceRecord:
    """An item the schema took, as the fields of our models (not yet checked against them). Raises _ShapeError
    for a part that is not what the import reads (an object where text should be, say)."""
    cost = next(
        (
            _text(c.get("amount_description"), "cost_options") or _text(c.get("option"), "cost_options")
            for c in _objects(item.get("cost_options"), "cost_options")
        ),
        "",
    )
    languages = [_text(lang.get("name"), "languages") for lang in _objects(item.get("languages"), "languages")]
    fields: dict[str, Any] = {
        "name": _text(item.get("name"), "name"),
        "description": _text(item.get("description"), "description"),
        "who_for": _text(item.get("eligibility_description"), "eligibility_description"),
        "how_to_get": _text(item.get("application_process"), "application_process"),
        "cost": cost,
        "is_free": not _text(item.get("fees"), "fees") and cost.lower() in ("", "free"),
        "languages": ", ".join(name for name in languages if name),
        "url": _text(item.get("url"), "url"),
        "email": _text(item.get("email"), "email"),
        "active": item.get("status") == "active",
        "external_id": _text(item.get("id"), "id"),
    }
    contacts = _objects(item.get("contacts"), "contacts")
    if contacts:
        fields["contact_name"] = _text(contacts[0].get("name"), "contacts/0/name")
        phones = _objects(contacts[0].get("phones"), "contacts/0/phones")
        fields["phone"] = _text(phones[0].get("number"), "contacts/0/phones/0/number") if phones else ""
    schedules = {
        _text(schedule.get("service_at_location_id"), "schedules"): _text(schedule.get("description"), "schedules")
        for schedule in _objects(item.get("schedules"), "schedules")
    }
    locations = []
    for sal in _objects(item.get("service_at_locations"), "service_at_locations"):
        place = _object(sal.get("location"), "service_at_locations/location")
        address = (_objects(place.get("addresses"), "service_at_locations/location/addresses") or [{}])[0]
        first_line = _text(address.get("address_1"), "addresses/address_1")
        locations.append(
            {
                "name": _text(place.get("name"), "service_at_locations/location/name") or first_line or "Location",
                "address": first_line,
                "postcode": _text(address.get("postal_code"), "addresses/postal_code"),
                "opening_times": schedules.get(_text(sal.get("id"), "service_at_locations/id")) or "",
            }
        )
    needs = []
    for attribute in _objects(item.get("attributes"), "attributes"):
        term = _object(attribute.get("taxonomy_term"), "attributes/taxonomy_term")
        key = _text(term.get("term"), "attributes/taxonomy_term/term")
        if key:
            needs.append((key, _text(term.get("name"), "attributes/taxonomy_term/name") or key))
    organisation = _text(_object(item.get("organization"), "organization").get("name"), "organization/name")
    return ServiceRecord(organisation=organisation, fields=fields, locations=locations, needs=needs)


def read_services(document: Any) -> list[ServiceRecord]:
    """The services in ``document`` (an export page, or a single service), each valid Open Referral UK and
    fitting our fields: texts within their lengths, a website only when it is an http(s) address, no NUL
    characters. DirectoryImportError lists every problem, service by service. Needs no database."""
    items = document.get("contents") if isinstance(document, dict) and "contents" in document else [document]
    if not isinstance(items, list):
        raise DirectoryImportError(["contents: must be a list of services"])
    problems: list[str] = []
    records: list[ServiceRecord] = []
    for index, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            problems.append(f"service {index}: not an object")
            continue
        name = item.get("name")
        label = f"service {index} ({_short(name, 60)})" if isinstance(name, str) else f"service {index}"
        if any("\x00" in text for text in _strings(item)):
            problems.append(f"{label}: a NUL character, which is not text")
            continue
        found = [_short(problem) for problem in service_problems(item)]
        if not found:
            try:
                record = _record(item)
            except _ShapeError as error:
                problems.append(f"{label}: {error}: not the kind of value Open Referral UK gives it")
                continue
            found += _field_problems(Service, record.fields)
            if record.fields["url"] and not link_target(record.fields["url"], same_site=False):
                found.append(f"url: {_short(record.fields['url'], 60)!r} is not a web address starting http(s)://")
            for number, location in enumerate(record.locations, start=1):
                found += [f"location {number} {p}" for p in _field_problems(ServiceLocation, location)]
            for key, tag_name in record.needs:
                found += [
                    f"need {_short(key, 40)!r} {p}" for p in _field_problems(NeedTag, {"key": key, "name": tag_name})
                ]
            if not found:
                records.append(record)
        problems += [f"{label}: {problem}" for problem in found]
    if problems:
        raise DirectoryImportError(problems)
    return records


def read_directory(data: bytes | str) -> list[ServiceRecord]:
    """The services in a directory file (see :func:`load_document` and :func:`read_services`)."""
    return read_services(load_document(data))
