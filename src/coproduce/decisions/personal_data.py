"""Decisions' part of "My data" (``partnerships.personal_data``): the proposals the person raised, her own
answers (anonymous decisions included: only she sees them), her comments and the outcomes she owns. One
query a table, each narrowed to the person and the partnership."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from coproduce.core.personal_data import iso_or_none
from coproduce.decisions.models import Decision, DecisionComment, Outcome, Participation
from coproduce.partnerships.models import Membership
from coproduce.partnerships.personal_data import PersonalDataExport

TABLES = {
    "proposals": _("Proposals you raised"),
    "answers": _("Your answers to decisions"),
    "comments": _("Your comments on decisions"),
    "outcomes": _("Decision outcomes you own"),
}


def decisions_export(membership: Membership) -> dict[str, list[dict[str, Any]]]:
    user_id, partnership_id = membership.user_id, membership.partnership_id
    proposals = Decision.objects.filter(partnership_id=partnership_id, proposer_id=user_id)
    answers = (
        Participation.objects.filter(decision__partnership_id=partnership_id, user_id=user_id)
        .select_related("decision")
        .prefetch_related("values__option")
    )
    comments = DecisionComment.objects.filter(decision__partnership_id=partnership_id, author_id=user_id)
    outcomes = Outcome.objects.filter(decision__partnership_id=partnership_id, owner_id=membership.pk)
    return {
        "proposals": [
            {
                "title": d.title,
                "background": d.background,
                "method": str(d.get_method_display()),
                "anonymous": d.anonymous,
                "status": str(d.get_status_display()),
                "raised": iso_or_none(d.created_at),
                "closes": iso_or_none(d.closes_at),
            }
            for d in proposals.order_by("created_at", "pk")
        ],
        "answers": [
            {
                "decision": p.decision.title,
                "answer": str(p.get_position_display()) if p.position else "",
                "reason": p.reason,
                "choices": {v.option.label: v.value for v in p.values.all()},
                "counted_as": "member" if p.is_member else "staff",
                "version": p.version,
                "given": iso_or_none(p.created_at),
                "changed": iso_or_none(p.updated_at),
            }
            for p in answers.order_by("created_at", "pk")
        ],
        "comments": [
            {"decision": title, "comment": body, "written": iso_or_none(at), "hidden": hidden is not None}
            for title, body, at, hidden in comments.order_by("created_at", "pk").values_list(
                "decision__title", "body", "created_at", "hidden_at"
            )
        ],
        "outcomes": [
            {
                "decision": title,
                "statement": statement,
                "due": iso_or_none(due),
                "review": iso_or_none(review),
                "done": iso_or_none(done),
            }
            for title, statement, due, review, done in outcomes.order_by("written_at", "pk").values_list(
                "decision__title", "statement", "due_on", "review_on", "done_on"
            )
        ],
    }


EXPORT = PersonalDataExport(key="decisions", title=_("Decisions"), export=decisions_export, order=45, tables=TABLES)
