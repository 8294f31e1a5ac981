"""Evaluation's part of "My data" (``partnerships.personal_data``): her answers (the six scores, when and how
she gave them, which service), her own free text with what the service was shown of it, her answers to the
coordinators' questions, the offers she was made, whether she is on the parents' panel, her panel comments,
and her health check replies with their ratings. One query a table, each narrowed to her and the partnership.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from coproduce.core.personal_data import iso_or_none
from coproduce.evaluation.instrument import STATEMENT_KEYS
from coproduce.evaluation.models import (
    Answer,
    HealthRating,
    HealthReply,
    Offer,
    PanelComment,
    PanelMember,
    QuestionAnswer,
    Remark,
)
from coproduce.partnerships.models import Membership
from coproduce.partnerships.personal_data import PersonalDataExport

TABLES = {
    "answers": _("Your answers about services"),
    "free_text": _("What you wrote in your answers"),
    "question_answers": _("Your answers to the partnership's own questions"),
    "offers": _("Services you were asked about"),
    "panel": _("The parents' panel"),
    "panel_comments": _("Your comments as a member of the parents' panel"),
    "health_replies": _("Your partnership health check answers"),
    "health_ratings": _("Your ratings in partnership health checks"),
}


def evaluation_export(membership: Membership) -> dict[str, list[dict[str, Any]]]:
    user_id, partnership_id = membership.user_id, membership.partnership_id
    answers = Answer.objects.filter(user_id=user_id, partnership_id=partnership_id).select_related("subject")
    remarks = Remark.objects.filter(answer__user_id=user_id, answer__partnership_id=partnership_id).select_related(
        "answer__subject", "question"
    )
    question_answers = QuestionAnswer.objects.filter(
        answer__user_id=user_id, answer__partnership_id=partnership_id
    ).select_related("answer__subject", "question")
    offers = Offer.objects.filter(user_id=user_id, partnership_id=partnership_id).select_related("subject")
    panel = PanelMember.objects.filter(user_id=user_id, partnership_id=partnership_id)
    comments = PanelComment.objects.filter(user_id=user_id, review__subject__partnership_id=partnership_id)
    comments = comments.select_related("review__subject")
    replies = HealthReply.objects.filter(user_id=user_id, health_check__partnership_id=partnership_id)
    replies = replies.select_related("health_check")
    ratings = HealthRating.objects.filter(
        reply__user_id=user_id, reply__health_check__partnership_id=partnership_id
    ).select_related("reply__health_check")
    return {
        "answers": [
            {
                "service": a.subject.name,
                "month": a.period.isoformat(),
                "how": str(a.get_mode_display()),
                "given": iso_or_none(a.created_at),
                **{key: getattr(a, key) for key in STATEMENT_KEYS},
            }
            for a in answers.order_by("created_at", "pk")
        ],
        "free_text": [
            {
                "service": r.answer.subject.name,
                "month": r.answer.period.isoformat(),
                "about": r.question.text if r.question is not None else str(r.get_kind_display()),
                "your_words": r.text,
                "checked": str(r.get_status_display()),
                "shown_to_the_service": r.shown_text,
            }
            for r in remarks.order_by("answer__created_at", "pk")
        ],
        "question_answers": [
            {
                "service": q.answer.subject.name,
                "month": q.answer.period.isoformat(),
                "question": q.question.text,
                "score": q.score,
            }
            for q in question_answers.order_by("answer__created_at", "pk")
        ],
        "offers": [
            {
                "service": o.subject.name,
                "why": str(o.get_moment_display()),
                "offered": iso_or_none(o.offered_at),
                "answered": iso_or_none(o.answered_at),
                "not_now": iso_or_none(o.dismissed_at),
            }
            for o in offers.order_by("offered_at", "pk")
        ],
        "panel": [{"joined": iso_or_none(p.joined_at)} for p in panel],
        "panel_comments": [
            {
                "service": c.review.subject.name,
                "quarter_starting": c.review.quarter_start.isoformat(),
                "comment": c.text,
                "written": iso_or_none(c.created_at),
                "hidden": iso_or_none(c.hidden_at),
            }
            for c in comments.order_by("created_at", "pk")
        ],
        "health_replies": [
            {
                "check": h.health_check.title,
                "answered_as": str(h.get_side_display()),
                "given": iso_or_none(h.created_at),
            }
            for h in replies.order_by("created_at", "pk")
        ],
        "health_ratings": [
            {"check": r.reply.health_check.title, "standard": r.standard, "score": r.score}
            for r in ratings.order_by("reply__created_at", "pk")
        ],
    }


EXPORT = PersonalDataExport(
    key="evaluation", title=_("Evaluation of services"), export=evaluation_export, order=80, tables=TABLES
)
