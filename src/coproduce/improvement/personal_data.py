"""Improvement's part of "My data" (``partnerships.personal_data``): the tests of change the person runs or is
named on, the decisions they made or co-signed, the feedback they gave ("Did this help you?"), the
observations they entered and the stop-doing entries they proposed or agreed. One query a table, each
narrowed to the person and the partnership."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coproduce.core.personal_data import iso_or_none
from coproduce.improvement.models import Decision, MemberCheck, Observation, StoppedPractice, TestOfChange
from coproduce.partnerships.models import Membership
from coproduce.partnerships.personal_data import PersonalDataExport

TABLES = {
    "tests_of_change": _("Tests of change you run or are named on"),
    "decisions": _("Decisions you made or co-signed"),
    "feedback": _("Your answers to “Did this help you?”"),
    "observations": _("Figures you entered"),
    "stopped_practices": _("Things to stop doing you proposed or agreed"),
}


def improvement_export(membership: Membership) -> dict[str, list[dict[str, Any]]]:
    user_id, partnership_id = membership.user_id, membership.partnership_id
    tests = (
        TestOfChange.objects.filter(Q(owner_id=user_id) | Q(people=membership), partnership_id=partnership_id)
        .distinct()
        .select_related("organisation")
    )
    decisions = Decision.objects.filter(
        Q(decided_by_id=user_id) | Q(cosigned_by_id=user_id), test__partnership_id=partnership_id
    ).select_related("test")
    checks = MemberCheck.objects.filter(test__partnership_id=partnership_id, member_id=user_id).select_related("test")
    observations = Observation.objects.filter(
        measure__test__partnership_id=partnership_id, entered_by_id=user_id
    ).values_list("measure__test__title", "measure__name", "observed_on", "value", "note", "created_at")
    stopped = StoppedPractice.objects.filter(
        Q(proposed_by_id=user_id) | Q(agreed_by_id=user_id), partnership_id=partnership_id
    )
    return {
        "tests_of_change": [
            {
                "title": t.title,
                "your_part": "runs it" if t.owner_id == user_id else "named on it",
                "what_we_want_to_improve": t.aim_what,
                "by_how_much": t.aim_how_much,
                "by_when": iso_or_none(t.aim_by_when),
                "change": t.change,
                "predictions": t.predictions,
                "stage": str(t.get_stage_display()),
                "organisation": t.organisation.name if t.organisation else None,
                "starts": iso_or_none(t.starts_on),
                "ends": iso_or_none(t.ends_on),
                "study_notes": t.study_notes,
                "created": iso_or_none(t.created_at),
            }
            for t in tests.order_by("created_at", "pk")
        ],
        "decisions": [
            {
                "test": d.test.title,
                "your_part": "decided" if d.decided_by_id == user_id else "co-signed",
                "decision": str(d.get_kind_display()),
                "reasons": d.reasons,
                "decided": iso_or_none(d.decided_at),
                "co_signed": iso_or_none(d.cosigned_at),
                "review_on": iso_or_none(d.review_on),
            }
            for d in decisions.order_by("decided_at", "pk")
        ],
        "feedback": [
            {
                "test": c.test.title,
                "answer": str(c.get_answer_display()),
                "words": c.words,
                "on": iso_or_none(c.answered_on),
            }
            for c in checks.order_by("created_at", "pk")
        ],
        "observations": [
            {
                "test": test,
                "measure": measure,
                "date": iso_or_none(on),
                "value": str(value),
                "note": note,
                "entered": iso_or_none(at),
            }
            for test, measure, on, value, note, at in observations.order_by("observed_on", "pk")
        ],
        "stopped_practices": [
            {
                "what": s.what,
                "why": s.why,
                "your_part": "proposed" if s.proposed_by_id == user_id else "agreed",
                "status": str(s.get_status_display()),
                "decided_on": iso_or_none(s.decided_on),
                "agreed": iso_or_none(s.agreed_at),
            }
            for s in stopped.order_by("created_at", "pk")
        ],
    }


EXPORT = PersonalDataExport(
    key="improvement", title=_("Tests of change"), export=improvement_export, order=40, tables=TABLES
)
