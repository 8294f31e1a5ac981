"""Tests of change: planning one, changing its plan, moving it between plan, do and study."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.exceptions import ServiceError
from coproduce.core.guards import same_partnership, text_checked
from coproduce.core.permissions import require_rule
from coproduce.improvement.models import SHORT_MAX, TEXT_MAX, TITLE_MAX, Measure, TestOfChange
from coproduce.improvement.services._common import audit, runnable_for_update
from coproduce.partnerships.measures import measure_source
from coproduce.partnerships.models import Membership, Organisation


@dataclass
class TestFields:
    __test__ = False

    title: str
    aim_what: str
    aim_how_much: str
    aim_by_when: date
    change_kind: str
    change: str
    predictions: str
    starts_on: date
    ends_on: date


def _clean_test(fields: TestFields) -> TestFields:
    fields.title = text_checked(fields.title, field="title", max_length=TITLE_MAX, required=_("Give the test a name."))
    fields.aim_what = text_checked(
        fields.aim_what, field="aim_what", max_length=TEXT_MAX, required=_("Say what you want to improve.")
    )
    fields.aim_how_much = text_checked(
        fields.aim_how_much, field="aim_how_much", max_length=SHORT_MAX, required=_("Say by how much.")
    )
    if fields.change_kind not in TestOfChange.ChangeKind.values:
        raise ServiceError(_("Choose whether you will try something new or stop something."), field="change_kind")
    fields.change = text_checked(
        fields.change, field="change", max_length=TEXT_MAX, required=_("Say what you will try or stop.")
    )
    fields.predictions = text_checked(
        fields.predictions,
        field="predictions",
        max_length=TEXT_MAX,
        required=_("Say what you predict will happen: it is what you will compare the results with."),
    )
    if fields.ends_on < fields.starts_on:
        raise ServiceError(_("The end date must be on or after the start date."), field="ends_on")
    if fields.aim_by_when < fields.starts_on:
        raise ServiceError(_("The aim's date must be on or after the start date."), field="aim_by_when")
    return fields


def pdsa_create(
    *,
    actor: Membership,
    fields: TestFields,
    people: list[Membership] | None = None,
    idea: Any = None,
) -> TestOfChange:
    """Set up a test of change owned by ``actor``; ``people`` are the others involved (members and staff).
    When it grows out of an idea, a response on the idea links to it."""
    require_rule("improvement.add_test", actor)
    fields = _clean_test(fields)
    people = people or []
    for person in people:
        same_partnership(actor, person)
    if idea is not None:
        same_partnership(actor, idea)
    with transaction.atomic(durable=True):
        test = TestOfChange.objects.create(
            partnership_id=actor.partnership_id,
            owner=actor.user,
            organisation_id=actor.organisation_id,
            idea=idea,
            **vars(fields),
        )
        test.people.set([actor, *people])
        if idea is not None:
            from coproduce.voice.api import response_record

            response_record(
                actor=actor,
                idea=idea,
                text=_("We are testing this idea: “%(title)s”. Follow the test to see what we learn.")
                % {"title": test.title},
                link_url=reverse("improvement:test", kwargs={"slug": actor.partnership.slug, "test_id": test.pk}),
                link_label=test.title,
                source="improvement",
            )
        audit(actor, "test_created", test)
    return test


def _months_on(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


LINKED_UNIT = "average score 1–5"
LINKED_REF_MAX = 80  # Measure.linked_ref


def pdsa_start_linked(
    *,
    actor: Membership,
    title: str,
    aim_what: str,
    measure_name: str,
    source_key: str,
    ref: str,
    organisation_id: int | None = None,
) -> TestOfChange:
    """Start a test of change in one step from figures another part of the platform keeps (a low or falling
    score parents gave a service): a test in the Plan stage owned by ``actor``, running from today for three
    months, to try something new, with one outcome measure that follows ``source_key``/``ref`` (an average
    score from 1 to 5, higher is better). What the team will change, by how much and what they predict are
    "To be agreed by the team": the test's own checks need words there, and the team changes them on the
    test's page. ``organisation_id`` (else the actor's) must be an organisation of the partnership."""
    require_rule("improvement.add_test", actor)
    source = measure_source(source_key)
    if source is None:
        raise ServiceError(_("These figures cannot be followed as a measure."), field="source_key", code="source")
    ref = (ref or "").strip()
    if not ref or len(ref) > LINKED_REF_MAX:
        raise ServiceError(_("These figures cannot be followed as a measure."), field="ref", code="ref")
    measure_name = text_checked(
        measure_name, field="measure_name", max_length=TITLE_MAX, required=_("Name the measure.")
    )
    if organisation_id is None:
        organisation_id = actor.organisation_id
    elif not Organisation.objects.filter(pk=organisation_id, partnership_id=actor.partnership_id).exists():
        raise ServiceError(_("Choose an organisation of this partnership."), field="organisation_id")
    today = timezone.localdate()
    to_agree = _("To be agreed by the team")
    fields = _clean_test(
        TestFields(
            title=title,
            aim_what=aim_what,
            aim_how_much=to_agree,
            aim_by_when=_months_on(today, 3),
            change_kind=TestOfChange.ChangeKind.TRY,
            change=to_agree,
            predictions=to_agree,
            starts_on=today,
            ends_on=_months_on(today, 3),
        )
    )
    described = source.describe(actor.partnership_id, ref) or str(source.label)
    with transaction.atomic(durable=True):
        test = TestOfChange.objects.create(
            partnership_id=actor.partnership_id,
            owner=actor.user,
            organisation_id=organisation_id,
            stage=TestOfChange.Stage.PLAN,
            **vars(fields),
        )
        test.people.set([actor])
        measure = Measure.objects.create(
            test=test,
            name=measure_name,
            kind=Measure.Kind.OUTCOME,
            unit=LINKED_UNIT,
            better=Measure.Better.HIGHER,
            source=described[:SHORT_MAX],
            linked_source=source.key,
            linked_ref=ref,
        )
        audit(actor, "test_created", test)
        audit(actor, "measure_created", measure, linked_source=source.key, linked_ref=ref)
    return test


PLAN_FIELDS = [
    "title",
    "aim_what",
    "aim_how_much",
    "aim_by_when",
    "change_kind",
    "change",
    "predictions",
    "starts_on",
    "ends_on",
]


def pdsa_update(
    *,
    actor: Membership,
    test: TestOfChange,
    fields: TestFields,
    people: list[Membership] | None = None,
) -> TestOfChange:
    """Change a test's plan after set-up: its name, aim, change, predictions, dates and the people involved
    (the owner stays involved). The same checks as setting it up; closed once the test is decided. The audit
    event names the fields that changed and who joined or left."""
    fields = _clean_test(fields)
    people = people or []
    for person in people:
        same_partnership(actor, person)
    with transaction.atomic(durable=True):
        locked = runnable_for_update(actor, test)
        if locked.stage == TestOfChange.Stage.ACT:
            raise ServiceError(_("This test has been decided; its plan is closed."), code="decided")
        changed = [name for name in PLAN_FIELDS if getattr(locked, name) != getattr(fields, name)]
        owner = (
            Membership.objects.filter(partnership_id=locked.partnership_id, user_id=locked.owner_id).first()
            if locked.owner_id is not None
            else None
        )
        wanted = {person.pk for person in people} | ({owner.pk} if owner is not None else set())
        before = set(locked.people.values_list("pk", flat=True))
        added, removed = sorted(wanted - before), sorted(before - wanted)
        if not changed and not added and not removed:
            return locked
        for name in changed:
            setattr(locked, name, getattr(fields, name))
        locked.updated_at = timezone.now()
        locked.save(update_fields=[*changed, "updated_at"])
        if added or removed:
            locked.people.set(sorted(wanted))
        audit(actor, "test_changed", locked, changed=changed, people_added=added, people_removed=removed)
    return locked


def pdsa_stage_set(*, actor: Membership, test: TestOfChange, stage: str) -> TestOfChange:
    """Move a test between plan, do and study. It reaches "act" only by a decision."""
    if stage not in (TestOfChange.Stage.PLAN, TestOfChange.Stage.DO, TestOfChange.Stage.STUDY):
        raise ServiceError(_("Choose plan, do or study. A test reaches “act” when it is decided."), field="stage")
    with transaction.atomic(durable=True):
        locked = runnable_for_update(actor, test)
        if locked.stage == TestOfChange.Stage.ACT:
            raise ServiceError(_("This test has been decided; it cannot go back."), field="stage", code="decided")
        locked.stage = stage
        locked.updated_at = timezone.now()
        locked.save(update_fields=["stage", "updated_at"])
        audit(actor, "test_stage_set", locked, stage=stage)
    return locked


def study_record(*, actor: Membership, test: TestOfChange, notes: str) -> TestOfChange:
    notes = text_checked(
        notes, field="notes", max_length=TEXT_MAX, required=_("Write what happened, against the predictions.")
    )
    with transaction.atomic(durable=True):
        locked = runnable_for_update(actor, test)
        if locked.stage == TestOfChange.Stage.ACT:
            raise ServiceError(_("This test has been decided; its study notes are closed."), code="decided")
        locked.study_notes = notes
        locked.stage = TestOfChange.Stage.STUDY
        locked.updated_at = timezone.now()
        locked.save(update_fields=["study_notes", "stage", "updated_at"])
        audit(actor, "study_recorded", locked)
    return locked
