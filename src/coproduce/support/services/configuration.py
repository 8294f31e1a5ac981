"""The support settings: the lawful basis for each purpose and the areas of the outcome wheel."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from coproduce.core.audit import audit_record
from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.permissions import require_rule
from coproduce.partnerships.models import Membership, Partnership
from coproduce.support.defaults import ensure_defaults
from coproduce.support.models import SHORT_MAX, TEXT_MAX, Basis, LawfulBasis, OutcomeArea, Purpose
from coproduce.support.services._common import clean_text


def lawful_basis_set(*, actor: Membership, purpose: str, basis: str, explanation: str = "") -> LawfulBasis:
    require_rule("support.settings", actor)
    if purpose not in Purpose.values:
        raise ServiceError(_("Choose a purpose from the list."), field="purpose")
    if basis not in Basis.values:
        raise ServiceError(_("Choose a lawful basis from the list."), field="basis")
    explanation = clean_text(explanation, field="explanation", max_length=TEXT_MAX)
    with transaction.atomic(durable=True):
        row, _created = LawfulBasis.objects.select_for_update().get_or_create(
            partnership_id=actor.partnership_id, purpose=purpose
        )
        before = row.basis
        row.basis, row.explanation = basis, explanation
        row.save()
        audit_record(
            actor=actor.user,
            action="support.lawful_basis_set",
            partnership_id=actor.partnership_id,
            target=row,
            detail={"purpose": purpose, "from": before, "to": basis},
        )
    return row


def _area_text(name: str, question: str, stages: list[str]) -> tuple[str, str, list[str]]:
    name = clean_text(name, field="name", max_length=80, required=_("Enter the area's name."))
    question = clean_text(question, field="question", max_length=SHORT_MAX)
    if len(stages) != 5:
        raise ServiceError(_("Name all five stages."), code="stages")
    cleaned = [
        clean_text(stage, field=f"stage_{i + 1}", max_length=80, required=_("Name this stage."))
        for i, stage in enumerate(stages)
    ]
    return name, question, cleaned


def outcome_area_create(
    *,
    actor: Membership,
    name: str,
    question: str,
    stages: list[str],
) -> OutcomeArea:
    """A coordinator adds an area to the partnership's outcome wheel, after the default areas (which are put in
    first if the partnership has none yet, so that adding one does not leave the wheel with only that one)."""
    require_rule("support.settings", actor)
    name, question, cleaned = _area_text(name, question, stages)
    with transaction.atomic(durable=True):
        partnership = Partnership.objects.select_for_update().get(pk=actor.partnership_id)
        ensure_defaults(partnership)
        areas = OutcomeArea.objects.filter(partnership=partnership)
        if any(area.name.casefold() == name.casefold() for area in areas):
            raise ServiceError(_("The wheel already has an area with that name."), field="name", code="exists")
        taken = {area.key for area in areas}
        base = slugify(name)[:34] or "area"
        key = base
        number = 2
        while key in taken:
            key = f"{base}-{number}"
            number += 1
        area = OutcomeArea.objects.create(
            partnership=partnership,
            key=key,
            name=name,
            question=question,
            stages=cleaned,
            order=max((a.order for a in areas), default=-1) + 1,
        )
        audit_record(
            actor=actor.user,
            action="support.outcome_area_added",
            partnership_id=actor.partnership_id,
            target=area,
        )
    return area


def outcome_area_update(
    *,
    actor: Membership,
    area: OutcomeArea,
    name: str,
    question: str,
    stages: list[str],
    active: bool,
) -> OutcomeArea:
    """A coordinator rewords an area of the partnership's outcome wheel (its five stages too), or retires it.
    Ratings already given keep their numbers."""
    require_rule("support.settings", actor)
    if area.partnership_id != actor.partnership_id:
        raise NotPermitted()
    name, question, cleaned = _area_text(name, question, stages)
    with transaction.atomic(durable=True):
        locked = OutcomeArea.objects.select_for_update().get(pk=area.pk)
        before = {"name": locked.name, "stages": locked.stages, "active": locked.active}
        locked.name, locked.question, locked.stages, locked.active = name, question, cleaned, active
        locked.save()
        audit_record(
            actor=actor.user,
            action="support.outcome_area_changed",
            partnership_id=actor.partnership_id,
            target=locked,
            detail={"before": before},
        )
    return locked
