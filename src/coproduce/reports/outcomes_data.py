"""Employability outcomes in "My data", leaving and erasure (``partnerships.personal_data``), registered in
apps.py.

My data: every outcome recorded about her (with who recorded it), her answers about her family, her correction
requests with their answers, and who else read her outcomes. Leaving or erasure deletes all of these: outcomes are
hers, and a report already built keeps only counts. Where she acted as staff (recorded an outcome with someone,
answered a correction, read someone's outcomes), the record stays, hers to that member, without her name on
erasure."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coproduce.core.personal_data import iso_or_none
from coproduce.partnerships.models import Membership
from coproduce.partnerships.personal_data import Departure, Disposal, Fate, PersonalDataExport
from coproduce.reports.models.outcomes import PRIORITY_GROUPS, CorrectionRequest, Outcome, OutcomeRead, PriorityGroups

TABLES = {
    "outcomes": gettext_lazy("Employability outcomes recorded about you"),
    "priority_groups": gettext_lazy("Your answers about your family"),
    "corrections": gettext_lazy("Corrections you asked for"),
    "outcome_reads": gettext_lazy("Who read your outcomes"),
}


def outcomes_export(membership: Membership) -> dict[str, list[dict[str, Any]]]:
    outcomes = Outcome.objects.filter(member_id=membership.pk, partnership_id=membership.partnership_id).order_by(
        "on", "id"
    )
    groups = PriorityGroups.objects.filter(member_id=membership.pk)
    corrections = CorrectionRequest.objects.filter(outcome__member_id=membership.pk).order_by("created_at", "id")
    reads = OutcomeRead.objects.filter(member_id=membership.pk).order_by("read_at", "id")
    return {
        "outcomes": [
            {
                "id": o.pk,
                "kind": o.kind,
                "on": iso_or_none(o.on),
                "hours_per_week": float(o.hours_per_week) if o.hours_per_week is not None else None,
                "contract": o.contract,
                "hourly_pay_pence": o.hourly_pay_pence,
                "living_wage_pence": o.living_wage_pence,
                "pays_living_wage": o.pays_living_wage,
                "follows_up_outcome": o.job_id,
                "description": o.description,
                "recorded_by": o.recorded_by_label,
                "agreed_with_you": o.agreed_with_member,
                "recorded_at": iso_or_none(o.created_at),
            }
            for o in outcomes
        ],
        "priority_groups": [
            {
                **{key: getattr(g, key) for key, _label in PRIORITY_GROUPS},
                "updated_at": iso_or_none(g.updated_at),
                "updated_by": g.updated_by_label,
            }
            for g in groups
        ],
        "corrections": [
            {
                "outcome": c.outcome_id,
                "what_you_asked": c.text,
                "status": c.status,
                "reply": c.reply,
                "answered_by": c.handled_by_label,
                "asked_at": iso_or_none(c.created_at),
                "answered_at": iso_or_none(c.handled_at),
            }
            for c in corrections
        ],
        "outcome_reads": [
            {"who": r.reader_label, "organisation": r.organisation_label, "read_at": iso_or_none(r.read_at)}
            for r in reads
        ],
    }


EXPORT = PersonalDataExport(
    key="outcomes", title=gettext_lazy("Employability outcomes"), export=outcomes_export, tables=TABLES
)


def _lines(membership: Membership) -> list[Disposal]:
    held = Outcome.objects.filter(member_id=membership.pk).count()
    groups = PriorityGroups.objects.filter(member_id=membership.pk).count()
    return [
        Disposal(
            what=_("Your employability outcomes, and the corrections you asked for"),
            fate=Fate.DELETE,
            why=_("Reports already made keep only counts, never who."),
            count=held,
        ),
        Disposal(what=_("Your answers about your family"), fate=Fate.DELETE, count=groups),
    ]


def _delete(membership: Membership) -> None:
    Outcome.objects.filter(member_id=membership.pk).delete()  # with their corrections
    PriorityGroups.objects.filter(member_id=membership.pk).delete()
    OutcomeRead.objects.filter(member_id=membership.pk).delete()


def _erase(membership: Membership) -> None:
    _delete(membership)
    # Where she acted as staff, the members she worked with keep the record, without her name.
    Outcome.objects.filter(recorded_by_id=membership.pk).update(recorded_by_label="", recorded_by=None)
    CorrectionRequest.objects.filter(handled_by_id=membership.pk).update(handled_by_label="", handled_by=None)
    OutcomeRead.objects.filter(reader_id=membership.pk).update(reader_label=_("Someone (erased)"), reader=None)
    PriorityGroups.objects.filter(updated_by_id=membership.pk).update(updated_by_label="", updated_by=None)


DEPARTURE = Departure(key="outcomes", erasure=_lines, erase=_erase, leaving=_lines, leave=_delete, order=120)

# What the audit log says (partnerships.audit_wording): never what was recorded nor about whom.
SENTENCES = {
    "reports.outcome_recorded": gettext_lazy("%(who)s recorded an employability outcome."),
    "reports.outcome_corrected": gettext_lazy("%(who)s corrected an employability outcome a member asked about."),
    "reports.priority_groups_set": gettext_lazy("%(who)s saved answers about a family's priority groups."),
    "reports.outcomes_read": gettext_lazy("%(who)s read a member's employability outcomes."),
    "reports.correction_asked": gettext_lazy("%(who)s asked for an employability outcome to be corrected."),
    "reports.correction_declined": gettext_lazy(
        "%(who)s answered a correction request, leaving the outcome as it was."
    ),
}
