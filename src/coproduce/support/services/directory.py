"""The directory of services: one service saved from its form, and a directory file imported whole."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from coproduce.core.audit import audit_record
from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.links import link_target
from coproduce.partnerships.models import Membership, Organisation, Partnership
from coproduce.support import openreferral, selectors
from coproduce.support.models import SHORT_MAX, TEXT_MAX, NeedTag, Service, ServiceLocation
from coproduce.support.services._common import clean_text

SERVICE_FIELDS = (
    "name",
    "description",
    "who_for",
    "how_to_get",
    "cost",
    "is_free",
    "languages",
    "contact_name",
    "email",
    "phone",
    "url",
)


def service_save(
    *,
    actor: Membership,
    organisation: Organisation,
    service: Service | None = None,
    needs: Iterable[Any] = (),
    location: dict[str, str] | None = None,
    **fields: Any,
) -> Service:
    if not selectors.may_manage_service(actor, organisation) or (
        service is not None and not selectors.may_manage_service(actor, service.organisation)
    ):
        raise NotPermitted()
    data = {name: fields.get(name) for name in SERVICE_FIELDS}
    data["name"] = clean_text(data["name"], field="name", max_length=SHORT_MAX, required=_("Enter the service's name."))
    data["description"] = clean_text(
        data["description"], field="description", max_length=TEXT_MAX, required=_("Say what the service is.")
    )
    for name in ("who_for", "how_to_get"):
        data[name] = clean_text(data[name], field=name, max_length=TEXT_MAX)
    for name in ("cost", "languages", "contact_name"):
        data[name] = clean_text(data[name], field=name, max_length=SHORT_MAX)
    data["is_free"] = bool(data["is_free"])
    data["email"], data["phone"] = (data["email"] or "").strip(), (data["phone"] or "").strip()[:40]
    data["email"] = clean_text(
        data["email"], field="email", max_length=cast(int, Service._meta.get_field("email").max_length)
    )
    data["url"] = clean_text(data["url"], field="url", max_length=cast(int, Service._meta.get_field("url").max_length))
    if data["url"] and not link_target(data["url"], same_site=False):
        raise ServiceError(_("Enter a web address starting https://"), field="url", code="invalid")
    needs = list(needs)
    if any(tag.partnership_id != actor.partnership_id for tag in needs):
        raise ServiceError(_("Choose needs from the list."), field="needs")
    try:
        with transaction.atomic(durable=True):
            if service is None:
                saved = Service.objects.create(partnership_id=actor.partnership_id, organisation=organisation, **data)
            else:
                saved = Service.objects.select_for_update().get(pk=service.pk)
                for name, value in data.items():
                    setattr(saved, name, value)
                saved.save()
            saved.needs.set(needs)
            if location is not None and (location.get("name") or "").strip():
                first = saved.locations.first()
                values = {
                    k: (location.get(k) or "").strip()[: (12 if k == "postcode" else SHORT_MAX)]
                    for k in ("name", "address", "postcode", "opening_times")
                }
                if first is None:
                    ServiceLocation.objects.create(service=saved, **values)
                else:
                    for key, value in values.items():
                        setattr(first, key, value)
                    first.save()
            audit_record(
                actor=actor.user,
                action="support.service_saved",
                partnership_id=actor.partnership_id,
                target=saved,
            )
    except IntegrityError as error:
        raise ServiceError(
            _("This organisation already has a service with that name."), field="name", code="exists"
        ) from error
    return saved


def directory_import(*, actor: Membership | None, partnership: Partnership, document: Any) -> list[Service]:
    """Create or update the services in ``document``, an Open Referral UK page or single service (checked by
    ``openreferral.read_services``). Organisations are matched by name and must already be in the partnership.
    All or nothing: ``openreferral.DirectoryImportError`` lists every problem and nothing is saved.

    ``actor`` is None for an operator at the command line (``coproduce support_directory import``); a
    membership must be a coordinator of ``partnership``."""
    if actor is not None and (actor.partnership_id != partnership.pk or not actor.is_coordinator):
        raise NotPermitted()
    records = openreferral.read_services(document)
    organisations = {o.name: o for o in Organisation.objects.filter(partnership=partnership)}
    problems = [
        f"service {index}: organisation {record.organisation!r} is not in this partnership"
        for index, record in enumerate(records, start=1)
        if record.organisation not in organisations
    ]
    if problems:
        raise openreferral.DirectoryImportError(problems)
    saved = []
    tags = {t.key: t for t in NeedTag.objects.filter(partnership=partnership)}
    with transaction.atomic(durable=True):
        for record in records:
            fields = dict(record.fields)
            name = fields.pop("name")
            service, _created = Service.objects.update_or_create(
                partnership=partnership, organisation=organisations[record.organisation], name=name, defaults=fields
            )
            service.locations.all().delete()
            ServiceLocation.objects.bulk_create(ServiceLocation(service=service, **loc) for loc in record.locations)
            keys = []
            for key, tag_name in record.needs:
                if key not in tags:
                    tags[key] = NeedTag.objects.create(partnership=partnership, key=key, name=tag_name)
                keys.append(tags[key])
            service.needs.set(keys)
            saved.append(service)
        audit_record(
            actor=actor.user if actor is not None else None,
            action="support.directory_imported",
            partnership_id=partnership.pk,
            detail={"services": len(saved)},
        )
    return saved
