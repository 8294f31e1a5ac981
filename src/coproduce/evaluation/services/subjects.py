"""What parents evaluate: the subjects, kept up to date from every registered source of service use. A thing a
source no longer offers comes back with ``active=False`` and keeps its results; a subject is never deleted here.
"""

from __future__ import annotations

from django.db import transaction

from coproduce.evaluation.models import Subject
from coproduce.evaluation.services._common import audit
from coproduce.partnerships.models import Organisation
from coproduce.partnerships.service_use import EvaluatedThing, service_use_sources

_FIELDS = ("kind", "name", "organisation_id", "active")


def subjects_sync(*, partnership_id: int) -> int:
    """Create or update the partnership's subjects from every registered ``ServiceUseSource.things`` (name,
    kind, organisation, still offered); how many were created or changed. A few queries however many things."""
    things: dict[str, EvaluatedThing] = {}
    for source in service_use_sources():
        for thing in source.things(partnership_id):
            things[thing.key] = thing
    if not things:
        return 0
    organisations = set(Organisation.objects.filter(partnership_id=partnership_id).values_list("pk", flat=True))
    with transaction.atomic(durable=True):
        existing = {
            s.source_key: s
            for s in Subject.objects.select_for_update().filter(partnership_id=partnership_id, source_key__in=things)
        }
        new: list[Subject] = []
        changed: list[Subject] = []
        for key, thing in things.items():
            wanted = {
                "kind": thing.kind if thing.kind in Subject.Kind.values else Subject.Kind.SERVICE,
                "name": thing.name[:200],
                "organisation_id": thing.organisation_id if thing.organisation_id in organisations else None,
                "active": thing.active,
            }
            subject = existing.get(key)
            if subject is None:
                new.append(Subject(partnership_id=partnership_id, source_key=key, **wanted))
            elif any(getattr(subject, f) != wanted[f] for f in _FIELDS):
                for f, value in wanted.items():
                    setattr(subject, f, value)
                changed.append(subject)
        Subject.objects.bulk_create(new)
        Subject.objects.bulk_update(changed, list(_FIELDS))
        if new or changed:
            audit(None, "subjects_synced", None, partnership_id=partnership_id, created=len(new), changed=len(changed))
    return len(new) + len(changed)
